import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import * as Y from 'yjs';
import { openDatabase } from '../../db/client';
import { appendDocumentUpdates } from '../../db/queries/documents';
import { createFramework } from '../../db/queries/frameworks';
import { addMember } from '../../db/queries/workspaces';
import { TEST_SECRET, createTestUser, createTestFramework } from '../../server/collab/test-support';
import type { ClientSpec, Dialect } from './client';
import type { WorkerGo, WorkerResult, WorkerSignal, WorkerTask } from './worker';

/**
 * `npm run bench`: the product's sync server (auth, persistence on PostgreSQL) beside the
 * y-websocket 1.5.4 reference server and Hocuspocus 4 on the same workloads, each bounded in
 * time. This process is the load generator (worker threads); servers run in their own processes
 * and their CPU and memory are read from /proc. Prints a table, then one line of JSON.
 */
const DATABASE_URL =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/scale_dev';
const WORKERS = Number(process.env.BENCH_WORKERS ?? 2);
const SECONDS_B = Number(process.env.BENCH_HOT_SECONDS ?? 20);
const SECONDS_C = Number(process.env.BENCH_SPREAD_SECONDS ?? 20);
const DOCS_D = Number(process.env.BENCH_MEMORY_DOCS ?? 1000);
const WARMUP_DOCS_D = 20;
const TICK = 100; // clock ticks per second in /proc/<pid>/stat (getconf CLK_TCK)

type ServerKind = 'product' | 'y-websocket' | 'hocuspocus';
const ALL_KINDS: ServerKind[] = ['product', 'y-websocket', 'hocuspocus'];
/** For quick iterations: BENCH_SERVERS=product,hocuspocus and BENCH_WORKLOADS=bc run a subset. */
const KINDS = (process.env.BENCH_SERVERS ?? ALL_KINDS.join(','))
  .split(',')
  .map((k) => k.trim())
  .filter((k): k is ServerKind => (ALL_KINDS as string[]).includes(k));
const WORKLOADS = new Set((process.env.BENCH_WORKLOADS ?? 'abcde').toLowerCase());
/** When set, the product runs with --cpu-prof and writes its .cpuprofile files here. */
const PROFILE_DIR = process.env.BENCH_PROFILE_DIR;
type Running = { kind: ServerKind; child: ChildProcess; port: number; dialect: Dialect };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function startServer(kind: ServerKind): Promise<Running> {
  const port = await freePort();
  const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
  let child: ChildProcess;
  if (kind === 'product') {
    const profile = PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [];
    child = spawn(
      process.execPath,
      [...profile, '--import', 'tsx', 'server/collab/standalone.ts'],
      {
        env: {
          ...env,
          AUTH_SECRET: TEST_SECRET,
          DATABASE_URL,
          REDIS_URL: '',
          // The bench connects hundreds of sockets as a handful of users, and workload (a) sends
          // edits back to back (~1,000/s), far above the per-connection rate a person reaches.
          COLLAB_MAX_CONNECTIONS_PER_USER: '100000',
          COLLAB_MESSAGES_PER_SECOND: '100000',
          COLLAB_MESSAGE_BURST: '100000',
          NODE_ENV: 'production',
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
  } else if (kind === 'y-websocket') {
    child = spawn(process.execPath, ['node_modules/y-websocket-154/bin/server.js'], {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
  } else {
    child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench/hocuspocus-server.ts'], {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
  }
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (/listening|running at/i.test(out)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`${kind} exited with ${code}: ${out}`)));
  });
  return { kind, child, port, dialect: kind === 'hocuspocus' ? 'hocus' : 'yws' };
}

/** A process's CPU seconds so far: user (its own code) and system (the kernel on its behalf). */
function procCpu(pid: number): { user: number; sys: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]) / TICK, sys: Number(fields[12]) / TICK }; // utime, stime
}

function procRssBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0) * 1024;
}

