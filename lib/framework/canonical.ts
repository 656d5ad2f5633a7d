/**
 * The canonical serialisation of a framework view and its content hash: what delegations initial
 * and what an exported copy is checked against. Spelled out in the README ("Initialling and
 * verification"); changing anything here changes every hash, so the format carries a version.
 *
 * What is in: exactly what a reader of the text can see, so that a copy can be re-rendered from
 * it (fromCanonical) and compared with what the file shows. What is out: identity and procedure
 * that no reader sees and that differs between two documents with the same text: Yjs ids of
 * layers, commitments, triggers and notes (list order carries their meaning; dependencies become
 * layer numbers), fractional order keys (the array order is the order), who stated a position
 * and when (only "entered by the chair" is printed), silence and override records with their
 * times. Of the status detail only the delegations still to confirm an ad referendum stay, since
 * exports print them. Bracket ids are renumbered in order of appearance ("b1", "b2", ...).
 *
 * Encoding: JSON with object keys sorted by UTF-16 code units (as RFC 8785), no whitespace,
 * numbers as ECMAScript prints them, every string (keys too) in Unicode NFC, absent optional
 * members left out. Hash: SHA-256 of the UTF-8 bytes, lower-case hex.
 */
import { createHash } from 'node:crypto';
import { pendingConfirmations } from './review-commands';
import type {
  CommitmentType,
  FrameworkView,
  Inline,
  Layer,
  LayerKind,
  LayerStatus,
  Mark,
  NarrativeBlock,
  Stance,
} from './types';

export const CANONICAL_FORMAT = 'framework-canonical/1';

export interface CanonicalLayer {
  title: string;
  kind: LayerKind;
  status: LayerStatus;
  /** Party ids still to confirm an ad referendum (only for agreed_ad_ref). */
  pendingConfirmation?: string[];
  lead: string | null;
  narrative: NarrativeBlock[];
  commitments: Array<{
    party: string;
    type: CommitmentType;
    quantity: number | null;
    unit: string;
    conditions: string;
    period: string;
  }>;
  triggers: Array<{
    condition: string;
    response: string;
    deadlineHours: number | null;
    responsibleParties: string[];
  }>;
  /** Keyed by party id. */
  positions: Record<string, { stance: Stance; note: string; chair: boolean }>;
  /** 1-based numbers of the layers depended on; null for a removed layer. */
  dependencies: Array<number | null>;
  openQuestions: string[];
  risks: string[];
}

export interface CanonicalFramework {
  format: typeof CANONICAL_FORMAT;
  schemaVersion: number;
  title: string;
  parties: Array<{ id: string; name: string }>;
  layers: CanonicalLayer[];
}

/** JSON text of a value: sorted keys, NFC strings, no whitespace (see the module comment). */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new Error('canonicalJson: non-finite number');
      return JSON.stringify(value);
    case 'string':
      return JSON.stringify(value.normalize('NFC'));
    case 'object': {
      if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k.normalize('NFC'), v] as const)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
    }
    default:
      throw new Error(`canonicalJson: cannot encode ${typeof value}`);
  }
}

function canonicalMarks(marks: Mark[], bracketIds: Map<string, string>): Mark[] {
  const out = marks.map((m): Mark => {
    if (m.type !== 'bracket') return m;
    let id = bracketIds.get(m.id);
    if (!id) {
      id = `b${bracketIds.size + 1}`;
      bracketIds.set(m.id, id);
    }
    return { ...m, id };
  });
  // Mark order inside one run carries no meaning.
  return out.sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
}

function canonicalBlocks(blocks: NarrativeBlock[], ids: Map<string, string>): NarrativeBlock[] {
  const inlines = (content: Inline[]): Inline[] =>
    content.map((i) =>
      i.type === 'hardBreak'
        ? i
        : { type: 'text', text: i.text, marks: canonicalMarks(i.marks, ids) },
    );
  return blocks.map((b): NarrativeBlock => {
    switch (b.type) {
      case 'paragraph':
        return { type: 'paragraph', content: inlines(b.content) };
      case 'heading':
        return { type: 'heading', level: b.level, content: inlines(b.content) };
      case 'list':
        return {
          type: 'list',
          ordered: b.ordered,
          items: b.items.map((i) => canonicalBlocks(i, ids)),
        };
      case 'blockquote':
        return { type: 'blockquote', blocks: canonicalBlocks(b.blocks, ids) };
      case 'table':
        return {
          type: 'table',
          rows: b.rows.map((r) =>
            r.map((c) => ({ header: c.header, blocks: canonicalBlocks(c.blocks, ids) })),
          ),
        };
    }
  });
}

