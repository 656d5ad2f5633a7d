import PDFDocument from 'pdfkit';
import { pdfFonts } from './fonts';
import {
  COMMITMENT_HEADERS,
  DRAFT_MARKING,
  POSITION_HEADERS,
  TRIGGER_HEADERS,
  bracketNote,
  type ExportBlock,
  type ExportInline,
  type ExportModel,
  VERIFICATION_HEADING,
  colophonLines,
} from './model';

/** The attachment that carries the verification manifest in a PDF copy. */
export const PDF_MANIFEST_NAME = 'framework-verification.json';

type Pdf = PDFKit.PDFDocument;

const MARGIN = 56;
const RED = '#b00020';
const BRACKET = '#7a5200';

// Names the embedded Noto Sans faces are registered under in each document (fonts.ts).
const SANS = 'Sans';
const BOLD = 'Sans-Bold';
const ITALIC = 'Sans-Italic';
const BOLD_ITALIC = 'Sans-BoldItalic';

type Tag = PDFKit.PDFStructureElement;

/**
 * Tagged PDF: `draw` runs as the content of a new structure element of `type` under `parent`, so
 * readers (screen readers, reflow, PDF/UA checkers) get headings, paragraphs, lists and tables in
 * reading order. pdfkit carries the marking over page breaks.
 */
function tag(doc: Pdf, parent: Tag, type: string, draw: () => void): void {
  const element = doc.struct(type);
  parent.add(element);
  element.add(draw);
  element.end();
}

/** A grouping element (a layer's section, a list, a list item) to add children to. */
function group(doc: Pdf, parent: Tag, type: string): Tag {
  const element = doc.struct(type);
  parent.add(element);
  return element;
}

/** Draws runs as one paragraph at `indent`; `lead` (a list label) is already on the line. */
function runsOf(doc: Pdf, runs: ExportInline[], indent: number, lead = false) {
  const x = MARGIN + indent;
  const width = doc.page.width - MARGIN - x;
  // Start the paragraph at its indent; continuation calls must not pass x again.
  if (!lead) doc.x = x;
  runs.forEach((i, n) => {
    const continued = n < runs.length - 1;
    const opts = { continued, width, lineGap: 2 };
    if (i.type === 'hardBreak') {
      doc.text('\n', opts);
    } else if (i.type === 'bracket') {
      doc.font(BOLD).fillColor(BRACKET);
      doc.text(`[${i.text}] `, {
        ...opts,
        continued: true,
      });
      // Same size as the text: pdfkit wraps a continued line wrongly when the size changes.
      doc.font(ITALIC);
      doc.text(`(${bracketNote(i)})`, { ...opts });
    } else {
      const font = i.bold ? (i.italic ? BOLD_ITALIC : BOLD) : i.italic ? ITALIC : SANS;
      doc.font(font).fillColor(i.href ? '#1a4f9c' : '#111');
      doc.text(i.text, opts);
    }
  });
  doc.font(SANS).fillColor('#111');
}

/** A paragraph (or heading, by `type`) of runs, tagged. */
function inlines(doc: Pdf, content: ExportInline[], indent: number, parent: Tag, type = 'P') {
  if (content.length === 0) {
    doc.moveDown(0.3);
    return;
  }
  tag(doc, parent, type, () => runsOf(doc, content, indent));
  doc.moveDown(0.4);
}

/** One list item: its label and its first paragraph on one line, the rest below. */
function listItem(doc: Pdf, list: Tag, label: string, item: ExportBlock[], indent: number) {
  const li = group(doc, list, 'LI');
  const [first, ...rest] = item;
  doc.font(SANS).fontSize(10.5).fillColor('#111');
  doc.x = MARGIN + indent;
  const width = doc.page.width - MARGIN - doc.x;
  const hasText = first?.type === 'paragraph' && first.content.length > 0;
  // The label joins the item's first paragraph so the two can never drift apart.
  tag(doc, li, 'Lbl', () => doc.text(label, { continued: hasText, width, lineGap: 2 }));
  const body = group(doc, li, 'LBody');
  if (hasText) {
    tag(doc, body, 'P', () => runsOf(doc, first.content, indent, true));
    doc.moveDown(0.4);
    blocks(doc, rest, body, indent + 12);
  } else {
    doc.moveDown(0.4);
    blocks(doc, item, body, indent + 12);
  }
  body.end();
  li.end();
}

