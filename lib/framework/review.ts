/**
 * The review workflow over a framework document: status transitions, locks, the silence
 * procedure, bracketed text, consensus from positions and what blocks agreement. Pure functions
 * over Y.Doc and plain values, used by the browser (to show), the server (to enforce) and tests.
 */
import * as Y from 'yjs';
import { findLayer, layersMap, readFramework, setLayerField } from './doc';
import { BRACKET_MARK, bracketAttrsOf, type BracketAttrs } from './bracket-attrs';
import { readFragment, readRaw, readYMap, rootOf, type LayerMap } from './schema';
import {
  isLayerStatus,
  isStance,
  type Layer,
  type LayerStatus,
  type LayerStatusDetail,
  type Position,
} from './types';

// ---------------------------------------------------------------------------------------------
// Status workflow
// ---------------------------------------------------------------------------------------------

/**
 * Statuses whose content is frozen: only owners change such a layer (or reopen it). Agreement in
 * a package is provisional, but the text traded in it is frozen all the same.
 */
export const LOCKED_STATUSES: readonly LayerStatus[] = [
  'agreed_ad_ref',
  'agreed_in_package',
  'agreed',
];

export const isLockedStatus = (status: LayerStatus): boolean => LOCKED_STATUSES.includes(status);

/** What the acting member may do, from the permission matrix ('document.edit', 'layer.agree'). */
export type ReviewActor = { canEdit: boolean; canAgree: boolean };

type TransitionRule = {
  from: readonly LayerStatus[];
  to: LayerStatus;
  needs: 'edit' | 'agree';
  /** 'package': only the package's own act makes this move (lib/framework/packages.ts). */
  act?: 'package';
};

/**
 * Every allowed move. Editors move a layer up to "in review" and back; only owners agree (ad
 * referendum, in package or final) and reopen. Anything not listed is refused. Whether a layer
 * is in a package (which decides between "agreed" and "agreed in package") is checked beside
 * this table, in packages.ts, because it needs the document.
 */
export const TRANSITIONS: readonly TransitionRule[] = [
  { from: ['proposed', 'in_review'], to: 'draft', needs: 'edit' },
  { from: ['draft', 'in_review'], to: 'proposed', needs: 'edit' },
  { from: ['proposed'], to: 'in_review', needs: 'edit' },
  { from: ['draft', 'proposed', 'in_review'], to: 'agreed_ad_ref', needs: 'agree' },
  { from: ['draft', 'proposed', 'in_review'], to: 'agreed_in_package', needs: 'agree' },
  { from: ['draft', 'proposed', 'in_review', 'agreed_ad_ref'], to: 'agreed', needs: 'agree' },
  // The package is agreed in one act: every layer of it, all agreed in package, becomes agreed.
  { from: ['agreed_in_package'], to: 'agreed', needs: 'agree', act: 'package' },
  // Reopening one layer of an agreed package returns the others to agreed in package.
  { from: ['agreed'], to: 'agreed_in_package', needs: 'agree', act: 'package' },
  // Reopening: an owner takes an agreed layer back to review.
  { from: ['agreed_ad_ref', 'agreed_in_package', 'agreed'], to: 'in_review', needs: 'agree' },
];

export type Refusal = { ok: false; code: RefusalCode; message: string };
export type RefusalCode =
  | 'not_allowed'
  | 'forbidden'
  | 'open_brackets'
  | 'opposed'
  | 'under_silence'
  | 'deadline_required'
  | 'locked'
  | 'server_owned';
export type Verdict = { ok: true } | Refusal;

const refuse = (code: RefusalCode, message: string): Refusal => ({ ok: false, code, message });

