/**
 * The export model: what every renderer prints, computed once from a plain FrameworkView so the
 * four formats cannot disagree about which layers are in, what is marked and when the document
 * is a draft. No Yjs, no database: the route reads those and passes plain data in.
 */
import {
  COMMITMENT_TYPE_LABELS,
  LAYER_KIND_LABELS,
  LAYER_STATUS_LABELS,
  STANCE_LABELS,
  isAgreedStatus,
  packageOf,
  pendingConfirmations,
  safeHref,
  type FrameworkView,
  type Inline,
  type Layer,
  type NarrativeBlock,
} from '@/lib/framework';
import { formatDeadline, triggerSentence } from '@/lib/framework/trigger-sentence';

// The sentence lives with the document so an amendment removing a trigger reads it the same way.
export { triggerSentence };

export const EXPORT_FORMATS = ['docx', 'pdf', 'md', 'html'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const isExportFormat = (v: unknown): v is ExportFormat =>
  typeof v === 'string' && (EXPORT_FORMATS as readonly string[]).includes(v);

export const DRAFT_MARKING = 'DRAFT - NOT AGREED';

/** One comment thread for the appendix (already resolved to names by the caller). */
export interface ExportThread {
  layerId: string;
  quote: string | null;
  resolved: boolean;
  comments: Array<{ author: string; body: string; at: Date }>;
}

export interface ExportOptions {
  agreedOnly: boolean;
  /** Version name, or null for the current state. */
  versionName: string | null;
  date: Date;
  /** Comment threads for the appendix, or null to leave the appendix out. */
  comments: ExportThread[] | null;
}

/** A narrative inline with its bracket (unagreed text) resolved to the proposer's name; `href`
 * is only ever a safe link (http, https, mailto). */
export type ExportInline =
  | { type: 'text'; text: string; bold: boolean; italic: boolean; href: string | null }
  | {
      type: 'bracket';
      text: string;
      /** Party names (not ids), of the bracket and of each alternative's proposer. */
      party: string;
      alternatives: Array<{ text: string; party: string }>;
    }
  | { type: 'hardBreak' };

export type ExportBlock =
  | { type: 'paragraph'; content: ExportInline[] }
  | { type: 'heading'; level: number; content: ExportInline[] }
  | { type: 'list'; ordered: boolean; items: ExportBlock[][] }
  | { type: 'blockquote'; blocks: ExportBlock[] }
  | { type: 'table'; rows: Array<Array<{ header: boolean; blocks: ExportBlock[] }>> };

export interface ExportLayer {
  id: string;
  number: number;
  title: string;
  kind: string;
  status: string;
  agreed: boolean;
  openBrackets: number;
  /** "NOT AGREED (Draft)" etc., null for an agreed layer without open brackets. */
  marking: string | null;
  lead: string;
  narrative: ExportBlock[];
  commitments: string[][];
  triggers: string[][];
  /** Each trigger as one sentence: "If ..., ... within 48 hours; responsible: ...". */
  triggerSentences: string[];
  positions: string[][];
  /** The stated positions by party name, with who stated each (null when not recorded). */
  positionList: Array<{ party: string; stance: string; note: string; statedBy: string | null }>;
  dependencies: string[];
  openQuestions: string[];
  risks: string[];
}

/**
 * What a copy of a saved version prints about itself and carries for the verify page: the
 * content hash, the initialling lines, and the manifest (lib/export/verification.ts) from which
 * the copy can be recomputed. Null for exports of the current state.
 */
export interface ExportVerification {
  hash: string;
  /** Colophon lines after the hash: initials, who is missing, or "not frozen for initialling". */
  lines: string[];
  /** The JSON the file embeds (the canonical framework and the export options). */
  manifest: string;
}

export const VERIFICATION_HEADING = 'Verification';

/** The colophon as printed, one line each (the same in every format). */
export function colophonLines(v: ExportVerification): string[] {
  return [
    `Content hash (SHA-256 of the canonical text): ${v.hash}`,
    ...v.lines,
    'Check a copy on the verify page of the workspace: it recomputes the hash from the content this file carries.',
  ];
}

export interface ExportModel {
  title: string;
  version: string;
  date: string;
  parties: string[];
  statusSummary: string;
  draft: boolean;
  agreedOnly: boolean;
  layers: ExportLayer[];
  appendix: ExportAppendix | null;
  verification: ExportVerification | null;
}

export type ExportAppendix = Array<{
  layer: string;
  quote: string | null;
  resolved: boolean;
  comments: Array<{ author: string; body: string; at: string }>;
}>;

export const COMMITMENT_HEADERS = ['Party', 'Type', 'Quantity', 'Conditions', 'Period'];
export const TRIGGER_HEADERS = ['Condition', 'Required response', 'Deadline', 'Responsible'];
export const POSITION_HEADERS = ['Party', 'Stance', 'Note'];

// Bracket ids stay out of the model (renderers have no use for them) but merging needs them.
const lastBracketId = new WeakMap<ExportInline, string>();

function exportInlines(content: Inline[], partyName: (id: string) => string): ExportInline[] {
  const out: ExportInline[] = [];
  for (const inline of content) {
    if (inline.type === 'hardBreak') {
      out.push(inline);
      continue;
    }
    const bracket = inline.marks.find((m) => m.type === 'bracket');
    if (bracket) {
      const last = out[out.length - 1];
      // Runs of one bracket split by other marks print as one [..].
      if (last?.type === 'bracket' && bracket.id !== '' && lastBracketId.get(last) === bracket.id) {
        last.text += inline.text;
        continue;
      }
      const item: ExportInline = {
        type: 'bracket',
        text: inline.text,
        party: bracket.party ? partyName(bracket.party) : 'unknown party',
        alternatives: bracket.alternatives.map((a) => ({
          text: a.text,
          party: a.party ? partyName(a.party) : '',
        })),
      };
      lastBracketId.set(item, bracket.id);
      out.push(item);
      continue;
    }
    const link = inline.marks.find((m) => m.type === 'link');
    out.push({
      type: 'text',
      text: inline.text,
      bold: inline.marks.some((m) => m.type === 'bold'),
      italic: inline.marks.some((m) => m.type === 'italic'),
      // One link rule for the editor and every format: other schemes keep their text, no link.
      href: link?.type === 'link' ? safeHref(link.href) : null,
    });
  }
  return out;
}

function exportBlocks(blocks: NarrativeBlock[], partyName: (id: string) => string): ExportBlock[] {
  return blocks.map((block): ExportBlock => {
    switch (block.type) {
      case 'paragraph':
      case 'heading':
        return { ...block, content: exportInlines(block.content, partyName) };
      case 'list':
        return { ...block, items: block.items.map((item) => exportBlocks(item, partyName)) };
      case 'blockquote':
        return { type: 'blockquote', blocks: exportBlocks(block.blocks, partyName) };
      case 'table':
        return {
          type: 'table',
          rows: block.rows.map((row) =>
            row.map((cell) => ({
              header: cell.header,
              blocks: exportBlocks(cell.blocks, partyName),
            })),
          ),
        };
    }
  });
}

function countBrackets(blocks: ExportBlock[]): number {
  let n = 0;
  for (const block of blocks) {
    if (block.type === 'paragraph' || block.type === 'heading') {
      n += block.content.filter((i) => i.type === 'bracket').length;
    } else if (block.type === 'list') n += block.items.reduce((s, b) => s + countBrackets(b), 0);
    else if (block.type === 'blockquote') n += countBrackets(block.blocks);
    else for (const row of block.rows) for (const cell of row) n += countBrackets(cell.blocks);
  }
  return n;
}

/** "14 Dec 2026, 09:30 UTC": every time shown names its zone. */
export function formatUtc(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return (
    d.toLocaleString('en-GB', {
      timeZone: 'UTC',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
    }) + ' UTC'
  );
}

/** Builds what the renderers print; `draft` is false only when every exported layer is agreed
 * and none has open brackets (an export with no layers is a draft). */
export function buildExportModel(view: FrameworkView, options: ExportOptions): ExportModel {
  const names = new Map(view.parties.map((p) => [p.id, p.name]));
  const partyName = (id: string) => names.get(id) ?? id;
  const layerTitles = new Map(view.layers.map((l) => [l.id, l.title || 'Untitled layer']));
  const chosen: Layer[] = options.agreedOnly
    ? view.layers.filter((l) => isAgreedStatus(l.status))
    : view.layers;

  const layers = chosen.map((layer, i): ExportLayer => {
    const narrative = exportBlocks(layer.narrative.blocks, partyName);
    const openBrackets = countBrackets(narrative);
    // Agreed ad referendum is not final until every named capital has confirmed.
    const agreed = layer.status === 'agreed';
    const status = LAYER_STATUS_LABELS[layer.status];
    const pending = pendingConfirmations(layer.statusDetail.adReferendum);
    const pkg = packageOf(view.packages ?? [], layer.id);
    const marking = !agreed
      ? layer.status === 'agreed_ad_ref'
        ? `AGREED AD REFERENDUM, pending confirmation by: ${pending.map(partyName).join(', ') || 'not named'}`
        : layer.status === 'agreed_in_package'
          ? `PROVISIONALLY AGREED, package ${pkg ? `"${pkg.name}"` : '(removed)'} pending`
          : `NOT AGREED (${status})`
      : openBrackets > 0
        ? `NOT AGREED (${openBrackets} open bracket${openBrackets === 1 ? '' : 's'})`
        : null;
    return {
      id: layer.id,
      number: i + 1,
      title: layer.title || 'Untitled layer',
      kind: LAYER_KIND_LABELS[layer.kind],
      status,
      agreed,
      openBrackets,
      marking,
      lead: layer.lead ? partyName(layer.lead) : 'not chosen',
      narrative,
      commitments: layer.commitments.map((c) => [
        c.party ? partyName(c.party) : 'not chosen',
        COMMITMENT_TYPE_LABELS[c.type],
        c.quantity === null ? 'not set' : `${c.quantity} ${c.unit}`.trim(),
        c.conditions,
        c.period,
      ]),
      triggers: layer.triggers.map((t) => [
        t.condition,
        t.response,
        formatDeadline(t.deadlineHours),
        t.responsibleParties.map(partyName).join(', ') || 'not set',
      ]),
      triggerSentences: layer.triggers.map((t) =>
        triggerSentence(
          {
            condition: t.condition,
            response: t.response,
            deadlineHours: t.deadlineHours,
            responsible: t.responsibleParties.map(partyName),
          },
          [...names.values()],
        ),
      ),
      positionList: Object.entries(layer.positions)
        .map(([party, p]) => ({
          party: partyName(party),
          stance: STANCE_LABELS[p.stance],
          note: p.note,
          statedBy: p.statedBy
            ? `${p.statedBy.chair ? `entered by the chair (${p.statedBy.name || 'a former member'})` : p.statedBy.name || 'a former member'}, ${formatUtc(p.statedBy.at)}`
            : null,
        }))
        .sort((a, b) => a.party.localeCompare(b.party)),
      positions: Object.entries(layer.positions)
        .map(([party, p]) => [
          partyName(party),
          STANCE_LABELS[p.stance] + (p.statedBy?.chair ? ' (entered by the chair)' : ''),
          p.note,
        ])
        .sort((a, b) => a[0]!.localeCompare(b[0]!)),
      dependencies: layer.dependencies.map((id) => layerTitles.get(id) ?? 'a removed layer'),
      openQuestions: layer.openQuestions.map((n) => n.text),
      risks: layer.risks.map((n) => n.text),
    };
  });

  const agreedCount = layers.filter((l) => l.agreed).length;
  const bracketTotal = layers.reduce((s, l) => s + l.openBrackets, 0);
  const draft = layers.length === 0 || layers.some((l) => l.marking !== null);
  const statusSummary =
    `${agreedCount} of ${layers.length} layer${layers.length === 1 ? '' : 's'} agreed, ` +
    `${bracketTotal} open bracket${bracketTotal === 1 ? '' : 's'}` +
    (options.agreedOnly ? ' (agreed layers only)' : '');

  const included = new Set(layers.map((l) => l.id));
  const appendix =
    options.comments === null
      ? null
      : options.comments
          .filter((t) => included.has(t.layerId))
          .map((t) => ({
            layer: layerTitles.get(t.layerId) ?? 'a removed layer',
            quote: t.quote,
            resolved: t.resolved,
            comments: t.comments.map((c) => ({
              author: c.author,
              body: c.body,
              at: c.at.toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
            })),
          }));

  return {
    title: view.title || 'Untitled framework',
    version: options.versionName ?? 'current',
    date: options.date.toISOString().slice(0, 10),
    parties: view.parties.map((p) => p.name),
    statusSummary,
    draft,
    agreedOnly: options.agreedOnly,
    layers,
    appendix,
    verification: null,
  };
}

/** Plain text of inlines, brackets as "[text] (proposed by X)". */
export function inlineText(content: ExportInline[]): string {
  return content.map((i) => (i.type === 'hardBreak' ? '\n' : inlinePlain(i))).join('');
}

export function inlinePlain(i: Exclude<ExportInline, { type: 'hardBreak' }>): string {
  if (i.type === 'text') return i.text;
  return `[${i.text}] (${bracketNote(i)})`;
}

export function bracketNote(i: {
  party: string;
  alternatives: Array<{ text: string; party: string }>;
}): string {
  const alts = i.alternatives.filter((a) => a.text.trim() !== '');
  const alt = (a: { text: string; party: string }) =>
    `[${a.text}]${a.party ? ` (${a.party})` : ''}`;
  return (
    `proposed by ${i.party}` +
    (alts.length > 0 ? `; alternatives: ${alts.map(alt).join(' / ')}` : '')
  );
}

/**
 * A file name from the framework title and version in their own script ("Рамкова-угода-current.pdf"):
 * letters, digits, ".", "_" and "-" only, so no path or header characters. The route sends it as
 * RFC 6266 `filename*` beside asciiFileName's fallback.
 */
export function exportFileName(model: Pick<ExportModel, 'title' | 'version'>, ext: string): string {
  const slug = (s: string) =>
    s
      .normalize('NFC')
      .replace(/[^\p{L}\p{M}\p{N}\s._-]/gu, '')
      .trim()
      .replace(/\s+/g, '-')
      .replace(/^\.+/, '')
      .slice(0, 80) || 'framework';
  return `${slug(model.title)}-${slug(model.version)}.${ext}`;
}

// Latin letters that NFKD does not take apart into a base letter and an accent.
const ASCII_LETTERS: Record<string, string> = {
  Ł: 'L',
  ł: 'l',
  Đ: 'D',
  đ: 'd',
  Ø: 'O',
  ø: 'o',
  ı: 'i',
  ß: 'ss',
  Æ: 'AE',
  æ: 'ae',
};

/** The ASCII fallback of a file name for clients that ignore `filename*`: accents dropped,
 * other letters (Cyrillic, Greek) gone, "framework" when nothing is left. */
export function asciiFileName(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  const [base, ext] = dot > 0 ? [fileName.slice(0, dot), fileName.slice(dot)] : [fileName, ''];
  const ascii = base
    .normalize('NFKD')
    .replace(/[ŁłĐđØøıßÆæ]/g, (c) => ASCII_LETTERS[c] ?? '')
    .replace(/[^\w.-]/g, '')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
  return `${ascii || 'framework'}${ext.replace(/[^\w.]/g, '')}`;
}
