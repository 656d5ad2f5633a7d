import {
  AlignmentType,
  BorderStyle,
  Document,
  ExternalHyperlink,
  Footer,
  Header,
  HeadingLevel,
  LevelFormat,
  Packer,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type ILevelsOptions,
  type ParagraphChild,
} from 'docx';
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

/** The custom document property that carries the verification manifest in a DOCX copy. */
export const DOCX_MANIFEST_PROPERTY = 'FrameworkVerification';

const RED = 'B00020';
type Block = Paragraph | Table;

/**
 * The body font: Arial is on every Windows and macOS Word, and LibreOffice reads it as the
 * metric-compatible Liberation Sans; all three cover Latin with European diacritics, Greek and
 * Cyrillic. (The PDF embeds Noto Sans; Word files are edited, so a font every editor has wins.)
 */
export const DOCX_FONT = 'Arial';

// Word numbering: one definition per kind, nine levels each; every list is its own instance of
// it so each numbered list starts at 1.
const BULLETS = 'narrative-bullets';
const NUMBERS = 'narrative-numbers';
const LIST_INDENT = 360;
const LEVELS = [0, 1, 2, 3, 4, 5, 6, 7, 8];
const levelIndent = (level: number) => ({
  paragraph: { indent: { left: LIST_INDENT * (level + 1), hanging: LIST_INDENT } },
});
const BULLET_LEVELS: ILevelsOptions[] = LEVELS.map((level) => ({
  level,
  format: LevelFormat.BULLET,
  text: ['\u2022', '\u25e6', '\u25aa'][level % 3]!,
  alignment: AlignmentType.LEFT,
  style: levelIndent(level),
}));
const NUMBER_LEVELS: ILevelsOptions[] = LEVELS.map((level) => ({
  level,
  // Decimal at every depth, as the editor and the HTML export show nested numbered lists.
  format: LevelFormat.DECIMAL,
  text: `%${level + 1}.`,
  alignment: AlignmentType.LEFT,
  style: levelIndent(level),
}));

/** Where a block sits: its left indent, its list depth, and the document's list counter. */
interface Place {
  indent: number;
  level: number;
  lists: { count: number };
}

function runs(content: ExportInline[], bold = false): ParagraphChild[] {
  return content.map((i): ParagraphChild => {
    if (i.type === 'hardBreak') return new TextRun({ text: '', break: 1 });
    if (i.type === 'bracket') {
      // Square brackets plus highlight: the marking survives printing in black and white.
      return new TextRun({
        children: [
          new TextRun({ text: `[${i.text}]`, bold: true, highlight: 'yellow' }),
          new TextRun({ text: ` (${bracketNote(i)})`, italics: true, size: 18 }),
        ],
      });
    }
    const run = new TextRun({
      text: i.text,
      bold: bold || i.bold,
      italics: i.italic,
      style: i.href ? 'Hyperlink' : undefined,
    });
    // The model holds only safe links (lib/framework/links.ts).
    return i.href ? new ExternalHyperlink({ link: i.href, children: [run] }) : run;
  });
}

const HEADINGS = [
  HeadingLevel.HEADING_3,
  HeadingLevel.HEADING_4,
  HeadingLevel.HEADING_5,
  HeadingLevel.HEADING_6,
] as const;