/** Samples a server's RSS every 100 ms while a workload runs; returns the peak. */
function rssSampler(pid: number): () => number {
  let peak = procRssBytes(pid);
  const timer = setInterval(() => (peak = Math.max(peak, procRssBytes(pid))), 100);
  return () => {
    clearInterval(timer);
    return Math.max(peak, procRssBytes(pid));
  };
}

const workers: Worker[] = [];
function startWorkers(): void {
  for (let i = 0; i < WORKERS; i++) {
    workers.push(new Worker(new URL('./worker-entry.mjs', import.meta.url)));
  }
}
/**
 * Runs a task on a worker (one task per worker at a time) and resolves with its result. A rate
 * task reports once its clients are connected (`onConnected`) and waits for `startEditing()`.
 */
function runTask(index: number, task: WorkerTask, onConnected?: () => void): Promise<WorkerResult> {
  const worker = workers[index % workers.length]!;
  return new Promise<WorkerResult>((resolve) => {
    const onMessage = (message: WorkerResult | WorkerSignal) => {
      if ('signal' in message) {
        onConnected?.();
        return;
      }
      worker.off('message', onMessage);
      resolve(message);
    };
    worker.on('message', onMessage);
    worker.postMessage(task);
  });
}

function startEditing(): void {
  for (const worker of workers) worker.postMessage({ kind: 'go' } satisfies WorkerGo);
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

type Figures = Record<string, number | string | boolean>;

/**
 * Runs `tasks` and reads the server's CPU and memory while they run. For rate tasks only the
 * editing counts: clients connect first (auth, document loads: reported apart as `connectCpu`),
 * then `atStart` runs and every worker starts editing at once.
 */
async function measure(
  server: Running,
  tasks: WorkerTask[],
  atStart: () => Promise<void> = async () => undefined,
): Promise<{
  results: WorkerResult[];
  serverCpu: number;
  /** Of serverCpu, the kernel's part (socket writes and reads, mostly). */
  serverSys: number;
  /** Server CPU while the clients connected, before the measured part (rate tasks). */
  connectCpu: number;
  peakRss: number;
  genCpu: number;
  wallS: number;
}> {
  const pid = server.child.pid!;
  const twoPhase = tasks.every((task) => task.kind === 'rate');
  const connectStart = procCpu(pid);
  let connected = 0;
  let allConnected!: () => void;
  const connectedAll = new Promise<void>((resolve) => (allConnected = resolve));
  const running = Promise.all(
    tasks.map((task, i) =>
      runTask(i, task, () => {
        if (++connected === tasks.length) allConnected();
      }),
    ),
  );
  if (twoPhase) await connectedAll;
  await atStart();
  const cpu0 = procCpu(pid);
  const gen0 = process.cpuUsage();
  const stopRss = rssSampler(pid);
  const t0 = performance.now();
  if (twoPhase) startEditing();
  const results = await running;
  const wallS = (performance.now() - t0) / 1000;
  const gen = process.cpuUsage(gen0);
  const cpu1 = procCpu(pid);
  return {
    results,
    serverCpu: cpu1.user + cpu1.sys - cpu0.user - cpu0.sys,
    serverSys: cpu1.sys - cpu0.sys,
    connectCpu: cpu0.user + cpu0.sys - connectStart.user - connectStart.sys,
    peakRss: stopRss(),
    genCpu: (gen.user + gen.system) / 1e6,
    wallS,
  };
}

function merge(results: WorkerResult[]) {
  return {
    latencies: results.flatMap((r) => r.latencies),
    deliveries: results.reduce((n, r) => n + r.deliveries, 0),
    edits: results.reduce((n, r) => n + r.edits, 0),
    states: results.flatMap((r) => r.states),
    lagP99Ms: Math.max(...results.map((r) => r.lagP99Ms)),
    lagMaxMs: Math.max(...results.map((r) => r.lagMaxMs)),
    errors: results.flatMap((r) => r.errors),
  };
}

function converged(states: Array<{ docName: string; digest: string }>): boolean {
  const byDoc = new Map<string, Set<string>>();
  for (const s of states) byDoc.set(s.docName, (byDoc.get(s.docName) ?? new Set()).add(s.digest));
  return [...byDoc.values()].every((set) => set.size === 1);
}

async function main(): Promise<void> {
  const handle = await openDatabase({ kind: 'postgres', url: DATABASE_URL, maxConnections: 4 });
  const owner = await createTestUser(handle.db, 'BenchOwner');
  const editors = [
    await createTestUser(handle.db, 'BenchA'),
    await createTestUser(handle.db, 'BenchB'),
  ];
  const { workspaceId, frameworkId: pingDoc } = await createTestFramework(handle.db, owner);
  for (const editor of editors)
    await addMember(handle.db, { workspaceId, userId: editor.id, role: 'editor' });
  const users = [owner, ...editors];
  const newDoc = async () =>
    (
      await createFramework(handle.db, {
        workspaceId,
        title: 'Bench',
        template: 'blank',
        createdBy: owner.id,
      })
    ).id;
  const docs = async (n: number) => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push(await newDoc());
    return ids;
  };
  process.stderr.write('seeding documents...\n');
  const hotDoc = await newDoc();
  const spreadDocs = WORKLOADS.has('c') ? await docs(100) : [];
  const memoryDocs = WORKLOADS.has('d') ? await docs(DOCS_D) : [];
  const warmDoc = await newDoc();
  const coldDocs = WORKLOADS.has('e') ? await docs(3) : [];
  // 1 MB documents in the database for the product's cold sync.
  const big = new Y.Doc();
  big.getText('t').insert(0, 'lorem ipsum '.repeat(Math.ceil(1_048_576 / 12)).slice(0, 1_048_576));
  const bigUpdate = Y.encodeStateAsUpdate(big);
  for (const id of coldDocs)
    await appendDocumentUpdates(handle.db, [
      { frameworkId: id, userId: owner.id, update: bigUpdate },
    ]);

  startWorkers();
  const mainLag = monitorEventLoopDelay({ resolution: 10 });
  mainLag.enable();
  const report: Record<ServerKind, Figures> = { product: {}, 'y-websocket': {}, hocuspocus: {} };
  for (const kind of KINDS) {
    process.stderr.write(`== ${kind}\n`);
    const server = await startServer(kind);
    const f = report[kind];
    const spec = (docName: string, i: number): ClientSpec => {
      const base = `ws://127.0.0.1:${server.port}`;
      if (kind === 'product')
        return {
          dialect: 'yws',
          url: `${base}/collab/${docName}`,
          docName,
          cookie: users[i % users.length]!.cookie,
        };
      if (kind === 'y-websocket') return { dialect: 'yws', url: `${base}/${docName}`, docName };
      return { dialect: 'hocus', url: base, docName };
    };
    try {
      // (a) ping
      if (WORKLOADS.has('a')) {
        const m = await measure(server, [
          { kind: 'ping', specs: [spec(pingDoc, 0), spec(pingDoc, 1)], edits: 500, maxMs: 30_000 },
        ]);
        const r = merge(m.results);
        f.a_p50_ms = round(percentile(r.latencies, 50));
        f.a_p99_ms = round(percentile(r.latencies, 99));
        f.a_gen_lag_p99_ms = round(r.lagP99Ms);
        f.a_edits = r.deliveries;
        f.a_errors = r.errors.join('; ');
      }
      // (b) hot document: 50 clients x 10 edits/s
      if (WORKLOADS.has('b')) {
        const specs = Array.from({ length: 50 }, (_, i) => spec(hotDoc, i));
        const tasks: WorkerTask[] = Array.from({ length: WORKERS }, (_, w) => ({
          kind: 'rate',
          specs: specs.filter((_, i) => i % WORKERS === w),
          editsPerSecond: 10,
          durationMs: SECONDS_B * 1000,
        }));
        let before: Counters = null;
        const m = await measure(
          server,
          tasks,
          async () => void (before = await productCounters(server)),
        );
        Object.assign(f, rateFigures('b', m, SECONDS_B));
        Object.assign(f, counterFigures('b', before, await productCounters(server), m));
      }
      // (c) spread: 400 clients over 100 documents, 1 edit/s
      if (WORKLOADS.has('c')) {
        const specs = Array.from({ length: 400 }, (_, i) => spec(spreadDocs[i % 100]!, i));
        const tasks: WorkerTask[] = Array.from({ length: WORKERS }, (_, w) => ({
          kind: 'rate',
          specs: specs.filter((_, i) => Math.floor((i % 100) % WORKERS) === w),
          editsPerSecond: 1,
          durationMs: SECONDS_C * 1000,
        }));
        let before: Counters = null;
        const m = await measure(
          server,
          tasks,
          async () => void (before = await productCounters(server)),
        );
        Object.assign(f, rateFigures('c', m, SECONDS_C));
        Object.assign(f, counterFigures('c', before, await productCounters(server), m));
      }
      // (d) memory per loaded document: one connection per document, ~20 KB each, on a freshly
      // started server so that the garbage of earlier workloads does not blur the difference.
      if (WORKLOADS.has('d')) {
        server.child.kill('SIGTERM');
        await new Promise((resolve) => server.child.once('exit', resolve));
        Object.assign(server, await startServer(kind));
        // Warm up on a few documents first: what the first connections initialise once (code
        // compiled on first use, pools, caches) is not a cost per document.
        const warmup = Math.min(WARMUP_DOCS_D, Math.floor(DOCS_D / 10));
        const specs = memoryDocs.map((id, i) => spec(id, i));
        await runTask(0, { kind: 'hold', specs: specs.slice(0, warmup), contentBytes: 20_000 });
        await sleep(1_000);
        const before = procRssBytes(server.child.pid!);
        specs.splice(0, warmup);
        const tasks: WorkerTask[] = Array.from({ length: WORKERS }, (_, w) => ({
          kind: 'hold',
          specs: specs.filter((_, i) => i % WORKERS === w),
          contentBytes: 20_000,
        }));
        const m = await measure(server, tasks);
        await sleep(1_500);
        const after = procRssBytes(server.child.pid!);
        f.d_kb_per_doc = Math.round((after - before) / specs.length / 1024);
        f.d_peak_rss_mb = Math.round(m.peakRss / 1048576);
        f.d_errors = merge(m.results).errors.slice(0, 3).join('; ');
        await Promise.all(workers.map((_, w) => runTask(w, { kind: 'release' })));
      }
      // (e) time for a new client to sync a 1 MB document: warm (in memory), cold (from the database)
      if (WORKLOADS.has('e')) {
        await runTask(0, { kind: 'hold', specs: [spec(warmDoc, 0)], contentBytes: 1_048_576 });
        const warm: number[] = [];
        for (let i = 0; i < 5; i++) {
          const r = await runTask(1, { kind: 'syncTime', spec: spec(warmDoc, 1), maxMs: 10_000 });
          if (r.syncMs !== undefined && r.errors.length === 0) warm.push(r.syncMs);
        }
        await runTask(0, { kind: 'release' });
        f.e_warm_ms = round(percentile(warm, 50));
        if (kind === 'product') {
          const cold: number[] = [];
          for (const id of coldDocs) {
            const r = await runTask(1, { kind: 'syncTime', spec: spec(id, 1), maxMs: 10_000 });
            if (r.syncMs !== undefined && r.errors.length === 0) cold.push(r.syncMs);
          }
          f.e_cold_ms = round(percentile(cold, 50));
        } else {
          f.e_cold_ms = 'n/a (no persistence)';
        }
      }
    } finally {
      server.child.kill('SIGTERM');
      await new Promise((resolve) => server.child.once('exit', resolve));
    }
  }
  mainLag.disable();
  await Promise.all(workers.map((w) => w.terminate()));
  await handle.close();
  printTable(report);
  process.stdout.write(
    JSON.stringify({
      bench: 'sync-servers',
      cores: (await import('node:os')).cpus().length,
      generatorMainLagP99Ms: mainLag.percentile(99) / 1e6,
      servers: report,
    }) + '\n',
  );
}