/** Whether `actor` may move a layer from `from` to `to` (who may, not whether the text is ready). */
export function checkTransition(
  from: LayerStatus,
  to: LayerStatus,
  actor: ReviewActor,
  detail: LayerStatusDetail = {},
  act: 'layer' | 'package' = 'layer',
): Verdict {
  if (from === to) return refuse('not_allowed', 'The layer already has that status.');
  const rule = TRANSITIONS.find((r) => r.to === to && r.from.includes(from));
  if (!rule) return refuse('not_allowed', `A layer cannot go from ${from} to ${to}.`);
  if ((rule.act ?? 'layer') !== act) {
    return refuse(
      'not_allowed',
      rule.act === 'package'
        ? 'A layer agreed in package becomes agreed only when its package is agreed, in one act.'
        : `A package does not move a layer from ${from} to ${to}.`,
    );
  }
  const allowed = rule.needs === 'agree' ? actor.canAgree : actor.canEdit;
  if (!allowed) {
    return refuse(
      'forbidden',
      rule.needs === 'agree'
        ? 'Only owners agree or reopen a layer.'
        : 'You may not change the status.',
    );
  }
  if (silenceRunning(detail) && !actor.canAgree) {
    return refuse('under_silence', 'The layer is under silence; break silence first.');
  }
  return { ok: true };
}

/** Why a layer may not be agreed now (open brackets, opposition without override); [] when it may. */
export function agreementBlockers(
  layer: Pick<Layer, 'positions'> & { openBrackets: number },
  override: boolean,
): Refusal[] {
  const blockers: Refusal[] = [];
  if (layer.openBrackets > 0) {
    blockers.push(
      refuse(
        'open_brackets',
        `${layer.openBrackets} open bracket${layer.openBrackets === 1 ? '' : 's'}: resolve them before agreeing.`,
      ),
    );
  }
  const opposing = opposingParties(layer.positions);
  if (opposing.length > 0 && !override) {
    blockers.push(
      refuse(
        'opposed',
        `Opposed by ${opposing.join(', ')}: an owner's explicit override is needed.`,
      ),
    );
  }
  return blockers;
}

/** Agreed, finally or provisionally (ad referendum, in package): what "agreed only" exports. */
export const isAgreedStatus = (s: LayerStatus) =>
  s === 'agreed' || s === 'agreed_ad_ref' || s === 'agreed_in_package';

// ---------------------------------------------------------------------------------------------
// Silence procedure
// ---------------------------------------------------------------------------------------------

/** A silence procedure that is running (started, not broken). */
export function silenceRunning(detail: LayerStatusDetail): boolean {
  return detail.silence !== undefined && detail.silence.broken === undefined;
}

/** Whether a running silence has reached its deadline at `now`. */
export function silenceExpired(detail: LayerStatusDetail, now: Date): boolean {
  return silenceRunning(detail) && Date.parse(detail.silence!.until) <= now.getTime();
}

// ---------------------------------------------------------------------------------------------
// Positions and consensus
// ---------------------------------------------------------------------------------------------

/**
 * Consensus as negotiators count it: every participating party has stated and none opposes.
 * Reservations do not break consensus but are listed; silent parties are named, not ignored.
 */
export type Consensus = 'none' | 'consensus' | 'incomplete' | 'blocked';

export const CONSENSUS_LABELS: Record<Consensus, string> = {
  none: 'No parties',
  consensus: 'Consensus',
  incomplete: 'Not all stated',
  blocked: 'Opposed',
};

/** The count behind a layer's consensus, over the framework's participating parties. */
export interface ConsensusReport {
  state: Consensus;
  /** Participants who have stated a stance. */
  stated: number;
  /** Participants. */
  total: number;
  /** Party ids, in participant order. */
  reserve: string[];
  oppose: string[];
  missing: string[];
}

export function opposingParties(positions: Record<string, Position>): string[] {
  return Object.entries(positions)
    .filter(([, p]) => p.stance === 'oppose')
    .map(([party]) => party)
    .sort();
}

/**
 * The consensus of one layer among `participants` (party ids, the framework's parties). A
 * position of a party no longer participating is not counted.
 */
