import type { Logger } from 'pino';
import * as Y from 'yjs';
import type { Database } from '../../../../db/client';
import { addGaugeSource, metrics } from '../../../metrics';
import {
  appendDocumentUpdates,
  findLatestSnapshot,
  listDocumentUpdates,
  replaceWithSnapshot,
  type NewDocumentUpdate,
} from '../../../../db/queries/documents';
import { keepAttributions, listAttributedUpdates } from '../../../../db/queries/attribution';
import { changesPerUser } from '../../../../lib/framework/attribution';
import type { CollabConfig } from '../../config';
import type { CollabExtension } from '../extension';
import type { LiveDocument } from '../../document/live-document';
import { documentOfLog, mergeGroups } from './log-folding';
import { PersistThread, PersistThreadLost } from './persist-thread';
import type { RelayOrigin } from '../../document/change-context';

/** A document as stored: the latest snapshot plus every later update, and how many rows that is. */
export type LoadedState = { doc: Y.Doc; rowCount: number };

/**
 * Loads a document from its snapshot and log. Throws on any database or decoding failure: a
 * document that did not load must never be served (or later saved) as empty.
 */
export async function loadDocumentState(db: Database, documentId: string): Promise<LoadedState> {
  const snapshot = await findLatestSnapshot(db, documentId);
  const rows = await listDocumentUpdates(db, documentId);
  const doc = documentOfLog(
    snapshot?.state ?? null,
    rows.map((row) => row.update),
  );
  return { doc, rowCount: rows.length };
}

type PendingEntry = {
  update: Uint8Array;
  userId: string | null;
  /** This instance's number for its own change (announced to the others once stored). */
  seq: number | null;
};

/** A change another instance made and should store; kept until it confirms, or written here. */
type RelayedEntry = { update: Uint8Array; origin: RelayOrigin; receivedAt: number };

/**
 * Batches a document's updates into the append-only log: written after a quiet period, and at
 * most `persistMaxDelayMs` after the first unwritten change. Entries leave memory only once they
 * are in the database; a failing write is retried a bounded number of times, then again on the
 * next change or unload.
 */