function blocks(doc: Pdf, list: ExportBlock[], parent: Tag, indent = 0) {
  for (const b of list) {
    switch (b.type) {
      case 'paragraph':
        doc.font(SANS).fontSize(10.5);
        inlines(doc, b.content, indent, parent);
        break;
      case 'heading':
        // Title H1, layers H2, their sections H3: narrative headings sit below (as in HTML).
        doc.font(BOLD).fontSize(Math.max(11, 14 - b.level));
        inlines(
          doc,
          b.content.map((i) => (i.type === 'text' ? { ...i, bold: true } : i)),
          indent,
          parent,
          `H${Math.min(6, b.level + 2)}`,
        );
        doc.fontSize(10.5);
        break;
      case 'list': {
        const l = group(doc, parent, 'L');
        b.items.forEach((item, i) =>
          listItem(doc, l, b.ordered ? `${i + 1}. ` : '\u2022 ', item, indent + 8),
        );
        l.end();
        break;
      }
      case 'blockquote': {
        const quote = group(doc, parent, 'BlockQuote');
        blocks(doc, b.blocks, quote, indent + 16);
        quote.end();
        break;
      }
      case 'table':
        table(
          doc,
          parent,
          b.rows.map((row) => row.map((c) => plain(c.blocks))),
          b.rows[0]?.every((c) => c.header) ?? false,
        );
        break;
    }
  }
}

function plain(list: ExportBlock[]): string {
  const lines: string[] = [];
  for (const b of list) {
    if (b.type === 'paragraph' || b.type === 'heading') {
      lines.push(
        b.content
          .map((i) =>
            i.type === 'hardBreak'
              ? '\n'
              : i.type === 'bracket'
                ? `[${i.text}] (${bracketNote(i)})`
                : i.text,
          )
          .join(''),
      );
    } else if (b.type === 'list') lines.push(...b.items.map((item) => `- ${plain(item)}`));
    else if (b.type === 'blockquote') lines.push(plain(b.blocks));
    else lines.push(...b.rows.map((r) => r.map((c) => plain(c.blocks)).join(' | ')));
  }
  return lines.join('\n');
}

// Layout attributes pdfkit writes for every tagged table cell (PDF 1.7, 14.8.5.4): optional.
const CELL_LAYOUT = [
  'Width',
  'Height',
  'Padding',
  'BorderThickness',
  'BorderColor',
  'BackgroundColor',
];

/**
 * Runs `draw` with pdfkit's tagged-table cell attributes cut to the semantic ones (Scope,
 * Headers): the size, padding and colours of each cell, repeated per cell, were two thirds of a
 * 30-layer export's bytes (985 KB against 190 KB untagged). Only this document is touched, and
 * only while the table is drawn.
 */
function withoutCellLayout(doc: Pdf, draw: () => void) {
  const ref = doc.ref;
  doc.ref = (data: Record<string, unknown> = {}) => {
    if (data.O === 'Table') for (const key of CELL_LAYOUT) delete data[key];
    return ref.call(doc, data);
  };
  try {
    draw();
  } finally {
    doc.ref = ref;
  }
}