export function consensusOf(
  positions: Record<string, Position>,
  participants: readonly string[],
): ConsensusReport {
  const report: ConsensusReport = {
    state: 'none',
    stated: 0,
    total: participants.length,
    reserve: [],
    oppose: [],
    missing: [],
  };
  for (const party of participants) {
    const stance = positions[party]?.stance;
    if (stance === undefined) {
      report.missing.push(party);
      continue;
    }
    report.stated += 1;
    if (stance === 'reserve') report.reserve.push(party);
    if (stance === 'oppose') report.oppose.push(party);
  }
  if (report.total === 0) report.state = 'none';
  else if (report.oppose.length > 0) report.state = 'blocked';
  else if (report.missing.length > 0) report.state = 'incomplete';
  else report.state = 'consensus';
  return report;
}

/** "9 of 13 stated, 2 reserve, 1 oppose": the badge text of a report. */
export function consensusCount(report: ConsensusReport): string {
  const parts = [`${report.stated} of ${report.total} stated`];
  if (report.reserve.length > 0) parts.push(`${report.reserve.length} reserve`);
  if (report.oppose.length > 0) parts.push(`${report.oppose.length} oppose`);
  return parts.join(', ');
}

/** The framework's consensus: the worst of its layers' ('none' only when there are no parties). */
export function frameworkConsensus(
  layers: Array<Pick<Layer, 'positions'>>,
  participants: readonly string[],
): Consensus {
  const rank: Consensus[] = ['none', 'consensus', 'incomplete', 'blocked'];
  let worst: Consensus = 'none';
  for (const layer of layers) {
    const c = consensusOf(layer.positions, participants).state;
    if (rank.indexOf(c) > rank.indexOf(worst)) worst = c;
  }
  return worst;
}

// ---------------------------------------------------------------------------------------------
// Bracketed text
// ---------------------------------------------------------------------------------------------

/** One run of bracketed text: unagreed language, its proposing party and alternative wordings. */
export interface Bracket extends BracketAttrs {
  text: string;
}

function collectBrackets(node: Y.XmlFragment | Y.XmlElement, out: Bracket[]) {
  for (const child of node.toArray()) {
    if (child instanceof Y.XmlText) {
      // toDelta is typed `any` by Yjs; each op is { insert, attributes? }.
      const delta = child.toDelta() as Array<{
        insert?: unknown;
        attributes?: Record<string, unknown>;
      }>;
      for (const op of delta) {
        if (typeof op.insert !== 'string') continue;
        const key = Object.keys(op.attributes ?? {}).find(
          (k) => k === BRACKET_MARK || k.startsWith(`${BRACKET_MARK}--`),
        );
        const attrs = key ? bracketAttrsOf(op.attributes![key]) : null;
        if (!attrs) continue;
        // Adjacent runs of the same bracket (split by other marks) are one bracket.
        const last = out[out.length - 1];
        if (last && attrs.id !== '' && last.id === attrs.id) last.text += op.insert;
        else out.push({ ...attrs, text: op.insert });
      }
    } else if (child instanceof Y.XmlElement) {
      collectBrackets(child, out);
    }
  }
}

/** The open brackets of a narrative fragment, in text order. */
export function readBrackets(fragment: Y.XmlFragment | undefined | null): Bracket[] {
  const out: Bracket[] = [];
  if (fragment) collectBrackets(fragment, out);
  return out;
}

/** Open brackets per layer id (layers with none are omitted). */
export function openBracketCounts(doc: Y.Doc): Record<string, number> {
  const counts: Record<string, number> = {};
  layersMap(doc)?.forEach((layer, id) => {
    if (!(layer instanceof Y.Map)) return;
    const n = readBrackets(readFragment(layer, 'narrative')).length;
    if (n > 0) counts[id] = n;
  });
  return counts;
}

// ---------------------------------------------------------------------------------------------
// Reading and writing review state
// ---------------------------------------------------------------------------------------------