function blocks(list: ExportBlock[], place: Place): Block[] {
  const out: Block[] = [];
  for (const b of list) {
    switch (b.type) {
      case 'paragraph':
        out.push(new Paragraph({ children: runs(b.content), indent: { left: place.indent } }));
        break;
      case 'heading':
        out.push(
          new Paragraph({
            heading: HEADINGS[Math.min(HEADINGS.length - 1, Math.max(0, b.level - 1))],
            children: runs(b.content),
          }),
        );
        break;
      case 'list': {
        const level = Math.min(place.level, LEVELS.length - 1);
        const numbering = {
          reference: b.ordered ? NUMBERS : BULLETS,
          level,
          instance: ++place.lists.count,
        };
        // What follows an item's first paragraph (more paragraphs, a nested list) sits under
        // its text, one level deeper.
        const inner: Place = { ...place, indent: LIST_INDENT * (level + 1), level: level + 1 };
        for (const item of b.items) {
          const [first, ...rest] = item;
          if (first?.type === 'paragraph') {
            out.push(new Paragraph({ children: runs(first.content), numbering }));
            out.push(...blocks(rest, inner));
          } else {
            out.push(new Paragraph({ children: [], numbering }));
            out.push(...blocks(item, inner));
          }
        }
        break;
      }
      case 'blockquote':
        out.push(...blocks(b.blocks, { ...place, indent: place.indent + 480 }));
        break;
      case 'table':
        if (b.rows.length > 0) {
          const cellPlace: Place = { ...place, indent: 0, level: 0 };
          out.push(
            new Table({
              width: { size: 100, type: WidthType.PERCENTAGE },
              rows: b.rows.map((row, r) => {
                const cells = row.map((c) => {
                  const content = blocks(c.blocks, cellPlace);
                  return new TableCell({
                    children: content.length > 0 ? content : [new Paragraph('')],
                  });
                });
                // A header row repeats on every page the table runs over.
                const header = r === 0 && row.length > 0 && row.every((c) => c.header);
                return new TableRow({ tableHeader: header, children: cells });
              }),
            }),
          );
        }
        break;
    }
  }
  return out;
}

function table(headers: string[], rows: string[][]): Table {
  const cell = (text: string, head: boolean) =>
    new TableCell({
      shading: head ? { type: ShadingType.CLEAR, fill: 'E8E8E8', color: 'auto' } : undefined,
      children: [new Paragraph({ children: [new TextRun({ text, bold: head, size: 18 })] })],
    });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: headers.map((h) => cell(h, true)) }),
      ...rows.map((r) => new TableRow({ children: r.map((t) => cell(t, false)) })),
    ],
  });
}

function fact(label: string, value: string): Paragraph {
  return new Paragraph({
    children: [new TextRun({ text: `${label}: `, bold: true }), new TextRun(value)],
  });
}

function marking(text: string, size = 22): Paragraph {
  return new Paragraph({
    alignment: AlignmentType.CENTER,
    children: [new TextRun({ text, bold: true, color: RED, size })],
  });
}

