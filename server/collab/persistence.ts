import type { Logger } from 'pino';
import * as Y from 'yjs';
import type { Database } from '../../db/client';
import {
  appendDocumentUpdates,
  findLatestSnapshot,
  listDocumentUpdates,
  replaceWithSnapshot,
  type NewDocumentUpdate,
} from '../../db/queries/documents';
import type { CollabConfig } from './config';
import { Connection } from './connection';
import type { CollabExtension } from './extensions';
import type { LiveDocument } from './live-document';
import { RELAY_ORIGIN } from './relay';

/** A document as stored: the latest snapshot plus every later update, and how many rows that is. */
export type LoadedState = { doc: Y.Doc; rowCount: number };

/**
 * Loads a document from its snapshot and log. Throws on any database or decoding failure: a
 * document that did not load must never be served (or later saved) as empty.
 */
export async function loadDocumentState(db: Database, documentId: string): Promise<LoadedState> {
  const snapshot = await findLatestSnapshot(db, documentId);
  const rows = await listDocumentUpdates(db, documentId);
  const doc = new Y.Doc({ gc: true });
  doc.transact(() => {
    if (snapshot) Y.applyUpdate(doc, snapshot.state);
    for (const row of rows) Y.applyUpdate(doc, row.update);
  });
  return { doc, rowCount: rows.length };
}

type PendingEntry = { update: Uint8Array; userId: string | null; stateVector: Uint8Array };

/**
 * Batches a document's updates into the append-only log: written after a quiet period, and at
 * most `persistMaxDelayMs` after the first unwritten change. Entries leave memory only once they
 * are in the database; a failing write is retried a bounded number of times, then again on the
 * next change or unload.
 */
export class DocumentWriter {
  private pending: PendingEntry[] = [];
  private firstPendingAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;
  private compacting = false;
  private rowsSinceSnapshot: number;

  constructor(
    private readonly db: Database,
    private readonly document: LiveDocument,
    private readonly config: CollabConfig,
    rowCount: number,
    private readonly log: Logger,
  ) {
    this.rowsSinceSnapshot = rowCount;
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  enqueue(update: Uint8Array, userId: string | null): void {
    this.pending.push({ update, userId, stateVector: Y.encodeStateVector(this.document.doc) });
    if (this.firstPendingAt === 0) this.firstPendingAt = Date.now();
    this.schedule();
  }

  /** Writes everything pending; resolves once it is stored, rejects if the database keeps failing. */
  async flush(): Promise<void> {
    this.clearTimer();
    // Wait for a write in progress; its failure is reported by whoever started it.
    while (this.writing) await this.writing.then(noop, noop);
    if (this.pending.length === 0) return;
    this.writing = this.writeBatch();
    try {
      await this.writing;
    } finally {
      this.writing = null;
    }
    if (this.pending.length > 0) await this.flush();
  }

  dispose(): void {
    this.clearTimer();
  }

  private schedule(): void {
    if (this.pending.length === 0) return;
    const now = Date.now();
    const due = Math.min(
      now + this.config.persistDebounceMs,
      this.firstPendingAt + this.config.persistMaxDelayMs,
    );
    this.clearTimer();
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.flush().catch((error: unknown) =>
          this.log.error({ err: error, pending: this.pending.length }, 'collab write gave up'),
        );
      },
      Math.max(0, due - now),
    );
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async writeBatch(): Promise<void> {
    const batch = this.pending.slice();
    const rows = mergeByUser(this.document.id, batch);
    for (let attempt = 1; ; attempt++) {
      try {
        await appendDocumentUpdates(this.db, rows);
        break;
      } catch (error) {
        if (attempt > this.config.persistMaxRetries) throw error;
        this.log.warn({ err: error, attempt, rows: rows.length }, 'collab write failed, retrying');
        await sleep(Math.min(100 * 2 ** (attempt - 1), 2_000));
      }
    }
    this.pending.splice(0, batch.length);
    this.firstPendingAt = this.pending.length > 0 ? Date.now() : 0;
    this.rowsSinceSnapshot += rows.length;
    this.document.announceSaved(batch[batch.length - 1]!.stateVector);
    if (this.rowsSinceSnapshot > this.config.compactAfterUpdates) void this.compact();
  }

