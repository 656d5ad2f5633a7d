import * as Y from 'yjs';
import { changeSetsByAuthor, type AuthoredChanges } from '../../../../lib/framework/attribution';

/**
 * The CPU-heavy parts of persistence, as pure functions over bytes. Merging a large batch and
 * folding a log run on the persistence worker thread (persist-thread.ts), so that they never hold
 * the event loop that serves keystrokes; loading a document applies its log here too.
 */

/** One update per group (a batch's changes of one author). */
export function mergeGroups(groups: Uint8Array[][]): Uint8Array[] {
  return groups.map((updates) => (updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates)));
}

/**
 * A stored log (the latest snapshot, then the rows after it) applied to a new document (gc on),
 * in one transaction: a row that builds on a later row of the same batch waits for it there.
 */
export function documentOfLog(snapshot: Uint8Array | null, updates: Uint8Array[]): Y.Doc {
  const doc = new Y.Doc({ gc: true });
  doc.transact(() => {
    if (snapshot) Y.applyUpdate(doc, snapshot);
    for (const update of updates) Y.applyUpdate(doc, update);
  });
  return doc;
}

export type FoldedLog = {
  /** The snapshot and every row applied, as one update. */
  state: Uint8Array;
  /** Who sent which of the folded changes, per author (kept when the rows are deleted). */
  authored: AuthoredChanges[];
};

/**
 * Folds a stored log (latest snapshot, then its rows) into one state, and checks that the state
 * holds exactly what the log does (same clocks, same deletions); throws if it does not.
 */
export function foldLog(
  snapshot: Uint8Array | null,
  rows: Array<{ userId: string | null; update: Uint8Array }>,
): FoldedLog {
  const doc = documentOfLog(
    snapshot,
    rows.map((row) => row.update),
  );
  const check = new Y.Doc({ gc: true });
  try {
    const state = Y.encodeStateAsUpdate(doc);
    Y.applyUpdate(check, state);
    const same = Buffer.from(Y.encodeSnapshot(Y.snapshot(check))).equals(
      Buffer.from(Y.encodeSnapshot(Y.snapshot(doc))),
    );
    if (!same) throw new Error('compacted state differs from the log');
    return { state, authored: changeSetsByAuthor(rows) };
  } finally {
    doc.destroy();
    check.destroy();
  }
}

/**
 * Byte arrays packed into one buffer for a message to or from the worker. Structured cloning a
 * Uint8Array copies the whole ArrayBuffer under it, which can be far larger than the view (small
 * Node Buffers are slices of shared 8 KB slabs): packed, a batch costs its own bytes once and
 * moves to the other thread without another copy.
 */
export type Packed = { bytes: Uint8Array<ArrayBuffer>; ends: number[] };

export function pack(arrays: Uint8Array[]): Packed {
  const ends: number[] = [];
  let total = 0;
  for (const array of arrays) ends.push((total += array.length));
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const array of arrays) {
    bytes.set(array, offset);
    offset += array.length;
  }
  return { bytes, ends };
}

export function unpack({ bytes, ends }: Packed): Uint8Array[] {
  return ends.map((end, i) => bytes.subarray(i === 0 ? 0 : ends[i - 1]!, end));
}
