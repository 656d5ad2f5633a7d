import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';
import * as Y from 'yjs';
import { BenchClient, type ClientSpec } from './client';

/** A load-generator thread: runs its share of a workload's clients and reports raw figures. */
export type WorkerTask =
  | {
      kind: 'ping';
      specs: [ClientSpec, ClientSpec];
      /** Edits sent and awaited first, not measured (code paths compiled, startup garbage). */
      warmup: number;
      edits: number;
      maxMs: number;
    }
  | {
      kind: 'rate';
      specs: ClientSpec[];
      editsPerSecond: number;
      /** Editing before the measured part; its latencies go to `warmupLatencies`. */
      warmupMs: number;
      durationMs: number;
    }
  | { kind: 'hold'; specs: ClientSpec[]; contentBytes: number }
  | { kind: 'release' }
  | { kind: 'syncTime'; spec: ClientSpec; maxMs: number };

/** A rate task's clients are connected; it waits for WorkerGo before editing. */
export type WorkerSignal = { signal: 'connected' };
export type WorkerGo = { kind: 'go' };

export type WorkerResult = {
  /** Clients the task connected. */
  clients: number;
  latencies: number[];
  /** Latencies of the warm-up edits (rate tasks), kept apart from the measured ones. */
  warmupLatencies: number[];
  deliveries: number;
  edits: number;
  /** Per client: document name and a digest of its state, for the convergence check. */
  states: Array<{ docName: string; digest: string }>;
  lagP99Ms: number;
  lagMaxMs: number;
  syncMs?: number;
  errors: string[];
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let held: BenchClient[] = [];
let startEditing: () => void = () => undefined;

function digest(client: BenchClient): string {
  return `${Buffer.from(Y.encodeStateVector(client.doc)).toString('base64')}:${client.doc.getText('t').length}`;
}

async function run(task: WorkerTask): Promise<WorkerResult> {
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const result: WorkerResult = {
    clients: 0,
    latencies: [],
    warmupLatencies: [],
    deliveries: 0,
    edits: 0,
    states: [],
    lagP99Ms: 0,
    lagMaxMs: 0,
    errors: [],
  };
  try {
    if (task.kind === 'ping') {
      const [a, b] = task.specs.map((spec, i) => new BenchClient(spec, `p${i}`)) as [
        BenchClient,
        BenchClient,
      ];
      await Promise.all([a.connect(), b.connect()]);
      const deadline = Date.now() + task.maxMs;
      for (let i = 0; i < task.warmup + task.edits && Date.now() < deadline; i++) {
        const arrived = new Promise<number>((resolve) => (b.onRemoteEdit = (ms) => resolve(ms)));
        a.edit();
        const ms = await Promise.race([arrived, sleep(5_000).then(() => NaN)]);
        if (Number.isNaN(ms)) {
          result.errors.push('ping edit not delivered within 5 s');
          break;
        }
        if (i < task.warmup) continue;
        result.edits += 1;
        result.latencies.push(ms);
        result.deliveries += 1;
      }
      a.close();
      b.close();
    } else if (task.kind === 'rate') {
      const clients = task.specs.map(
        (spec, i) =>
          new BenchClient(spec, `r${process.pid}-${Math.random().toString(36).slice(2, 8)}-${i}`),
      );
      // Until "go" nothing counts: a client joining a document of an earlier round sees that
      // round's edits arrive with its first sync.
      let editingFrom = Infinity;
      let measuringFrom = Infinity;
      for (const client of clients) {
        client.onRemoteEdit = (ms) => {
          const now = Date.now();
          if (now < editingFrom) return;
          if (now < measuringFrom) {
            result.warmupLatencies.push(ms);
            return;
          }
          result.latencies.push(ms);
          result.deliveries += 1;
        };
      }
      // Connect in small groups: a connection storm is not what this workload measures.
      for (let i = 0; i < clients.length; i += 20) {
        await Promise.all(clients.slice(i, i + 20).map((c) => c.connect()));
      }
      result.clients = clients.length;
      // Connecting is not what this workload measures: the main thread starts the clock at "go".
      const go = new Promise<void>((resolve) => (startEditing = resolve));
      parentPort!.postMessage({ signal: 'connected' } satisfies WorkerSignal);
      await go;
      editingFrom = Date.now();
      measuringFrom = editingFrom + task.warmupMs;
      const interval = 1000 / task.editsPerSecond;
      const end = measuringFrom + task.durationMs;
      const timers = clients.map((client) => {
        const tick = () => {
          const now = Date.now();
          if (now >= end) return;
          client.edit();
          if (now >= measuringFrom) result.edits += 1;
        };
        let handle: NodeJS.Timeout;
        const first = setTimeout(() => {
          tick();
          handle = setInterval(tick, interval);
        }, Math.random() * interval);
        return () => {
          clearTimeout(first);
          clearInterval(handle);
        };
      });
      await sleep(task.warmupMs + task.durationMs);
      timers.forEach((stop) => stop());
      // Settle: until nothing arrived for 1 s (at most 15 s), then report each client's state.
      const settleEnd = Date.now() + 15_000;
      while (Date.now() < settleEnd) {
        const last = Math.max(...clients.map((c) => c.lastMessageAt));
        if (performance.timeOrigin + performance.now() - last > 1_000) break;
        await sleep(200);
      }
      result.states = clients.map((c) => ({ docName: c.spec.docName, digest: digest(c) }));
      clients.forEach((c) => c.close());
    } else if (task.kind === 'hold') {
      const content = 'lorem ipsum '
        .repeat(Math.ceil(task.contentBytes / 12))
        .slice(0, task.contentBytes);
      const clients = task.specs.map((spec, i) => new BenchClient(spec, `h${i}`));
      for (let i = 0; i < clients.length; i += 25) {
        await Promise.all(clients.slice(i, i + 25).map((c) => c.connect()));
      }
      for (const client of clients) if (client.doc.getText('t').length === 0) client.edit(content);
      held.push(...clients);
      await sleep(500);
    } else if (task.kind === 'release') {
      held.forEach((c) => c.close());
      held = [];
    } else if (task.kind === 'syncTime') {
      const client = new BenchClient(task.spec, 'late');
      result.syncMs = await client.connect(task.maxMs);
      if (client.doc.getText('t').length === 0) result.errors.push('synced an empty document');
      client.close();
    }
  } catch (error) {
    result.errors.push(String(error));
  }
  lag.disable();
  result.lagP99Ms = lag.percentile(99) / 1e6;
  result.lagMaxMs = lag.max / 1e6;
  return result;
}

parentPort!.on('message', (message: WorkerTask | WorkerGo) => {
  if (message.kind === 'go') {
    startEditing();
    return;
  }
  void run(message).then((result) => parentPort!.postMessage(result));
});