  /**
   * Folds the stored log into a snapshot. Works from the database, not memory, so it folds exactly
   * the rows it read (and deletes only those), whatever other writers append meanwhile.
   */
  async compact(): Promise<void> {
    if (this.compacting) return;
    this.compacting = true;
    try {
      const before = await loadCompactionInput(this.db, this.document.id);
      if (before.foldedIds.length === 0) return;
      await replaceWithSnapshot(this.db, {
        frameworkId: this.document.id,
        state: before.state,
        foldedIds: before.foldedIds,
      });
      this.rowsSinceSnapshot = Math.max(0, this.rowsSinceSnapshot - before.foldedIds.length);
      this.log.info({ folded: before.foldedIds.length }, 'collab log compacted');
    } catch (error) {
      this.log.error({ err: error }, 'collab compaction failed');
    } finally {
      this.compacting = false;
    }
  }
}

async function loadCompactionInput(
  db: Database,
  documentId: string,
): Promise<{ state: Uint8Array; foldedIds: number[] }> {
  const snapshot = await findLatestSnapshot(db, documentId);
  const rows = await listDocumentUpdates(db, documentId);
  const doc = new Y.Doc({ gc: true });
  if (snapshot) Y.applyUpdate(doc, snapshot.state);
  for (const row of rows) Y.applyUpdate(doc, row.update);
  const state = Y.encodeStateAsUpdate(doc);
  // The snapshot must hold exactly the same state: same clocks and the same deletions.
  const check = new Y.Doc({ gc: true });
  Y.applyUpdate(check, state);
  const same = Buffer.from(Y.encodeSnapshot(Y.snapshot(check))).equals(
    Buffer.from(Y.encodeSnapshot(Y.snapshot(doc))),
  );
  doc.destroy();
  check.destroy();
  if (!same) throw new Error('compacted state differs from the log');
  return { state, foldedIds: rows.map((r) => r.id) };
}

/** Consecutive updates of one user become one row: fewer rows, same attribution. */
function mergeByUser(documentId: string, batch: PendingEntry[]): NewDocumentUpdate[] {
  const rows: NewDocumentUpdate[] = [];
  let group: Uint8Array[] = [];
  let groupUser: string | null | undefined;
  const close = () => {
    if (group.length === 0) return;
    const update = group.length === 1 ? group[0]! : Y.mergeUpdates(group);
    rows.push({ frameworkId: documentId, userId: groupUser ?? null, update });
  };
  for (const entry of batch) {
    if (entry.userId !== groupUser) {
      close();
      group = [];
      groupUser = entry.userId;
    }
    group.push(entry.update);
  }
  close();
  return rows;
}

/** The persistence hook: logs every change that happened here, flushes before unload. */
export function persistenceExtension(
  db: Database,
  config: CollabConfig,
): CollabExtension & { writerOf(documentId: string): DocumentWriter | undefined } {
  const writers = new Map<string, DocumentWriter>();
  return {
    name: 'persistence',
    writerOf: (documentId) => writers.get(documentId),
    afterLoad(document) {
      const writer = new DocumentWriter(
        db,
        document,
        config,
        document.loadedRowCount,
        document.log,
      );
      writers.set(document.id, writer);
    },
    onChange({ document, update, origin }) {
      // Updates relayed from another instance are stored by the instance that received them.
      if (origin === RELAY_ORIGIN) return;
      const userId = origin instanceof Connection ? origin.userId : null;
      writers.get(document.id)?.enqueue(update, userId);
    },
    async beforeUnload(document) {
      await writers.get(document.id)?.flush();
    },
    afterUnload(document) {
      writers.get(document.id)?.dispose();
      writers.delete(document.id);
    },
  };
}

const noop = () => undefined;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