/** What the review rules need of one layer, read straight from the document. */
export interface LayerReviewState {
  status: LayerStatus;
  statusDetail: LayerStatusDetail;
  positions: Record<string, Position>;
  openBrackets: number;
}

export function readLayerReviewState(doc: Y.Doc, layerId: string): LayerReviewState | null {
  const layer = findLayer(doc, layerId);
  if (!layer) return null;
  const status = readRaw(layer, 'status');
  const detail = readRaw(layer, 'statusDetail');
  const positions: Record<string, Position> = {};
  readYMap(layer, 'positions')?.forEach((p, party) => {
    if (!(p instanceof Y.Map)) return;
    const stance: unknown = p.get('stance');
    const note: unknown = p.get('note');
    if (isStance(stance))
      positions[party] = { stance, note: note instanceof Y.Text ? note.toString() : '' };
  });
  return {
    status: isLayerStatus(status) ? status : 'draft',
    statusDetail:
      typeof detail === 'object' && detail !== null
        ? structuredClone(detail as LayerStatusDetail)
        : {},
    positions,
    openBrackets: readBrackets(readFragment(layer, 'narrative')).length,
  };
}

/** What decides whether a layer's content may change: its status and a running silence. */
export interface LayerGate {
  status: LayerStatus;
  /** ISO 8601 deadline of a running silence procedure, null when none runs. */
  silenceUntil: string | null;
}

export function gateOf(status: LayerStatus, detail: LayerStatusDetail): LayerGate {
  return { status, silenceUntil: silenceRunning(detail) ? detail.silence!.until : null };
}

/**
 * Why a layer's content is frozen for everyone, owners included, or null when it is not: agreed
 * text changes only after the chair reopens it, and the text circulated under silence is the
 * text agreed at its deadline.
 */
export function frozenBecause(gate: LayerGate): Refusal | null {
  if (isLockedStatus(gate.status)) {
    return refuse('locked', 'This layer is agreed: its text is frozen until the chair reopens it.');
  }
  if (gate.silenceUntil !== null) {
    // No deadline in the words: they reach people in every time zone, and the layer's review
    // bar shows the deadline in the reader’s own (lib/time.ts).
    return refuse(
      'under_silence',
      'This layer is under silence: its text is frozen until the silence ends or is broken.',
    );
  }
  return null;
}

/** The gate of every layer, cheaply (the sync server keeps this per document). */
export function layerGates(doc: Y.Doc): Map<string, LayerGate> {
  const out = new Map<string, LayerGate>();
  layersMap(doc)?.forEach((layer, id) => {
    if (!(layer instanceof Y.Map)) return;
    const status = readRaw(layer, 'status');
    const detail = readRaw(layer, 'statusDetail');
    out.set(
      id,
      gateOf(
        isLayerStatus(status) ? status : 'draft',
        typeof detail === 'object' && detail !== null ? (detail as LayerStatusDetail) : {},
      ),
    );
  });
  return out;
}

/** Writes status and detail together in one transaction (the server's workflow does this). */
export function writeLayerStatus(
  doc: Y.Doc,
  layerId: string,
  status: LayerStatus,
  detail: LayerStatusDetail,
  origin?: unknown,
): boolean {
  if (!findLayer(doc, layerId)) return false;
  doc.transact(() => {
    setLayerField(doc, layerId, 'status', status, origin);
    setLayerField(doc, layerId, 'statusDetail', detail, origin);
  }, origin);
  return true;
}

/** The Y type of a layer, for scoping an undo to it (server authority); null when absent. */
export function layerType(doc: Y.Doc, layerId: string): SharedType | null {
  return (findLayer(doc, layerId) as SharedType | undefined) ?? null;
}

/** The root map (for undoing a client's write to the server-owned packages). */
export function rootType(doc: Y.Doc): SharedType {
  return rootOf(doc) as unknown as SharedType;
}