/** The canonical form of a view (a plain object; canonicalJson encodes it). */
export function canonicalFramework(view: FrameworkView): CanonicalFramework {
  const number = new Map(view.layers.map((l, i) => [l.id, i + 1]));
  const bracketIds = new Map<string, string>();
  return {
    format: CANONICAL_FORMAT,
    schemaVersion: view.schemaVersion,
    title: view.title,
    parties: view.parties.map((p) => ({ id: p.id, name: p.name })),
    layers: view.layers.map((l): CanonicalLayer => {
      const pending =
        l.status === 'agreed_ad_ref'
          ? pendingConfirmations(l.statusDetail.adReferendum)
          : undefined;
      return {
        title: l.title,
        kind: l.kind,
        status: l.status,
        ...(pending ? { pendingConfirmation: pending } : {}),
        lead: l.lead,
        narrative: canonicalBlocks(l.narrative.blocks, bracketIds),
        commitments: l.commitments.map(({ id: _id, ...c }) => c),
        triggers: l.triggers.map(({ id: _id, ...t }) => t),
        positions: Object.fromEntries(
          Object.entries(l.positions).map(([party, p]) => [
            party,
            { stance: p.stance, note: p.note, chair: p.statedBy?.chair === true },
          ]),
        ),
        dependencies: l.dependencies.map((id) => number.get(id) ?? null),
        openQuestions: l.openQuestions.map((n) => n.text),
        risks: l.risks.map((n) => n.text),
      };
    }),
  };
}

/** The canonical serialisation of a view: the exact text that is hashed. */
export function canonicalSerialise(view: FrameworkView): string {
  return canonicalJson(canonicalFramework(view));
}

/** SHA-256 (hex) of a canonical serialisation. */
export function hashCanonical(serialised: string): string {
  return createHash('sha256').update(serialised, 'utf8').digest('hex');
}

/** The content hash of a view: SHA-256 hex of its canonical serialisation. */
export function contentHash(view: FrameworkView): string {
  return hashCanonical(canonicalSerialise(view));
}

/** A short form of a hash for print beside the full one ("3f2a 9c01 ..."): the first 16 digits. */
export function shortHash(hash: string): string {
  return hash.slice(0, 16).replace(/(.{4})(?=.)/g, '$1 ');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A view rebuilt from a canonical form (synthetic ids and order keys): what an export of the
 * original prints, an export of this prints too. Throws on something that is not a canonical
 * form of this format (the caller reports "not a verifiable copy").
 */
export function fromCanonical(parsed: unknown): FrameworkView {
  if (!isObject(parsed) || parsed.format !== CANONICAL_FORMAT) {
    throw new Error('not a canonical framework');
  }
  const c = parsed as unknown as CanonicalFramework;
  if (!Array.isArray(c.layers) || !Array.isArray(c.parties) || typeof c.title !== 'string') {
    throw new Error('not a canonical framework');
  }
  const layerId = (n: number) => `layer-${String(n).padStart(4, '0')}`;
  const layers = c.layers.map((l, i): Layer => {
    if (!isObject(l)) throw new Error('not a canonical framework');
    let itemId = 0;
    const next = (prefix: string) => `${prefix}-${++itemId}`;
    return {
      id: layerId(i + 1),
      title: l.title,
      kind: l.kind,
      status: l.status,
      statusDetail: l.pendingConfirmation
        ? { adReferendum: { required: l.pendingConfirmation, confirmed: {} } }
        : {},
      lead: l.lead,
      order: String(i).padStart(6, '0'),
      narrative: { text: '', blocks: l.narrative },
      commitments: l.commitments.map((x) => ({ id: next('c'), ...x })),
      triggers: l.triggers.map((x) => ({ id: next('t'), ...x })),
      positions: Object.fromEntries(
        Object.entries(l.positions).map(([party, p]) => [
          party,
          {
            stance: p.stance,
            note: p.note,
            ...(p.chair ? { statedBy: { by: '', name: '', chair: true, at: '' } } : {}),
          },
        ]),
      ),
      dependencies: l.dependencies.map((n) => (n === null ? 'removed-layer' : layerId(n))),
      openQuestions: l.openQuestions.map((text) => ({ id: next('q'), text })),
      risks: l.risks.map((text) => ({ id: next('r'), text })),
    };
  });
  return {
    schemaVersion: c.schemaVersion,
    title: c.title,
    parties: c.parties.map((p) => ({ id: p.id, name: p.name })),
    layers,
  };
}
