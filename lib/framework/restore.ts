/**
 * Restoring a saved version as a new change on top of the current state: the document is edited
 * towards the version's content with the ordinary writes, in one transaction, touching only what
 * differs. People editing at that moment keep working: their concurrent edits to anything the
 * restore does not rewrite merge as usual, and they see the restored content arrive.
 */
import * as Y from 'yjs';
import {
  addCommitment,
  addDependency,
  addLayer,
  addNote,
  addParty,
  addTrigger,
  moveLayer,
  readFramework,
  removeCommitment,
  removeDependency,
  removeLayer,
  removeNote,
  removePosition,
  removeTrigger,
  setFrameworkTitle,
  setLayerField,
  setLayerTitle,
  setNarrative,
  setPosition,
  updateCommitment,
  updateNote,
  updateTrigger,
} from './doc';
import { frozenBecause, gateOf } from './review';
import type { FrameworkView, Layer, Note, NoteList } from './types';

export interface RestoreResult {
  /** Layers left as they are because they are agreed (frozen unless an owner reopens them). */
  skippedLocked: string[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function syncNotes(
  doc: Y.Doc,
  layerId: string,
  list: NoteList,
  now: Note[],
  want: Note[],
  origin: unknown,
) {
  const wanted = new Map(want.map((n) => [n.id, n]));
  for (const n of now) {
    const w = wanted.get(n.id);
    if (!w) removeNote(doc, layerId, list, n.id, origin);
    else if (w.text !== n.text) updateNote(doc, layerId, list, n.id, w.text, origin);
  }
  const have = new Set(now.map((n) => n.id));
  for (const n of want) if (!have.has(n.id)) addNote(doc, layerId, list, n.text, origin, n.id);
}

function syncLayer(doc: Y.Doc, now: Layer, want: Layer, origin: unknown) {
  const id = now.id;
  if (now.title !== want.title) setLayerTitle(doc, id, want.title, origin);
  if (now.kind !== want.kind) setLayerField(doc, id, 'kind', want.kind, origin);
  if (now.lead !== want.lead) setLayerField(doc, id, 'lead', want.lead, origin);
  // Rewriting a narrative replaces its paragraphs: only where it differs from the version.
  if (!same(now.narrative.blocks, want.narrative.blocks)) {
    setNarrative(doc, id, want.narrative.blocks, origin);
  }
  const wantCommitments = new Map(want.commitments.map((c) => [c.id, c]));
  for (const c of now.commitments) {
    const w = wantCommitments.get(c.id);
    if (!w) removeCommitment(doc, id, c.id, origin);
    else if (!same(c, w)) {
      const { id: _id, ...patch } = w;
      updateCommitment(doc, id, c.id, patch, origin);
    }
  }
  const haveCommitments = new Set(now.commitments.map((c) => c.id));
  for (const c of want.commitments) {
    if (haveCommitments.has(c.id)) continue;
    const { id: itemId, ...input } = c;
    addCommitment(doc, id, input, origin, itemId);
  }
  const wantTriggers = new Map(want.triggers.map((t) => [t.id, t]));
  for (const t of now.triggers) {
    const w = wantTriggers.get(t.id);
    if (!w) removeTrigger(doc, id, t.id, origin);
    else if (!same(t, w)) {
      const { id: _id, ...patch } = w;
      updateTrigger(doc, id, t.id, patch, origin);
    }
  }
  const haveTriggers = new Set(now.triggers.map((t) => t.id));
  for (const t of want.triggers) {
    if (haveTriggers.has(t.id)) continue;
    const { id: itemId, ...input } = t;
    addTrigger(doc, id, input, origin, itemId);
  }
  for (const party of Object.keys(now.positions)) {
    if (!(party in want.positions)) removePosition(doc, id, party, origin);
  }
  for (const [party, position] of Object.entries(want.positions)) {
    if (!same(now.positions[party], position)) setPosition(doc, id, party, position, origin);
  }
  for (const dep of now.dependencies) {
    if (!want.dependencies.includes(dep)) removeDependency(doc, id, dep, origin);
  }
  for (const dep of want.dependencies) {
    if (!now.dependencies.includes(dep)) addDependency(doc, id, dep, origin);
  }
  syncNotes(doc, id, 'openQuestions', now.openQuestions, want.openQuestions, origin);
  syncNotes(doc, id, 'risks', now.risks, want.risks, origin);
}

/**
 * Brings the document's content to the version's (title, parties added, layers, their order
 * and fields) in one transaction. Statuses are not restored (the review workflow owns them) and
 * agreed layers are left untouched.
 */
export function restoreFramework(
  doc: Y.Doc,
  version: FrameworkView,
  origin?: unknown,
): RestoreResult {
  const skippedLocked: string[] = [];
  doc.transact(() => {
    const current = readFramework(doc);
    if (current.title !== version.title) setFrameworkTitle(doc, version.title, origin);
    const parties = new Set(current.parties.map((p) => p.id));
    for (const p of version.parties) if (!parties.has(p.id)) addParty(doc, p.name, origin);

    const wanted = new Map(version.layers.map((l) => [l.id, l]));
    // Agreed layers and layers under silence keep their text: a restore never unfreezes one.
    const locked = new Set(
      current.layers
        .filter((l) => frozenBecause(gateOf(l.status, l.statusDetail)) !== null)
        .map((l) => l.id),
    );
    for (const l of current.layers) {
      if (locked.has(l.id)) {
        if (
          !wanted.has(l.id) ||
          !same(l, {
            ...wanted.get(l.id)!,
            status: l.status,
            statusDetail: l.statusDetail,
            order: l.order,
          })
        ) {
          skippedLocked.push(l.id);
        }
        continue;
      }
      if (!wanted.has(l.id)) removeLayer(doc, l.id, origin);
    }
    const existing = new Map(current.layers.map((l) => [l.id, l]));
    for (const want of version.layers) {
      if (locked.has(want.id)) continue;
      const now = existing.get(want.id);
      if (now) {
        syncLayer(doc, now, want, origin);
      } else {
        addLayer(doc, want.kind, { id: want.id, title: want.title }, origin);
        const fresh = readFramework(doc).layers.find((l) => l.id === want.id)!;
        syncLayer(doc, fresh, want, origin);
      }
    }
    // Order: only when the sequence differs, each layer placed after the previous one.
    const order = readFramework(doc).layers.map((l) => l.id);
    const target = version.layers.map((l) => l.id).filter((id) => order.includes(id));
    const present = order.filter((id) => target.includes(id));
    if (!same(present, target)) {
      target.forEach((id, i) => {
        moveLayer(doc, id, i === 0 ? { index: 0 } : { after: target[i - 1]! }, origin);
      });
    }
  }, origin);
  return { skippedLocked };
}
