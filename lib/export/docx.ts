import {
  AlignmentType,
  BorderStyle,
  Document,
  ExternalHyperlink,
  Footer,
  Header,
  HeadingLevel,
  Packer,
  PageBreak,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
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
} from './model';

const RED = 'B00020';
type Block = Paragraph | Table;

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
    const run = new TextRun({ text: i.text, bold: bold || i.bold, italics: i.italic });
    return i.href ? new ExternalHyperlink({ link: i.href, children: [run] }) : run;
  });
}

const HEADINGS = [
  HeadingLevel.HEADING_3,
  HeadingLevel.HEADING_4,
  HeadingLevel.HEADING_5,
  HeadingLevel.HEADING_6,
] as const;

function blocks(list: ExportBlock[], indent = 0): Block[] {
  const out: Block[] = [];
  for (const b of list) {
    switch (b.type) {
      case 'paragraph':
        out.push(new Paragraph({ children: runs(b.content), indent: { left: indent } }));
        break;
      case 'heading':
        out.push(
          new Paragraph({
            heading: HEADINGS[Math.min(HEADINGS.length - 1, Math.max(0, b.level - 1))],
            children: runs(b.content),
          }),
        );
        break;
      case 'list':
        b.items.forEach((item, i) => {
          const [first, ...rest] = blocks(item, indent + 360);
          const bullet = new TextRun({ text: b.ordered ? `${i + 1}. ` : '- ' });
          if (first instanceof Paragraph) {
            out.push(new Paragraph({ children: [bullet], indent: { left: indent + 360 } }), first);
          } else if (first) out.push(first);
          out.push(...rest);
        });
        break;
      case 'blockquote':
        out.push(...blocks(b.blocks, indent + 480));
        break;
      case 'table':
        if (b.rows.length > 0) {
          out.push(
            new Table({
              width: { size: 100, type: WidthType.PERCENTAGE },
              rows: b.rows.map(
                (row) =>
                  new TableRow({
                    children: row.map(
                      (c) =>
                        new TableCell({
                          children:
                            blocks(c.blocks).length > 0 ? blocks(c.blocks) : [new Paragraph('')],
                        }),
                    ),
                  }),
              ),
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
        children: [new PageBreak(), new TextRun(`${l.number}. ${l.title}`)],
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
    body.push(...blocks(l.narrative));
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
      body.push(...items.map((t) => new Paragraph({ text: t, bullet: { level: 0 } })));
    }
  }

  if (model.appendix) {
    body.push(
      new Paragraph({
        heading: HeadingLevel.HEADING_1,
        children: [new PageBreak(), new TextRun('Appendix: comments')],
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

  const stamp = model.draft ? [marking(DRAFT_MARKING)] : [];
  const doc = new Document({
    title: `${model.title} (${model.version})`,
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
                    text: `${model.title} - ${model.version} - ${model.date}`,
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