/** The framework as a Word document; the DRAFT marking sits in every page's header and footer. */
export async function renderDocx(model: ExportModel): Promise<Buffer> {
  const lists = { count: 0 };
  const body: Block[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(model.title)] }),
    fact('Version', model.version),
    fact('Date', model.date),
    fact('Status', model.statusSummary),
    fact('Parties', model.parties.join(', ') || 'none'),
  ];
  if (model.draft) body.push(new Paragraph(''), marking(DRAFT_MARKING, 36));

  for (const l of model.layers) {
    body.push(
      new Paragraph({
        heading: HeadingLevel.HEADING_1,
        // A property of the heading, not a break inside it: its text stays the title alone.
        pageBreakBefore: true,
        children: [new TextRun(`${l.number}. ${l.title}`)],
      }),
    );
    if (l.marking) {
      body.push(
        new Paragraph({
          border: { left: { style: BorderStyle.SINGLE, size: 12, color: RED, space: 4 } },
          children: [new TextRun({ text: l.marking, bold: true, color: RED })],
        }),
      );
    }
    body.push(fact('Kind', l.kind), fact('Status', l.status), fact('Lead', l.lead));
    body.push(...blocks(l.narrative, { indent: 0, level: 0, lists }));
    for (const [h, headers, rows] of [
      ['Commitments', COMMITMENT_HEADERS, l.commitments],
      ['Triggers', TRIGGER_HEADERS, l.triggers],
      ['Positions', POSITION_HEADERS, l.positions],
    ] as const) {
      if (rows.length === 0) continue;
      body.push(new Paragraph({ heading: HeadingLevel.HEADING_2, text: h }), table(headers, rows));
    }
    for (const [h, items] of [
      ['Depends on', l.dependencies],
      ['Open questions', l.openQuestions],
      ['Risks', l.risks],
    ] as const) {
      if (items.length === 0) continue;
      body.push(new Paragraph({ heading: HeadingLevel.HEADING_2, text: h }));
      const numbering = { reference: BULLETS, level: 0, instance: ++lists.count };
      body.push(...items.map((t) => new Paragraph({ text: t, numbering })));
    }
  }

  if (model.appendix) {
    body.push(
      new Paragraph({
        heading: HeadingLevel.HEADING_1,
        pageBreakBefore: true,
        children: [new TextRun('Appendix: comments')],
      }),
    );
    if (model.appendix.length === 0) body.push(new Paragraph('No comments.'));
    for (const t of model.appendix) {
      body.push(
        new Paragraph({
          heading: HeadingLevel.HEADING_3,
          text: `${t.layer} (${t.resolved ? 'resolved' : 'open'})`,
        }),
      );
      if (t.quote)
        body.push(
          new Paragraph({ children: [new TextRun({ text: `"${t.quote}"`, italics: true })] }),
        );
      for (const c of t.comments) {
        body.push(
          new Paragraph({
            children: [
              new TextRun({ text: `${c.author} (${c.at}): `, bold: true }),
              new TextRun(c.body),
            ],
          }),
        );
      }
    }
  }

  const v = model.verification;
  if (v) {
    body.push(
      new Paragraph({
        heading: HeadingLevel.HEADING_1,
        pageBreakBefore: true,
        children: [new TextRun(VERIFICATION_HEADING)],
      }),
      ...colophonLines(v).map(
        (t) =>
          new Paragraph({
            text: t,
            numbering: { reference: BULLETS, level: 0, instance: ++lists.count },
          }),
      ),
    );
  }

  const stamp = model.draft ? [marking(DRAFT_MARKING)] : [];
  const doc = new Document({
    title: `${model.title} (${model.version})`,
    // A custom document property the verify page reads back (docProps/custom.xml).
    customProperties: v ? [{ name: DOCX_MANIFEST_PROPERTY, value: v.manifest }] : [],
    styles: {
      default: {
        document: {
          run: { font: DOCX_FONT, size: 21 },
          paragraph: { spacing: { after: 80 } },
        },
        title: { run: { font: DOCX_FONT, size: 44, bold: true, color: '111111' } },
        heading1: { run: { font: DOCX_FONT, size: 32, bold: true, color: '111111' } },
        heading2: { run: { font: DOCX_FONT, size: 26, bold: true, color: '111111' } },
        heading3: { run: { font: DOCX_FONT, size: 23, bold: true, color: '111111' } },
        heading4: { run: { font: DOCX_FONT, size: 22, bold: true, color: '111111' } },
        heading5: { run: { font: DOCX_FONT, size: 21, bold: true, color: '111111' } },
        heading6: { run: { font: DOCX_FONT, size: 21, bold: true, color: '111111' } },
      },
    },
    numbering: {
      config: [
        { reference: BULLETS, levels: BULLET_LEVELS },
        { reference: NUMBERS, levels: NUMBER_LEVELS },
      ],
    },
    sections: [
      {
        headers: { default: new Header({ children: stamp.length ? stamp : [new Paragraph('')] }) },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [
                  new TextRun({
                    children: [
                      `${model.title} - ${model.version} - ${model.date} - page `,
                      PageNumber.CURRENT,
                      ' of ',
                      PageNumber.TOTAL_PAGES,
                    ],
                    size: 16,
                  }),
                ],
              }),
              ...(model.draft ? [marking(DRAFT_MARKING, 18)] : []),
            ],
          }),
        },
        children: body,
      },
    ],
  });
  return Packer.toBuffer(doc);
}