function rateFigures(
  prefix: string,
  m: Awaited<ReturnType<typeof measure>>,
  seconds: number,
): Figures {
  const r = merge(m.results);
  const f: Figures = {};
  f[`${prefix}_p50_ms`] = round(percentile(r.latencies, 50));
  f[`${prefix}_p99_ms`] = round(percentile(r.latencies, 99));
  f[`${prefix}_deliveries_per_s`] = Math.round(r.deliveries / seconds);
  f[`${prefix}_converged`] = converged(r.states);
  f[`${prefix}_server_cpu_s`] = round(m.serverCpu);
  f[`${prefix}_server_sys_s`] = round(m.serverSys);
  // Connecting (auth, loading documents) is measured apart: the figure above is the editing.
  f[`${prefix}_connect_cpu_ms_per_client`] = round(
    (m.connectCpu /
      Math.max(
        1,
        m.results.reduce((n, r) => n + r.clients, 0),
      )) *
      1000,
  );
  f[`${prefix}_cpu_us_per_delivery`] = round((m.serverCpu / Math.max(1, r.deliveries)) * 1e6);
  f[`${prefix}_peak_rss_mb`] = Math.round(m.peakRss / 1048576);
  f[`${prefix}_gen_cpu_s`] = round(m.genCpu);
  f[`${prefix}_gen_lag_p99_ms`] = round(r.lagP99Ms);
  // The generator shares two cores with the server: over ~1.6 cores busy or a laggy event loop
  // means the latencies include time the edits waited inside the generator.
  f[`${prefix}_distorted`] = m.genCpu / m.wallS > 1.6 || r.lagP99Ms > 50;
  if (r.errors.length) f[`${prefix}_errors`] = r.errors.slice(0, 3).join('; ');
  return f;
}

