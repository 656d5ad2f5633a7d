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
} from './model';

type Pdf = PDFKit.PDFDocument;

const MARGIN = 56;
const RED = '#b00020';
const BRACKET = '#7a5200';

// Names the embedded Noto Sans faces are registered under in each document (fonts.ts).
const SANS = 'Sans';
const BOLD = 'Sans-Bold';
const ITALIC = 'Sans-Italic';
const BOLD_ITALIC = 'Sans-BoldItalic';

function inlines(doc: Pdf, content: ExportInline[], indent: number) {
  const runs = content;
  if (runs.length === 0) {
    doc.moveDown(0.3);
    return;
  }
  const x = MARGIN + indent;
  const width = doc.page.width - MARGIN - x;
  // Start the paragraph at its indent; continuation calls must not pass x again.
  doc.x = x;
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
  doc.moveDown(0.4);
}

function blocks(doc: Pdf, list: ExportBlock[], indent = 0) {
  for (const b of list) {
    switch (b.type) {
      case 'paragraph':
        doc.font(SANS).fontSize(10.5);
        inlines(doc, b.content, indent);
        break;
      case 'heading':
        doc.font(BOLD).fontSize(Math.max(11, 14 - b.level));
        inlines(
          doc,
          b.content.map((i) => (i.type === 'text' ? { ...i, bold: true } : i)),
          indent,
        );
        doc.fontSize(10.5);
        break;
      case 'list':
        b.items.forEach((item, i) => {
          // The bullet joins the item's first paragraph so the two can never drift apart.
          const bullet: ExportInline = {
            type: 'text',
            text: b.ordered ? `${i + 1}. ` : '\u2022 ',
            bold: false,
            italic: false,
            href: null,
          };
          const [first, ...rest] = item;
          if (first?.type === 'paragraph') {
            doc.font(SANS).fontSize(10.5);
            inlines(doc, [bullet, ...first.content], indent + 8);
            blocks(doc, rest, indent + 20);
          } else {
            inlines(doc, [bullet], indent + 8);
            blocks(doc, item, indent + 20);
          }
        });
        break;
      case 'blockquote':
        blocks(doc, b.blocks, indent + 16);
        break;
      case 'table':
        table(
          doc,
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

function table(doc: Pdf, rows: string[][], header: boolean) {
  if (rows.length === 0) return;
  doc.x = MARGIN;
  doc.font(SANS).fontSize(9).fillColor('#111');
  doc.table({
    position: { x: MARGIN },
    defaultStyle: { padding: 3, border: 0.5, borderColor: '#888' },
    rowStyles: (i: number) => (header && i === 0 ? { backgroundColor: '#e8e8e8' } : {}),
    data: rows.map((r, i) =>
      r.map((text) => ({
        text: text || ' ',
        font: { src: header && i === 0 ? BOLD : SANS },
      })),
    ),
  });
  doc.x = MARGIN;
  doc.moveDown(0.6);
}

function heading(doc: Pdf, text: string, size: number) {
  doc.x = MARGIN;
  doc.font(BOLD).fontSize(size).fillColor('#111').text(text, { lineGap: 2 });
  doc.moveDown(0.3);
}

function facts(doc: Pdf, pairs: Array<[string, string]>) {
  doc.x = MARGIN;
  for (const [k, v] of pairs) {
    doc.font(BOLD).fontSize(10.5).fillColor('#111').text(`${k}: `, { continued: true });
    doc.font(SANS).text(v);
  }
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

  // Cover page.
  doc.moveDown(6);
  doc.font(BOLD).fontSize(24).fillColor('#111').text(model.title, { align: 'left' });
  doc.moveDown(1);
  facts(doc, [
    ['Version', model.version],
    ['Date', model.date],
    ['Status', model.statusSummary],
    ['Parties', model.parties.join(', ') || 'none'],
  ]);
  if (model.draft) {
    doc.moveDown(1).font(BOLD).fontSize(18).fillColor(RED).text(DRAFT_MARKING);
  }

  for (const l of model.layers) {
    doc.addPage();
    heading(doc, `${l.number}. ${l.title}`, 16);
    if (l.marking) {
      doc.font(BOLD).fontSize(10.5).fillColor(RED).text(l.marking);
      doc.moveDown(0.3);
    }
    facts(doc, [
      ['Kind', l.kind],
      ['Status', l.status],
      ['Lead', l.lead],
    ]);
    blocks(doc, l.narrative);
    doc.x = MARGIN;
    if (l.commitments.length > 0) {
      heading(doc, 'Commitments', 12);
      table(doc, [COMMITMENT_HEADERS, ...l.commitments], true);
    }
    if (l.triggers.length > 0) {
      heading(doc, 'Triggers', 12);
      table(doc, [TRIGGER_HEADERS, ...l.triggers], true);
    }
    if (l.positions.length > 0) {
      heading(doc, 'Positions', 12);
      table(doc, [POSITION_HEADERS, ...l.positions], true);
    }
    for (const [h, items] of [
      ['Depends on', l.dependencies],
      ['Open questions', l.openQuestions],
      ['Risks', l.risks],
    ] as const) {
      if (items.length === 0) continue;
      heading(doc, h, 12);
      doc.font(SANS).fontSize(10.5).fillColor('#111');
      doc.list(items, MARGIN + 8, undefined, { bulletRadius: 1.5 });
      doc.x = MARGIN;
      doc.moveDown(0.6);
    }
  }

  if (model.appendix) {
    doc.addPage();
    heading(doc, 'Appendix: comments', 16);
    if (model.appendix.length === 0) doc.font(SANS).fontSize(10.5).text('No comments.');
    for (const t of model.appendix) {
      heading(doc, `${t.layer} (${t.resolved ? 'resolved' : 'open'})`, 11);
      if (t.quote) doc.font(ITALIC).fontSize(10).fillColor('#444').text(`"${t.quote}"`);
      for (const c of t.comments) {
        doc
          .font(BOLD)
          .fontSize(10)
          .fillColor('#111')
          .text(`${c.author} (${c.at}): `, { continued: true });
        doc.font(SANS).text(c.body);
      }
      doc.moveDown(0.6);
    }
  }

  stampPages(doc, model);
  doc.end();
  return done;
}