function table(doc: Pdf, parent: Tag, rows: string[][], header: boolean) {
  if (rows.length === 0) return;
  doc.x = MARGIN;
  doc.font(SANS).fontSize(9).fillColor('#111');
  withoutCellLayout(doc, () =>
    doc.table({
      // pdfkit tags the table itself: Table, TR, TH (scope column) and TD (default).
      structParent: parent,
      position: { x: MARGIN },
      defaultStyle: { padding: 3, border: 0.5, borderColor: '#888' },
      rowStyles: (i: number) => (header && i === 0 ? { backgroundColor: '#e8e8e8' } : {}),
      data: rows.map((r, i) =>
        r.map((text) => ({
          text: text || ' ',
          font: { src: header && i === 0 ? BOLD : SANS },
          ...(header && i === 0 ? { type: 'TH' as const, scope: 'Column' as const } : {}),
        })),
      ),
    }),
  );
  doc.x = MARGIN;
  doc.moveDown(0.6);
}

function heading(doc: Pdf, parent: Tag, type: string, text: string, size: number) {
  doc.x = MARGIN;
  tag(doc, parent, type, () =>
    doc.font(BOLD).fontSize(size).fillColor('#111').text(text, { lineGap: 2 }),
  );
  doc.moveDown(0.3);
}

function facts(doc: Pdf, parent: Tag, pairs: Array<[string, string]>) {
  doc.x = MARGIN;
  for (const [k, v] of pairs) {
    tag(doc, parent, 'P', () => {
      doc.font(BOLD).fontSize(10.5).fillColor('#111').text(`${k}: `, { continued: true });
      doc.font(SANS).text(v);
    });
  }
  doc.moveDown(0.6);
}

/** A bulleted list of plain items (open questions, risks ...), tagged L/LI/Lbl/LBody by pdfkit. */
function plainList(doc: Pdf, parent: Tag, items: readonly string[]) {
  const l = group(doc, parent, 'L');
  doc.font(SANS).fontSize(10.5).fillColor('#111');
  doc.list([...items], MARGIN + 8, undefined, { bulletRadius: 1.5, structParent: l });
  l.end();
  doc.x = MARGIN;
  doc.moveDown(0.6);
}

/** Header and footer of every page, drawn once all pages exist (page numbers need the count). */
function stampPages(doc: Pdf, model: ExportModel) {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Drawing inside the margins would push text onto a new page; lift them while stamping.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const w = doc.page.width;
    // Running header and footer: artifacts, outside the structure (read once, not per page).
    doc.markContent('Artifact', { type: 'Pagination' });
    if (model.draft) {
      doc.font(BOLD).fontSize(11).fillColor(RED);
      doc.text(DRAFT_MARKING, 0, 22, { width: w, align: 'center', lineBreak: false });
    }
    doc.font(SANS).fontSize(8).fillColor('#555');
    doc.text(
      `${model.title} - ${model.version} - ${model.date} - page ${i + 1} of ${range.count}`,
      MARGIN,
      doc.page.height - 34,
      { width: w - 2 * MARGIN, align: 'center', lineBreak: false },
    );
    if (model.draft) {
      doc.font(BOLD).fontSize(9).fillColor(RED);
      doc.text(DRAFT_MARKING, 0, doc.page.height - 22, {
        width: w,
        align: 'center',
        lineBreak: false,
      });
    }
    doc.endMarkedContent();
    doc.page.margins.bottom = bottom;
  }
}

