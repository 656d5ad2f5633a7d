import { Worker, parentPort, type TransferListItem } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { AuthoredChanges } from '../../../../lib/framework/attribution';
import { foldLog, mergeGroups, pack, unpack, type FoldedLog, type Packed } from './log-folding';

type RequestBody =
  | { kind: 'merge'; groups: Packed[] }
  | { kind: 'fold'; snapshot: Packed; rows: Packed; userIds: Array<string | null> };
type Request = RequestBody & { id: number };

type Response =
  | { ready: true }
  | { id: number; ok: true; merged: Packed }
  | { id: number; ok: true; state: Packed; authored: AuthoredChanges[] }
  | { id: number; ok: false; message: string };

/**
 * The thread's entry, beside this module: the compiled server (a .js bundle in dist/server) has
 * it compiled; from source (tsx) an .mjs that registers tsx in the thread first.
 */
const WORKER_ENTRY = import.meta.url.endsWith('.ts')
  ? './persist-thread-entry.mjs'
  : './persist-thread-worker.js';

/** The worker thread could not run a job (it failed to start, crashed or timed out). */
export class PersistThreadLost extends Error {}

type Reply = Exclude<Response, { ready: true }>;
type Job = {
  resolve: (response: Reply) => void;
  reject: (error: Error) => void;
  /** Starts the job's clock (once the thread has loaded its code). */
  arm: () => void;
};

/**
 * The persistence worker thread, seen from the event loop: merges large batches and folds logs
 * for compaction (log-folding.ts) off the thread that serves sockets. A 200-update batch took
 * 2-7 ms to merge and folding a hot document's log 400 ms, held in front of every keystroke.
 * Started on first use and again after a crash; a job running past `timeoutMs` (counted from when
 * the thread is ready) ends the thread.
 */
export class PersistThread {
  private worker: Worker | null = null;
  private ready = false;
  private readonly jobs = new Map<number, Job>();
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly log: Logger,
    private readonly timeoutMs = 60_000,
  ) {}

  /** Starts the thread ahead of the first job (loading its code takes a few hundred ms). */
  warm(): void {
    if (!this.closed) this.worker ??= this.start();
  }

  async merge(groups: Uint8Array[][]): Promise<Uint8Array[]> {
    const packed = groups.map(pack);
    const response = await this.request(
      { kind: 'merge', groups: packed },
      packed.map((p) => p.bytes.buffer),
    );
    if (!('merged' in response)) throw new Error('persistence worker: unexpected reply');
    return unpack(response.merged);
  }

  async fold(
    snapshot: Uint8Array | null,
    rows: Array<{ userId: string | null; update: Uint8Array }>,
  ): Promise<FoldedLog> {
    const snapshotPacked = pack(snapshot ? [snapshot] : []);
    const rowsPacked = pack(rows.map((row) => row.update));
    const response = await this.request(
      {
        kind: 'fold',
        snapshot: snapshotPacked,
        rows: rowsPacked,
        userIds: rows.map((row) => row.userId),
      },
      [snapshotPacked.bytes.buffer, rowsPacked.bytes.buffer],
    );
    if (!('state' in response)) throw new Error('persistence worker: unexpected reply');
    return { state: unpack(response.state)[0]!, authored: response.authored };
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = null;
    this.failAll(new PersistThreadLost('persistence worker closed'));
    await worker?.terminate();
  }

  private request(message: RequestBody, transfer: TransferListItem[]): Promise<Reply> {
    if (this.closed) return Promise.reject(new PersistThreadLost('persistence worker closed'));
    const worker = (this.worker ??= this.start());
    const id = this.nextId++;
    return new Promise<Reply>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const job: Job = {
        resolve: (response) => {
          clearTimeout(timer);
          if (response.ok) resolve(response);
          else reject(new Error(response.message));
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
        arm: () => {
          timer = setTimeout(() => {
            this.log.error({ ms: this.timeoutMs }, 'persistence worker job timed out; restarting');
            this.lose(worker, new PersistThreadLost('persistence worker timed out'));
            void worker.terminate();
          }, this.timeoutMs);
          timer.unref();
        },
      };
      this.jobs.set(id, job);
      if (this.ready) job.arm();
      worker.postMessage({ ...message, id }, transfer);
    });
  }

  private start(): Worker {
    const worker = new Worker(new URL(WORKER_ENTRY, import.meta.url));
    // The thread never keeps the process alive: shutdown flushes through close().
    worker.unref();
    this.ready = false;
    worker.on('message', (response: Response) => {
      if ('ready' in response) {
        this.ready = true;
        for (const job of this.jobs.values()) job.arm();
        return;
      }
      const job = this.jobs.get(response.id);
      this.jobs.delete(response.id);
      job?.resolve(response);
    });
    worker.on('error', (error) => {
      this.log.error({ err: error }, 'persistence worker failed');
      this.lose(worker, new PersistThreadLost(`persistence worker failed: ${error.message}`));
    });
    worker.on('exit', (code) => {
      this.lose(worker, new PersistThreadLost(`persistence worker exited with code ${code}`));
    });
    return worker;
  }

  /** Forgets a thread that is gone: its jobs fail, the next job starts a new one. */
  private lose(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = null;
    this.failAll(error);
  }

  private failAll(error: Error): void {
    const jobs = [...this.jobs.values()];
    this.jobs.clear();
    for (const job of jobs) job.reject(error);
  }
}

/** The worker's side: answers each request in turn (run by persist-thread-entry.mjs). */
export function serveRequests(): void {
  const port = parentPort;
  if (!port) throw new Error('serveRequests runs on a worker thread');
  port.on('message', (request: Request) => {
    try {
      if (request.kind === 'merge') {
        const merged = pack(mergeGroups(request.groups.map(unpack)));
        port.postMessage({ id: request.id, ok: true, merged } satisfies Response, [
          merged.bytes.buffer,
        ]);
        return;
      }
      const [snapshot] = unpack(request.snapshot);
      const rows = unpack(request.rows).map((update, i) => ({
        userId: request.userIds[i] ?? null,
        update,
      }));
      const folded = foldLog(snapshot ?? null, rows);
      const state = pack([folded.state]);
      port.postMessage(
        { id: request.id, ok: true, state, authored: folded.authored } satisfies Response,
        [state.bytes.buffer],
      );
    } catch (error) {
      port.postMessage({
        id: request.id,
        ok: false,
        message: error instanceof Error ? error.message : String(error),
      } satisfies Response);
    }
  });
  port.postMessage({ ready: true } satisfies Response);
}