export class DocumentWriter {
  /** Changes not yet handed to a write, their bytes, and when the oldest of them arrived. */
  private pending: PendingEntry[] = [];
  private pendingBytes = 0;
  private firstPendingAt = 0;
  /** The changes of the write in progress (back to `pending` if it fails). */
  private inFlight: PendingEntry[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** When the pending changes are due, and when the armed timer fires (it may be early). */
  private dueAt = 0;
  private timerAt = 0;
  private writing: Promise<void> | null = null;
  private compacting = false;
  private rowsSinceSnapshot: number;
  private relayed: RelayedEntry[] = [];
  private relayedTimer: NodeJS.Timeout | null = null;
  /** Highest stored seq each other instance confirmed. */
  private readonly confirmed = new Map<string, number>();

  constructor(
    private readonly db: Database,
    private readonly document: LiveDocument,
    private readonly config: CollabConfig,
    rowCount: number,
    private readonly log: Logger,
    private readonly thread: PersistThread,
    private readonly onStored: (document: LiveDocument, seq: number) => void = noop,
    private readonly store: (rows: NewDocumentUpdate[]) => Promise<void> = (rows) =>
      appendDocumentUpdates(db, rows).then(noop),
  ) {
    this.rowsSinceSnapshot = rowCount;
  }

  get pendingCount(): number {
    return this.pending.length + this.inFlight.length + this.relayed.length;
  }

  /** Queues a change made on this instance, with the document's number for it (ChangeContext). */
  enqueue(update: Uint8Array, userId: string | null, seq: number): void {
    this.push({ update, userId, seq });
  }

  /**
   * Keeps a change relayed from another instance, which stores it itself and says so; if it does
   * not within `relayPersistGraceMs` (it crashed, or the confirmation was lost), it is written
   * here. A duplicate row is harmless (applying an update twice changes nothing); a lost one is not.
   */
  keepRelayed(update: Uint8Array, origin: RelayOrigin): void {
    const confirmed = this.confirmed.get(origin.instanceId) ?? 0;
    if (origin.seq !== null && origin.seq <= confirmed) return;
    this.relayed.push({ update, origin, receivedAt: Date.now() });
    this.scheduleRelayed();
  }

  /** Another instance stored its changes of this document up to `seq`. */
  acknowledgeRelayed(instanceId: string, seq: number): void {
    if (seq > (this.confirmed.get(instanceId) ?? 0)) this.confirmed.set(instanceId, seq);
    this.relayed = this.relayed.filter(
      (e) => e.origin.instanceId !== instanceId || e.origin.seq === null || e.origin.seq > seq,
    );
  }

  /**
   * Moves unconfirmed relayed changes into the write queue: all of them as soon as one is overdue
   * (or with `all`). Together, because a later one may hold what an earlier one builds on (a
   * deletion of text that arrived in the next message): written in one statement, the log never
   * holds the one without the other.
   */
  adoptRelayed(all: boolean): void {
    const overdue =
      this.relayed[0] && this.relayed[0].receivedAt <= Date.now() - this.config.relayPersistGraceMs;
    if (!all && !overdue) return;
    const adopt = this.relayed;
    if (adopt.length === 0) return;
    this.relayed = [];
    this.log.info(
      { updates: adopt.length },
      'collab storing relayed changes not confirmed by their instance',
    );
    for (const entry of adopt) {
      this.push({ update: entry.update, userId: entry.origin.userId, seq: null });
    }
  }

  private push(entry: PendingEntry): void {
    this.pending.push(entry);
    this.pendingBytes += entry.update.length;
    if (this.firstPendingAt === 0) this.firstPendingAt = Date.now();
    this.schedule();
  }

  private scheduleRelayed(): void {
    if (this.relayedTimer || this.relayed.length === 0) return;
    const due = this.relayed[0]!.receivedAt + this.config.relayPersistGraceMs;
    this.relayedTimer = setTimeout(
      () => {
        this.relayedTimer = null;
        this.adoptRelayed(false);
        this.scheduleRelayed();
      },
      Math.max(0, due - Date.now()) + 10,
    );
  }

  /** Writes everything pending; resolves once it is stored, rejects if the database keeps failing. */
  async flush(): Promise<void> {
    this.clearTimer();
    // Wait for a write in progress; its failure is reported by whoever started it.
    while (this.writing) await this.writing.then(noop, noop);
    if (this.pending.length === 0) return;
    await this.write();
    if (this.pending.length > 0) await this.flush();
  }

  /**
   * One write of what is pending now. What arrives meanwhile waits for its own due time: writing
   * it at once, as a flush does, kept a busy document writing back to back (17 small batches a
   * second under 50 typists instead of one large one).
   */
  private write(): Promise<void> {
    const run = this.writeBatch().then(() => this.schedule());
    this.writing = run;
    return run.finally(() => {
      if (this.writing === run) this.writing = null;
    });
  }

  dispose(): void {
    this.clearTimer();
    if (this.relayedTimer) clearTimeout(this.relayedTimer);
    this.relayedTimer = null;
  }

  /**
   * Sets when the pending changes are written: after a quiet period, at most `persistMaxDelayMs`
   * after the first, at once past PERSIST_EAGER_BYTES (a paste: held for the quiet period, its
   * bytes outlive young-generation GC and stay in the heap until a full one). Typing moves the
   * due time on every change; the timer is armed again only when it would fire too late, and one
   * that fires early waits on (a timer per keystroke cost more than the write).
   */
  private schedule(): void {
    if (this.pending.length === 0) return;
    const now = Date.now();
    this.dueAt =
      this.pendingBytes >= PERSIST_EAGER_BYTES
        ? now
        : Math.min(
            now + this.config.persistDebounceMs,
            this.firstPendingAt + this.config.persistMaxDelayMs,
          );
    if (this.timer && this.timerAt <= this.dueAt) return;
    this.arm(this.dueAt - now);
  }

  private arm(delayMs: number): void {
    this.clearTimer();
    this.timerAt = Date.now() + Math.max(0, delayMs);
    this.timer = setTimeout(
      () => {
        this.timer = null;
        const early = this.dueAt - Date.now();
        if (early > 0) {
          this.arm(early);
          return;
        }
        // A write in progress schedules what is left when it ends.
        if (this.writing || this.pending.length === 0) return;
        this.write().catch((error: unknown) => {
          metrics().errors.inc({ kind: 'persist' });
          this.log.error({ err: error, pending: this.pending.length }, 'collab write gave up');
        });
      },
      Math.max(0, delayMs),
    );
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /**
   * Stores every pending change (retrying a bounded number of times). On failure they go back to
   * the head of the queue, so nothing leaves memory before it is stored; the next change, unload
   * or flush tries again.
   */
  private async writeBatch(): Promise<void> {
    const batch = this.pending;
    const batchBytes = this.pendingBytes;
    const startedAt = this.firstPendingAt || Date.now();
    this.pending = [];
    this.pendingBytes = 0;
    this.firstPendingAt = 0;
    this.inFlight = batch;
    let rows: NewDocumentUpdate[] = [];
    // Every change applied so far was queued at once (the doc's update event), so the state
    // vector of now covers the batch: one encoding per batch instead of one per change.
    const stateVector = Y.encodeStateVector(this.document.doc);
    const changeCount = this.document.changeCount;
    try {
      rows = await this.rowsOf(batch);
      for (let attempt = 1; ; attempt++) {
        try {
          await this.store(rows);
          break;
        } catch (error) {
          if (attempt > this.config.persistMaxRetries) throw error;
          this.log.warn(
            { err: error, attempt, rows: rows.length },
            'collab write failed, retrying',
          );
          await sleep(Math.min(100 * 2 ** (attempt - 1), 2_000));
        }
      }
    } catch (error) {
      this.pending = batch.concat(this.pending);
      this.pendingBytes += batchBytes;
      this.firstPendingAt = startedAt;
      throw error;
    } finally {
      this.inFlight = [];
    }
    this.rowsSinceSnapshot += rows.length;
    const m = metrics();
    m.persistBatches.inc();
    m.persistRows.inc(rows.length);
    m.persistLag.observe((Date.now() - startedAt) / 1000);
    this.document.announceSaved(stateVector, changeCount);
    const seqs = batch.map((e) => e.seq ?? 0);
    const stored = Math.max(...seqs);
    if (stored > 0) this.onStored(this.document, stored);
    if (this.rowsSinceSnapshot > this.config.compactAfterUpdates) void this.compact();
  }

  /**
   * One row per author of the batch: fewer rows (and compactions), same attribution. Not only
   * consecutive updates: with many people typing at once those alternate, and a row per switch
   * made a hot document write hundreds of rows per batch. Order inside a batch does not matter:
   * the rows are written in one statement (no reader ever sees part of them) and a load applies
   * them all in one transaction, where a row that builds on a later one waits for it. A reader
   * that replays the log row by row (attribution) takes the rows of one batch together: they
   * share their created_at (the statement's time). A large batch is merged on the persistence
   * thread; if that thread is gone, here.
   */
  private async rowsOf(batch: PendingEntry[]): Promise<NewDocumentUpdate[]> {
    const groups = new Map<string | null, Uint8Array[]>();
    for (const entry of batch) {
      const group = groups.get(entry.userId);
      if (group) group.push(entry.update);
      else groups.set(entry.userId, [entry.update]);
    }
    const updates = [...groups.values()];
    let merged: Uint8Array[];
    if (batch.length < MERGE_ON_THREAD_FROM) {
      merged = mergeGroups(updates);
    } else {
      merged = await this.thread.merge(updates).catch((error: unknown) => {
        if (!(error instanceof PersistThreadLost)) throw error;
        return mergeGroups(updates);
      });
    }
    return [...groups.keys()].map((userId, i) => ({
      frameworkId: this.document.id,
      userId,
      update: merged[i]!,
    }));
  }

  /**
   * Folds the stored log into a snapshot, on the persistence thread. Works from the database,
   * not memory, so it folds exactly the rows it read (and deletes only those), whatever other
   * writers append meanwhile.
   */
  async compact(): Promise<void> {
    if (this.compacting) return;
    this.compacting = true;
    try {
      const snapshot = await findLatestSnapshot(this.db, this.document.id);
      const rows = await listAttributedUpdates(this.db, this.document.id);
      if (rows.length === 0) return;
      const folded = await this.thread.fold(snapshot?.state ?? null, rows);
      const foldedIds = rows.map((row) => row.id);
      // Who sent the rows must outlive them (named versions' "who changed it"): kept first, so
      // a failure here leaves the log as it was.
      await keepAttributions(this.db, this.document.id, foldedIds, changesPerUser(folded.authored));
      const done = await replaceWithSnapshot(this.db, {
        frameworkId: this.document.id,
        state: folded.state,
        foldedIds,
        baseSnapshotId: snapshot?.id ?? null,
      });
      if (!done) {
        // Another instance compacted since we read: its snapshot already holds these rows.
        metrics().compactions.inc({ result: 'skipped' });
        this.rowsSinceSnapshot = 0;
        return;
      }
      metrics().compactions.inc({ result: 'done' });
      this.rowsSinceSnapshot = Math.max(0, this.rowsSinceSnapshot - foldedIds.length);
      this.log.info({ folded: foldedIds.length }, 'collab log compacted');
    } catch (error) {
      metrics().errors.inc({ kind: 'compaction' });
      this.log.error({ err: error }, 'collab compaction failed');
      return;
    } finally {
      this.compacting = false;
    }
    // Batches written meanwhile asked for a compaction and were turned away: if they took the
    // log past the bound again, fold them now rather than at some later write.
    if (this.rowsSinceSnapshot > this.config.compactAfterUpdates) void this.compact();
  }
}

/**
 * The persistence hook: logs every change made here, keeps changes relayed from other instances
 * until they confirm storing them (see DocumentWriter.keepRelayed), flushes before unload.
 */
export function persistenceExtension(
  db: Database,
  config: CollabConfig,
  log: Logger,
): CollabExtension & {
  writerOf(documentId: string): DocumentWriter | undefined;
  onStored(listener: (document: LiveDocument, seq: number) => void): void;
} {
  const writers = new Map<string, DocumentWriter>();
  const thread = new PersistThread(log.child({ module: 'persist-thread' }));
  const rounds = new WriteRounds(db, Math.min(ROUND_GATHER_MS, config.persistDebounceMs));
  const storedListeners: Array<(document: LiveDocument, seq: number) => void> = [];
  const unregister = addGaugeSource('pendingUpdates', () =>
    [...writers.values()].reduce((n, w) => n + w.pendingCount, 0),
  );
  return {
    name: 'persistence',
    writerOf: (documentId) => writers.get(documentId),
    onStored: (listener) => storedListeners.push(listener),
    afterLoad(document) {
      const writer = new DocumentWriter(
        db,
        document,
        config,
        document.loadedRowCount,
        document.log,
        thread,
        (doc, seq) => storedListeners.forEach((listener) => listener(doc, seq)),
        (rows) => rounds.append(rows),
      );
      writers.set(document.id, writer);
      thread.warm();
    },
    onChange({ document, update, change }) {
      const writer = writers.get(document.id);
      if (change.relayed) {
        writer?.keepRelayed(update, change.relayed);
        return;
      }
      writer?.enqueue(update, change.userId, change.seq);
    },
    async beforeUnload(document) {
      const writer = writers.get(document.id);
      // Going away: nothing relayed may depend on another instance any longer.
      writer?.adoptRelayed(true);
      await writer?.flush();
    },
    afterUnload(document) {
      writers.get(document.id)?.dispose();
      writers.delete(document.id);
    },
    close: async () => {
      unregister();
      await thread.close();
    },
  };
}

/** Batches of this many changes or more are merged on the persistence thread (see rowsOf). */
const MERGE_ON_THREAD_FROM = 32;
/** Pending bytes of a document past which it is written without waiting for a quiet period. */
const PERSIST_EAGER_BYTES = 16 * 1024;
/** How long a round waits for other documents' batches after the first one is due. */
const ROUND_GATHER_MS = 50;
/** A round stops taking batches past this many bytes of updates (one statement stays modest). */
const ROUND_MAX_BYTES = 256 * 1024;

type RoundEntry = {
  rows: NewDocumentUpdate[];
  bytes: number;
  resolve: () => void;
  reject: (error: unknown) => void;
};

/**
 * Writes the batches of every document that falls due within `gatherMs` of the first in one
 * INSERT, one round at a time (the next gathers while one runs): a hundred documents each
 * saving a few times a second cost a few statements a second instead of hundreds. If the
 * statement fails, each batch of the round is tried alone, so one document's failure (its
 * framework was deleted) is its own. Each batch resolves once its rows are stored.
 */
class WriteRounds {
  private queue: RoundEntry[] = [];
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    private readonly db: Database,
    private readonly gatherMs: number,
  ) {}

  append(rows: NewDocumentUpdate[]): Promise<void> {
    return new Promise((resolve, reject) => {
      const bytes = rows.reduce((n, row) => n + row.update.length, 0);
      this.queue.push({ rows, bytes, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.timer || this.running || this.queue.length === 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = true;
      void this.run().finally(() => {
        this.running = false;
        this.schedule();
      });
    }, this.gatherMs);
  }

  private async run(): Promise<void> {
    let bytes = 0;
    let taken = 0;
    while (taken < this.queue.length && (taken === 0 || bytes < ROUND_MAX_BYTES)) {
      bytes += this.queue[taken]!.bytes;
      taken += 1;
    }
    const round = this.queue.splice(0, taken);
    try {
      await appendDocumentUpdates(
        this.db,
        round.flatMap((entry) => entry.rows),
      );
      for (const entry of round) entry.resolve();
      return;
    } catch (error) {
      if (round.length === 1) {
        round[0]!.reject(error);
        return;
      }
    }
    await Promise.all(
      round.map(async (entry) => {
        try {
          await appendDocumentUpdates(this.db, entry.rows);
          entry.resolve();
        } catch (error) {
          entry.reject(error);
        }
      }),
    );
  }
}

const noop = () => undefined;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