/** Whether a transaction wrote the packages record (only the server's workflow may). */
export function packagesWrittenIn(doc: Y.Doc, transaction: Y.Transaction): boolean {
  return transaction.changed.get(rootType(doc))?.has('packages') === true;
}

/** The container of all layers (for undoing a removal); null before initialisation. */
export function layersContainer(doc: Y.Doc): SharedType | null {
  return (layersMap(doc) as SharedType | undefined) ?? null;
}

/** Any shared type, as Yjs types a transaction's changed map (without writing `any`). */
type SharedType = Y.Transaction['changed'] extends Map<infer K, unknown> ? K : never;

/** What a transaction did to layers: which changed, which server-owned fields, which went away. */
export interface LayerChanges {
  /** Layers with any change inside them. */
  changed: Set<string>;
  /** Layers whose status or statusDetail was written. */
  statusWritten: Set<string>;
  /** Layers whose positions (a delegation's acts, server-owned) were written. */
  positionsWritten: Set<string>;
  /** Layer ids deleted from the layers map. */
  removed: Set<string>;
}

/**
 * Reads a transaction (inside it, before observers run) for the layers it touched. Walks each
 * changed type up to its layer, so a change deep in a narrative counts for its layer.
 */
export function layerChangesOf(doc: Y.Doc, transaction: Y.Transaction): LayerChanges {
  const result: LayerChanges = {
    changed: new Set(),
    statusWritten: new Set(),
    positionsWritten: new Set(),
    removed: new Set(),
  };
  const layers = layersMap(doc);
  if (!layers) return result;
  for (const [type, keys] of transaction.changed) {
    if (type === (layers as unknown as SharedType)) {
      for (const key of keys) {
        if (key !== null && !(layers.get(key) instanceof Y.Map)) result.removed.add(key);
        else if (key !== null) result.changed.add(key);
      }
      continue;
    }
    const place = placeInLayers(layers, type);
    if (place === null) continue;
    const { layerId: id, field } = place;
    result.changed.add(id);
    if (field === null) {
      if (keys.has('status') || keys.has('statusDetail')) result.statusWritten.add(id);
      if (keys.has('positions')) result.positionsWritten.add(id);
    } else if (field === 'positions') {
      result.positionsWritten.add(id);
    }
  }
  return result;
}

/** The id of the layer a shared type sits in, or null when it is outside the layers. */
export function layerOfType(doc: Y.Doc, type: Y.AbstractType<unknown>): string | null {
  const layers = layersMap(doc);
  return layers ? (placeInLayers(layers, type as unknown as SharedType)?.layerId ?? null) : null;
}

/**
 * Where a type sits in the layers: its layer's id, and the layer field it is inside (null for
 * the layer map itself), or null when it is outside the layers.
 */
function placeInLayers(
  layers: Y.Map<LayerMap>,
  type: SharedType,
): { layerId: string; field: string | null } | null {
  let current: SharedType | null = type;
  let field: string | null = null;
  while (current && current._item) {
    const parent: unknown = current._item.parent;
    if (parent === (layers as unknown as SharedType)) {
      const layerId = current._item.parentSub;
      return layerId === null ? null : { layerId, field };
    }
    field = current._item.parentSub;
    current = parent instanceof Y.AbstractType ? (parent as SharedType) : null;
  }
  return null;
}

/** Review figures of a whole framework: per-layer consensus and open brackets, and totals. */
export function reviewSummary(doc: Y.Doc) {
  const view = readFramework(doc);
  const brackets = openBracketCounts(doc);
  const participants = view.parties.map((p) => p.id);
  return {
    layers: view.layers.map((l) => ({
      id: l.id,
      consensus: consensusOf(l.positions, participants),
      openBrackets: brackets[l.id] ?? 0,
    })),
    consensus: frameworkConsensus(view.layers, participants),
    openBrackets: Object.values(brackets).reduce((a, b) => a + b, 0),
  };
}