/** The framework as a PDF (A4, embedded Noto Sans subsets so every script prints, no browser). */
export function renderPdf(model: ExportModel): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    bufferPages: true,
    // No default font: pdfkit would otherwise add standard Helvetica, which is not embedded.
    font: '',
    // Tagged, with its language: headings, lists and tables reach assistive technology.
    tagged: true,
    pdfVersion: '1.7',
    lang: 'en',
    displayTitle: true,
    info: { Title: `${model.title} (${model.version})` },
  });
  const fonts = pdfFonts();
  // The family is the font's PostScript name: pdfkit restores a font by (object, family) after
  // each table cell, and finds it cached under that name instead of opening it again each time.
  for (const [name, font] of [
    [SANS, fonts.regular],
    [BOLD, fonts.bold],
    [ITALIC, fonts.italic],
    [BOLD_ITALIC, fonts.boldItalic],
  ] as const) {
    doc.registerFont(name, font, font.postscriptName);
  }
  doc.font(SANS);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const root = doc.struct('Document');
  doc.addStructure(root);

  // Cover page.
  doc.moveDown(6);
  heading(doc, root, 'H1', model.title, 24);
  doc.moveDown(0.7);
  facts(doc, root, [
    ['Version', model.version],
    ['Date', model.date],
    ['Status', model.statusSummary],
    ['Parties', model.parties.join(', ') || 'none'],
  ]);
  if (model.draft) {
    doc.moveDown(1);
    tag(doc, root, 'P', () => doc.font(BOLD).fontSize(18).fillColor(RED).text(DRAFT_MARKING));
  }

  for (const l of model.layers) {
    doc.addPage();
    const title = `${l.number}. ${l.title}`;
    // A bookmark per layer: the reader's outline pane lists them.
    doc.outline.addItem(title);
    const section = group(doc, root, 'Sect');
    heading(doc, section, 'H2', title, 16);
    if (l.marking) {
      const marking = l.marking;
      tag(doc, section, 'P', () => doc.font(BOLD).fontSize(10.5).fillColor(RED).text(marking));
      doc.moveDown(0.3);
    }
    facts(doc, section, [
      ['Kind', l.kind],
      ['Status', l.status],
      ['Lead', l.lead],
    ]);
    blocks(doc, l.narrative, section);
    doc.x = MARGIN;
    for (const [h, headers, rows] of [
      ['Commitments', COMMITMENT_HEADERS, l.commitments],
      ['Triggers', TRIGGER_HEADERS, l.triggers],
      ['Positions', POSITION_HEADERS, l.positions],
    ] as const) {
      if (rows.length === 0) continue;
      heading(doc, section, 'H3', h, 12);
      table(doc, section, [headers, ...rows], true);
    }
    for (const [h, items] of [
      ['Depends on', l.dependencies],
      ['Open questions', l.openQuestions],
      ['Risks', l.risks],
    ] as const) {
      if (items.length === 0) continue;
      heading(doc, section, 'H3', h, 12);
      plainList(doc, section, items);
    }
    section.end();
  }

  if (model.appendix) {
    doc.addPage();
    doc.outline.addItem('Appendix: comments');
    const section = group(doc, root, 'Sect');
    heading(doc, section, 'H2', 'Appendix: comments', 16);
    if (model.appendix.length === 0) {
      tag(doc, section, 'P', () => doc.font(SANS).fontSize(10.5).text('No comments.'));
    }
    for (const t of model.appendix) {
      heading(doc, section, 'H3', `${t.layer} (${t.resolved ? 'resolved' : 'open'})`, 11);
      const quote = t.quote;
      if (quote) {
        tag(doc, section, 'BlockQuote', () =>
          doc.font(ITALIC).fontSize(10).fillColor('#444').text(`"${quote}"`),
        );
      }
      for (const c of t.comments) {
        tag(doc, section, 'P', () => {
          doc
            .font(BOLD)
            .fontSize(10)
            .fillColor('#111')
            .text(`${c.author} (${c.at}): `, { continued: true });
          doc.font(SANS).text(c.body);
        });
      }
      doc.moveDown(0.6);
    }
    section.end();
  }
  const v = model.verification;
  if (v) {
    doc.addPage();
    doc.outline.addItem(VERIFICATION_HEADING);
    const section = group(doc, root, 'Sect');
    heading(doc, section, 'H2', VERIFICATION_HEADING, 16);
    plainList(doc, section, colophonLines(v));
    section.end();
    // An attachment the verify page reads back (pdfdetach); readers list it, never print it.
    doc.file(Buffer.from(v.manifest, 'utf8'), {
      name: PDF_MANIFEST_NAME,
      type: 'application/json',
      description: 'What this copy was rendered from, for the verify page',
    });
  }
  root.end();

  stampPages(doc, model);
  doc.end();
  return done;
}
