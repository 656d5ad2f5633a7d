/**
 * The compilation of amendments (the "compilation text" of UN and EU practice) as the four-column
 * document chairs circulate: the current text of each amended passage or field, the amendments
 * to it with their sponsors, the chair's compromise, and the status. One model, rendered to HTML
 * and to a landscape DOCX with one table.
 */
import {
  AlignmentType,
  Document,
  ExternalHyperlink,
  HeadingLevel,
  PageOrientation,
  Packer,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import {
  AMENDMENT_STATUS_LABELS,
  amendmentTitle,
  type AmendmentListItem,
} from '../amendments/wire';
import { isPartyField, type FrameworkView, type ProposalRun } from '../framework';
import { DOCX_FONT } from './docx';

export const COMPILATION_HEADERS = [
  'Current text',
  'Amendments, by delegation',
  'Chair’s compromise',
  'Status',
] as const;

export type CompilationRow = {
  /** What the amended passage or field reads now (or read when tabled, if it is gone). */
  current: string;
  /** `runs`: a passage's proposed wording with its formatting (null: `text` as it is). */
  amendment: { title: string; text: string; runs: ProposalRun[] | null; justification: string };
  compromise: { title: string; text: string; runs: ProposalRun[] | null } | null;
  status: string;
};
export type CompilationLayer = { heading: string; rows: CompilationRow[] };
export type CompilationModel = { title: string; generatedAt: string; layers: CompilationLayer[] };

/** Groups the framework's amendments by layer, in layer order then tabling order. */
export function buildCompilation(
  view: FrameworkView,
  amendments: AmendmentListItem[],
  generatedAt: Date,
): CompilationModel {
  const partyName = (id: string) => view.parties.find((p) => p.id === id)?.name ?? id;
  const shown = (a: AmendmentListItem, value: string) =>
    isPartyField(a.target) ? (value ? partyName(value) : '(none)') : value || '(none)';
  // Rows are added or deleted whole: say so in the words of a compilation text ("Add", "Delete").
  const current = (a: AmendmentListItem) =>
    a.target.kind === 'row'
      ? a.target.item === 'trigger'
        ? '(new trigger)'
        : '(new commitment row)'
      : shown(a, a.currentText ?? a.baseText);
  const proposed = (a: AmendmentListItem) =>
    a.target.kind === 'remove'
      ? a.target.item === 'trigger'
        ? 'Delete this trigger.'
        : 'Delete this commitment row.'
      : a.target.kind === 'row'
        ? `Add: ${a.proposedText}`
        : shown(a, a.proposedText);
  const runs = (a: AmendmentListItem) => (a.target.kind === 'passage' ? a.proposedRuns : null);
  const byNumber = new Map(amendments.map((a) => [a.number, a]));
  const status = (a: AmendmentListItem) => {
    const own = AMENDMENT_STATUS_LABELS[a.status];
    const compromise = a.supersededBy !== null ? byNumber.get(a.supersededBy) : undefined;
    if (!compromise) return a.decisionReason ? `${own}: ${a.decisionReason}` : own;
    return `Superseded by amendment ${compromise.number} (${AMENDMENT_STATUS_LABELS[compromise.status].toLowerCase()})`;
  };
  const layers = view.layers.map((layer, index) => {
    const own = amendments.filter((a) => a.layerId === layer.id);
    // A compromise appears beside its sources; one that merges nothing of this layer stands alone.
    const rows = own
      .filter((a) => a.compromiseOf.length === 0)
      .map((a): CompilationRow => {
        const compromise = a.supersededBy !== null ? byNumber.get(a.supersededBy) : undefined;
        return {
          current: current(a),
          amendment: {
            title: amendmentTitle(a),
            text: proposed(a),
            runs: runs(a),
            justification: a.justification,
          },
          compromise: compromise
            ? {
                title: amendmentTitle(compromise),
                text: proposed(compromise),
                runs: runs(compromise),
              }
            : null,
          status: status(a),
        };
      });
    for (const c of own.filter((a) => a.compromiseOf.length > 0)) {
      const sourcesListed = c.compromiseOf.some((n) => byNumber.get(n)?.layerId === layer.id);
      if (!sourcesListed) {
        rows.push({
          current: current(c),
          amendment: { title: '—', text: '', runs: null, justification: '' },
          compromise: { title: amendmentTitle(c), text: proposed(c), runs: runs(c) },
          status: AMENDMENT_STATUS_LABELS[c.status],
        });
      }
    }
    return { heading: `${index + 1}. ${layer.title.trim() || 'Untitled layer'}`, rows };
  });
  return {
    title: view.title,
    generatedAt: generatedAt.toISOString(),
    layers: layers.filter((l) => l.rows.length > 0),
  };
}

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A proposal's wording in HTML, with its formatting when it has some. */
function wordingHtml(wording: { text: string; runs: ProposalRun[] | null }): string {
  if (!wording.runs) return esc(wording.text);
  return wording.runs
    .map((run) =>
      run.marks.reduce((html, mark) => {
        if (mark.type === 'bold') return `<strong>${html}</strong>`;
        if (mark.type === 'italic') return `<em>${html}</em>`;
        // Only web and mail addresses reach a stored proposal (lib/services/amendments.ts).
        return `<a href="${esc(mark.href)}">${html}</a>`;
      }, esc(run.text)),
    )
    .join('');
}

export function renderCompilationHtml(model: CompilationModel): string {
  const head = `<tr>${COMPILATION_HEADERS.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr>`;
  const body = model.layers
    .map(
      (layer) =>
        `<tr class="layer"><th colspan="4" scope="rowgroup">${esc(layer.heading)}</th></tr>` +
        layer.rows
          .map(
            (r) =>
              `<tr><td>${esc(r.current)}</td><td><strong>${esc(r.amendment.title)}</strong><br>${wordingHtml(r.amendment)}${r.amendment.justification ? `<br><em>${esc(r.amendment.justification)}</em>` : ''}</td><td>${r.compromise ? `<strong>${esc(r.compromise.title)}</strong><br>${wordingHtml(r.compromise)}` : ''}</td><td>${esc(r.status)}</td></tr>`,
          )
          .join(''),
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(`Compilation of amendments: ${model.title}`)}</title>
<style>
body{font-family:Helvetica,Arial,sans-serif;margin:2rem;color:#111;line-height:1.4}
.draft{color:#b00020;font-weight:bold;text-align:center;letter-spacing:.1em;border:2px solid #b00020;padding:.3rem}
table{border-collapse:collapse;width:100%}
th,td{border:1px solid #999;padding:.3rem .45rem;text-align:left;vertical-align:top;width:25%}
thead th{background:#eee}
tr.layer th{background:#f5f5f5;font-size:1.05em}
@page{size:landscape}
</style></head>
<body><p class="draft">DRAFT: COMPILATION OF AMENDMENTS, NOT AGREED TEXT</p>
<h1>Compilation of amendments</h1>
<p>${esc(model.title)} · generated ${esc(model.generatedAt.slice(0, 16).replace('T', ' '))} UTC</p>
${model.layers.length === 0 ? '<p>No amendments have been tabled.</p>' : `<table><thead>${head}</thead><tbody>${body}</tbody></table>`}
</body></html>`;
}

const cell = (children: Paragraph[], shade = false) =>
  new TableCell({
    width: { size: 25, type: WidthType.PERCENTAGE },
    children: children.length > 0 ? children : [new Paragraph('')],
    shading: shade ? { type: ShadingType.CLEAR, color: 'auto', fill: 'EEEEEE' } : undefined,
  });
const text = (value: string, options: { bold?: boolean; italics?: boolean } = {}) =>
  new Paragraph({ children: [new TextRun({ text: value, font: DOCX_FONT, ...options })] });

/** A proposal's wording as a Word paragraph, with its formatting when it has some. */
function wordingParagraph(wording: { text: string; runs: ProposalRun[] | null }): Paragraph {
  if (!wording.runs) return text(wording.text);
  return new Paragraph({
    children: wording.runs.map((r) => {
      const link = r.marks.find((m) => m.type === 'link');
      const run = new TextRun({
        text: r.text,
        font: DOCX_FONT,
        bold: r.marks.some((m) => m.type === 'bold'),
        italics: r.marks.some((m) => m.type === 'italic'),
        style: link ? 'Hyperlink' : undefined,
      });
      return link ? new ExternalHyperlink({ link: link.href, children: [run] }) : run;
    }),
  });
}

/** A landscape Word document holding the compilation as one table. */
export async function renderCompilationDocx(model: CompilationModel): Promise<Uint8Array> {
  const header = new TableRow({
    tableHeader: true,
    children: COMPILATION_HEADERS.map((h) => cell([text(h, { bold: true })], true)),
  });
  const rows = model.layers.flatMap((layer) => [
    new TableRow({
      children: [
        new TableCell({
          columnSpan: 4,
          shading: { type: ShadingType.CLEAR, color: 'auto', fill: 'F5F5F5' },
          children: [text(layer.heading, { bold: true })],
        }),
      ],
    }),
    ...layer.rows.map(
      (r) =>
        new TableRow({
          children: [
            cell([text(r.current)]),
            cell([
              text(r.amendment.title, { bold: true }),
              ...(r.amendment.text ? [wordingParagraph(r.amendment)] : []),
              ...(r.amendment.justification
                ? [text(r.amendment.justification, { italics: true })]
                : []),
            ]),
            cell(
              r.compromise
                ? [text(r.compromise.title, { bold: true }), wordingParagraph(r.compromise)]
                : [],
            ),
            cell([text(r.status)]),
          ],
        }),
    ),
  ]);
  const doc = new Document({
    title: `Compilation of amendments: ${model.title}`,
    sections: [
      {
        properties: { page: { size: { orientation: PageOrientation.LANDSCAPE } } },
        children: [
          new Paragraph({
            alignment: AlignmentType.CENTER,
            children: [
              new TextRun({
                text: 'DRAFT: COMPILATION OF AMENDMENTS, NOT AGREED TEXT',
                bold: true,
                color: 'B00020',
                font: DOCX_FONT,
              }),
            ],
          }),
          new Paragraph({
            heading: HeadingLevel.HEADING_1,
            children: [new TextRun({ text: 'Compilation of amendments', font: DOCX_FONT })],
          }),
          text(
            `${model.title} · generated ${model.generatedAt.slice(0, 16).replace('T', ' ')} UTC`,
          ),
          model.layers.length === 0
            ? text('No amendments have been tabled.')
            : new Table({
                width: { size: 100, type: WidthType.PERCENTAGE },
                rows: [header, ...rows],
              }),
        ],
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(doc));
}