/** The product's own counters (its /metrics): what it sent and stored, for the figures below. */
type Counters = Map<string, number> | null;

async function productCounters(server: Running): Promise<Counters> {
  if (server.kind !== 'product') return null;
  const text = await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text();
  const totals = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^(collab_[a-z_]+?)(?:\{[^}]*\})? ([0-9.e+-]+)$/.exec(line);
    if (match) totals.set(match[1]!, (totals.get(match[1]!) ?? 0) + Number(match[2]));
  }
  return totals;
}

/** Frames the product sent per delivery counted by the clients, and its database batches. */
function counterFigures(
  prefix: string,
  before: Counters,
  after: Counters,
  m: Awaited<ReturnType<typeof measure>>,
): Figures {
  if (!before || !after) return {};
  const delta = (name: string) => (after.get(name) ?? 0) - (before.get(name) ?? 0);
  const deliveries = Math.max(1, merge(m.results).deliveries);
  return {
    [`${prefix}_frames_out_per_delivery`]: round(delta('collab_messages_out_total') / deliveries),
    [`${prefix}_persist_batches`]: delta('collab_persist_batches_total'),
    [`${prefix}_persist_rows`]: delta('collab_persist_rows_total'),
    [`${prefix}_compactions`]: delta('collab_compactions_total'),
  };
}

const round = (n: number) => Math.round(n * 100) / 100;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function printTable(report: Record<ServerKind, Figures>): void {
  const keys = [...new Set(Object.values(report).flatMap((f) => Object.keys(f)))];
  const lines = [
    ['figure', 'product', 'y-websocket 1.5.4', 'hocuspocus 4', 'product/y-ws', 'product/hocus'],
  ];
  for (const key of keys) {
    const [p, y, h] = [report.product[key], report['y-websocket'][key], report.hocuspocus[key]];
    const ratio = (x: unknown) =>
      typeof p === 'number' && typeof x === 'number' && x !== 0 ? (p / x).toFixed(2) : '';
    lines.push([key, String(p ?? ''), String(y ?? ''), String(h ?? ''), ratio(y), ratio(h)]);
  }
  const widths = lines[0]!.map((_, i) => Math.max(...lines.map((l) => l[i]!.length)));
  for (const line of lines)
    process.stdout.write(line.map((c, i) => c.padEnd(widths[i]!)).join('  ') + '\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${String(error)}\n`);
  process.exit(1);
});
