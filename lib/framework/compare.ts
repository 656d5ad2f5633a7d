/**
 * Layer-level comparison of two framework states (a version against another or the current
 * state): layers added, removed and moved, status changes, and which fields of a layer changed,
 * down to the commitments, triggers, positions, dependencies, open questions and risks involved.
 * Pure: plain views in, plain data out.
 */
import type { FrameworkView, Layer, LayerStatus, NoteList } from './types';

export type LayerField =
  | 'title'
  | 'kind'
  | 'lead'
  | 'narrative'
  | 'commitments'
  | 'triggers'
  | 'positions'
  | 'dependencies'
  | 'openQuestions'
  | 'risks';

/**
 * Item ids (commitments, triggers, open questions, risks), party ids (positions) or layer ids
 * (dependencies, never "changed") added, removed or changed.
 */
export interface ItemChanges {
  added: string[];
  removed: string[];
  changed: string[];
}

export interface LayerRef {
  id: string;
  title: string;
}

export interface LayerDiff extends LayerRef {
  fields: LayerField[];
  commitments: ItemChanges;
  triggers: ItemChanges;
  positions: ItemChanges;
  dependencies: ItemChanges;
  openQuestions: ItemChanges;
  risks: ItemChanges;
}

/** The fields of a layer diff that list item changes. */
export type ItemField = 'commitments' | 'triggers' | 'positions' | NoteList | 'dependencies';

const ITEM_FIELDS: ReadonlySet<string> = new Set<ItemField>([
  'commitments',
  'triggers',
  'positions',
  'dependencies',
  'openQuestions',
  'risks',
]);

/** Whether a changed field has item changes (added, removed, changed) in its layer diff. */
export const isItemField = (field: string): field is ItemField => ITEM_FIELDS.has(field);

export interface FrameworkComparison {
  title: { from: string; to: string } | null;
  partiesAdded: string[];
  partiesRemoved: string[];
  added: LayerRef[];
  removed: LayerRef[];
  /** Layers whose place among the layers present in both changed (1-based positions). */
  moved: Array<LayerRef & { from: number; to: number }>;
  statusChanges: Array<LayerRef & { from: LayerStatus; to: LayerStatus }>;
  /** Layers present in both with at least one changed field. */
  changed: LayerDiff[];
  /** True when nothing at all differs. */
  same: boolean;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function itemChanges<T>(a: Map<string, T>, b: Map<string, T>): ItemChanges {
  return {
    added: [...b.keys()].filter((k) => !a.has(k)),
    removed: [...a.keys()].filter((k) => !b.has(k)),
    changed: [...b.keys()].filter((k) => a.has(k) && !same(a.get(k), b.get(k))),
  };
}

const anyChange = (c: ItemChanges) => c.added.length + c.removed.length + c.changed.length > 0;
const byId = <T extends { id: string }>(items: T[]) => new Map(items.map((i) => [i.id, i]));

/** Indices (into `seq`) of one longest strictly increasing subsequence. */
function longestIncreasing(seq: number[]): Set<number> {
  const tails: number[] = [];
  const prev: number[] = new Array<number>(seq.length).fill(-1);
  for (let i = 0; i < seq.length; i++) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (seq[tails[mid]!]! < seq[i]!) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[i] = tails[lo - 1]!;
    tails[lo] = i;
  }
  const keep = new Set<number>();
  for (let i = tails[tails.length - 1] ?? -1; i >= 0; i = prev[i]!) keep.add(i);
  return keep;
}

function diffLayer(a: Layer, b: Layer): LayerDiff {
  const commitments = itemChanges(byId(a.commitments), byId(b.commitments));
  const triggers = itemChanges(byId(a.triggers), byId(b.triggers));
  const positions = itemChanges(
    new Map(Object.entries(a.positions)),
    new Map(Object.entries(b.positions)),
  );
  const dependencies = itemChanges(
    new Map(a.dependencies.map((id) => [id, id])),
    new Map(b.dependencies.map((id) => [id, id])),
  );
  const openQuestions = itemChanges(byId(a.openQuestions), byId(b.openQuestions));
  const risks = itemChanges(byId(a.risks), byId(b.risks));
  const fields: LayerField[] = [];
  if (a.title !== b.title) fields.push('title');
  if (a.kind !== b.kind) fields.push('kind');
  if (a.lead !== b.lead) fields.push('lead');
  if (!same(a.narrative.blocks, b.narrative.blocks)) fields.push('narrative');
  if (anyChange(commitments)) fields.push('commitments');
  if (anyChange(triggers)) fields.push('triggers');
  if (anyChange(positions)) fields.push('positions');
  if (anyChange(dependencies)) fields.push('dependencies');
  // Notes also count as changed when only their order differs.
  if (!same(a.openQuestions, b.openQuestions)) fields.push('openQuestions');
  if (!same(a.risks, b.risks)) fields.push('risks');
  return {
    id: b.id,
    title: b.title,
    fields,
    commitments,
    triggers,
    positions,
    dependencies,
    openQuestions,
    risks,
  };
}

/** What changed from `from` to `to`, layer by layer. */
export function compareFrameworks(from: FrameworkView, to: FrameworkView): FrameworkComparison {
  const before = byId(from.layers);
  const after = byId(to.layers);
  const ref = (l: Layer): LayerRef => ({ id: l.id, title: l.title });

  const added = to.layers.filter((l) => !before.has(l.id)).map(ref);
  const removed = from.layers.filter((l) => !after.has(l.id)).map(ref);

  // Moves: among layers in both, those outside a longest run kept in the same relative order.
  const commonFrom = from.layers.filter((l) => after.has(l.id)).map((l) => l.id);
  const commonTo = to.layers.filter((l) => before.has(l.id)).map((l) => l.id);
  const rankFrom = new Map(commonFrom.map((id, i) => [id, i]));
  const keep = longestIncreasing(commonTo.map((id) => rankFrom.get(id)!));
  const moved = commonTo
    .map((id, i) => ({ id, i }))
    .filter(({ i }) => !keep.has(i))
    .map(({ id }) => ({
      ...ref(after.get(id)!),
      from: from.layers.findIndex((l) => l.id === id) + 1,
      to: to.layers.findIndex((l) => l.id === id) + 1,
    }));

  const statusChanges: FrameworkComparison['statusChanges'] = [];
  const changed: LayerDiff[] = [];
  for (const b of to.layers) {
    const a = before.get(b.id);
    if (!a) continue;
    if (a.status !== b.status) statusChanges.push({ ...ref(b), from: a.status, to: b.status });
    const diff = diffLayer(a, b);
    if (diff.fields.length > 0) changed.push(diff);
  }

  const partiesFrom = new Set(from.parties.map((p) => p.id));
  const partiesTo = new Set(to.parties.map((p) => p.id));
  const title = from.title === to.title ? null : { from: from.title, to: to.title };
  const partiesAdded = [...partiesTo].filter((p) => !partiesFrom.has(p));
  const partiesRemoved = [...partiesFrom].filter((p) => !partiesTo.has(p));
  return {
    title,
    partiesAdded,
    partiesRemoved,
    added,
    removed,
    moved,
    statusChanges,
    changed,
    same:
      !title &&
      partiesAdded.length + partiesRemoved.length + added.length + removed.length === 0 &&
      moved.length + statusChanges.length + changed.length === 0,
  };
}
