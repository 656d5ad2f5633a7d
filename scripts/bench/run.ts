import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import * as Y from 'yjs';
import { createScratchDatabase } from '../../db/scratch';
import { openDatabase } from '../../db/client';
import { appendDocumentUpdates } from '../../db/queries/documents';
import { createFramework } from '../../db/queries/frameworks';
import { addMember } from '../../db/queries/workspaces';
import {
  TEST_SECRET,
  createTestUser,
  createTestFramework,
} from '../../server/collab/testing/test-support';
import type { ClientSpec, Dialect } from './client';
import type { WorkerGo, WorkerResult, WorkerSignal, WorkerTask } from './worker';

/**
 * `npm run bench`: the product's sync server (auth, persistence on PostgreSQL) beside the
 * y-websocket 1.5.4 reference server and Hocuspocus 4 on the same workloads, each bounded in
 * time. This process is the load generator (worker threads); servers run in their own processes
 * and their CPU and memory are read from /proc. Prints a table, then one line of JSON.
 */
/**
 * The product's database: BENCH_DATABASE_URL when given, else a scratch database made on
 * BENCH_POSTGRES_ADMIN_URL (the local PostgreSQL by default) for this run and dropped after it.
 */
let DATABASE_URL = process.env.BENCH_DATABASE_URL ?? '';
const ADMIN_URL =
  process.env.BENCH_POSTGRES_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const WORKERS = Number(process.env.BENCH_WORKERS ?? 2);
const SECONDS_B = Number(process.env.BENCH_HOT_SECONDS ?? 20);
const SECONDS_C = Number(process.env.BENCH_SPREAD_SECONDS ?? 20);
const DOCS_D = Number(process.env.BENCH_MEMORY_DOCS ?? 1000);
/**
 * A tail percentile of 500 edits is its 5 slowest, and memory per document one reading of RSS:
 * single runs swung by 1.5x between identical runs here. Each is run several times and the
 * median reported, with the spread beside it.
 */
const ROUNDS_A = Number(process.env.BENCH_PING_ROUNDS ?? 5);
const ROUNDS_D = Number(process.env.BENCH_MEMORY_ROUNDS ?? 3);
/** Rounds of (b) and (c), in turn across the servers; the median of each figure is reported. */
const ROUNDS_BC = Number(process.env.BENCH_RATE_ROUNDS ?? 3);
/**
 * (b) and (c) edit this long before the measured part: a freshly started server runs its code
 * unoptimised for the first second or so, and that is not the cost of an edit on a server that
 * has been up for hours. The latencies of that stretch are reported apart (`*_warmup_p99_ms`).
 */
const WARMUP_MS_BC = 3_000;
const WARMUP_EDITS_A = 50;
const WARMUP_DOCS_D = 20;
const TICK = 100; // clock ticks per second in /proc/<pid>/stat (getconf CLK_TCK)

type ServerKind = 'product' | 'y-websocket' | 'hocuspocus';
const ALL_KINDS: ServerKind[] = ['product', 'y-websocket', 'hocuspocus'];
/** For quick iterations: BENCH_SERVERS=product,hocuspocus and BENCH_WORKLOADS=bc run a subset. */
const KINDS = (process.env.BENCH_SERVERS ?? ALL_KINDS.join(','))
  .split(',')
  .map((k) => k.trim())
  .filter((k): k is ServerKind => (ALL_KINDS as string[]).includes(k));
/**
 * i: idle RSS of each sync server; a-e: the workloads; p: the whole product idle after
 * `npm start` (Next.js, sync server and the embedded database in one process).
 */
const WORKLOADS = new Set((process.env.BENCH_WORKLOADS ?? 'iabcdep').toLowerCase());
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

/** Node options of every server: a full GC on SIGUSR2 (see gc-on-signal.mjs and fullGc). */
const GC_ON_SIGNAL = ['--expose-gc', '--import', './scripts/bench/gc-on-signal.mjs'];

async function startServer(kind: ServerKind): Promise<Running> {
  const port = await freePort();
  const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
  let child: ChildProcess;
  // BENCH_PROFILE_DIR: a CPU profile of every server, named by kind, to compare like with like.
  const profile = PROFILE_DIR
    ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`, `--cpu-prof-name=${kind}-\${pid}.cpuprofile`]
    : [];
  if (kind === 'product') {
    child = spawn(
      process.execPath,
      // The compiled sync server on its own (`npm run build` writes it; main() compiles it first).
      [...profile, ...GC_ON_SIGNAL, 'dist/server/standalone.js'],
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
    child = spawn(
      process.execPath,
      [...profile, ...GC_ON_SIGNAL, 'node_modules/y-websocket-154/bin/server.js'],
      {
        env,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
  } else {
    child = spawn(
      process.execPath,
      // Plain JavaScript, as the product runs compiled: no run-time compiler in either process.
      [...profile, ...GC_ON_SIGNAL, 'scripts/bench/hocuspocus-server.mjs'],
      { env, stdio: ['ignore', 'pipe', 'inherit'] },
    );
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
    let connected = false;
    const onMessage = (message: WorkerResult | WorkerSignal) => {
      if ('signal' in message) {
        connected = true;
        onConnected?.();
        return;
      }
      worker.off('message', onMessage);
      // A task that failed before its clients were all connected still counts as ready, so the
      // others start and the round ends (with its errors) instead of waiting forever.
      if (!connected) onConnected?.();
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
 * editing after its warm-up counts: clients connect first (auth, document loads: reported apart
 * as `connectCpu`), every worker starts editing at once, and after `warmupMs` `atStart` runs and
 * the measured part begins.
 */
async function measure(
  server: Running,
  tasks: WorkerTask[],
  atStart: () => Promise<void> = async () => undefined,
  warmupMs = 0,
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
  let warmupCpu = 0;
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
  if (twoPhase) {
    await connectedAll;
    const beforeWarmup = procCpu(pid);
    startEditing();
    await sleep(warmupMs);
    const afterWarmup = procCpu(pid);
    warmupCpu = afterWarmup.user + afterWarmup.sys - beforeWarmup.user - beforeWarmup.sys;
  }
  await atStart();
  const cpu0 = procCpu(pid);
  const gen0 = process.cpuUsage();
  const stopRss = rssSampler(pid);
  const t0 = performance.now();
  const results = await running;
  const wallS = (performance.now() - t0) / 1000;
  const gen = process.cpuUsage(gen0);
  const cpu1 = procCpu(pid);
  return {
    results,
    serverCpu: cpu1.user + cpu1.sys - cpu0.user - cpu0.sys,
    serverSys: cpu1.sys - cpu0.sys,
    connectCpu: cpu0.user + cpu0.sys - connectStart.user - connectStart.sys - warmupCpu,
    peakRss: stopRss(),
    genCpu: (gen.user + gen.system) / 1e6,
    wallS,
  };
}

function merge(results: WorkerResult[]) {
  return {
    latencies: results.flatMap((r) => r.latencies),
    warmupLatencies: results.flatMap((r) => r.warmupLatencies),
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
  // The product runs as `npm start` runs it: compiled, plain node.
  const compiled = spawnSync(process.execPath, ['scripts/build-server.mjs'], { stdio: 'inherit' });
  if (compiled.status !== 0) throw new Error('compiling the server failed');
  const scratch = DATABASE_URL ? null : await createScratchDatabase(ADMIN_URL, 'briefing_bench');
  if (scratch) DATABASE_URL = scratch.url;
  try {
    await bench();
  } finally {
    await scratch?.drop();
  }
}

async function bench(): Promise<void> {
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
  // Fresh documents for every round of (b) and (c): a document carried over would have grown
  // with each round, and every client joining it syncs all of that first.
  const hotDocs = WORKLOADS.has('b') ? await docs(ROUNDS_BC) : [];
  const spreadDocs: string[][] = [];
  for (let r = 0; WORKLOADS.has('c') && r < ROUNDS_BC; r++) spreadDocs.push(await docs(100));
  // Fresh documents for every round of (d): the product then always loads empty documents.
  const memoryDocs: string[][] = [];
  for (let r = 0; WORKLOADS.has('d') && r < ROUNDS_D; r++) memoryDocs.push(await docs(DOCS_D));
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
  // Every server runs from the start, idle between its turns: each workload takes its rounds in
  // turn across the servers, so the machine's drift over minutes (this VM's CPU time per edit
  // varied 2x between runs) reaches all of them alike.
  const servers = new Map<ServerKind, Running>();
  for (const kind of KINDS) servers.set(kind, await startServer(kind));
  const spec =
    (kind: ServerKind) =>
    (docName: string, i: number): ClientSpec => {
      const base = `ws://127.0.0.1:${servers.get(kind)!.port}`;
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
  const inTurn = async <T>(
    rounds: number,
    run: (kind: ServerKind, round: number) => Promise<T>,
  ) => {
    const results = new Map<ServerKind, T[]>(KINDS.map((kind) => [kind, []]));
    for (let i = 0; i < rounds; i++) {
      for (const kind of KINDS) {
        process.stderr.write(`  ${kind} round ${i + 1}/${rounds}\n`);
        results.get(kind)!.push(await run(kind, i));
      }
    }
    return results;
  };
  /** Stops a server and starts it afresh (a workload that must not meet earlier ones' work). */
  const restart = async (kind: ServerKind) => {
    await stopServer(servers.get(kind)!);
    servers.set(kind, await startServer(kind));
  };
  try {
    // (i) idle: a freshly started server, settled for 3 s, no client; RSS as an operator's
    // dashboard reads it, then after a full GC.
    if (WORKLOADS.has('i')) {
      process.stderr.write('(i) idle\n');
      const byKind = await inTurn(ROUNDS_D, async (kind) => {
        await restart(kind);
        await sleep(3_000);
        const pid = servers.get(kind)!.child.pid!;
        const asRead = procRssBytes(pid);
        return { asRead, afterGc: await rssAfterGc(servers.get(kind)!) };
      });
      for (const [kind, rounds] of byKind) {
        const f = report[kind];
        f.i_idle_rss_mb = round(median(rounds.map((r) => r.asRead)) / 1048576);
        f.i_idle_rss_after_gc_mb = round(median(rounds.map((r) => r.afterGc)) / 1048576);
      }
    }
    // (a) ping: rounds of 500 measured edits, each after 50 unmeasured ones, on new sockets
    if (WORKLOADS.has('a')) {
      process.stderr.write('(a) ping\n');
      const byKind = await inTurn(ROUNDS_A, async (kind) => {
        const task: WorkerTask = {
          kind: 'ping',
          specs: [spec(kind)(pingDoc, 0), spec(kind)(pingDoc, 1)],
          warmup: WARMUP_EDITS_A,
          edits: 500,
          maxMs: 30_000,
        };
        return merge((await measure(servers.get(kind)!, [task])).results);
      });
      for (const [kind, rounds] of byKind) {
        const f = report[kind];
        const p99s = rounds.map((r) => percentile(r.latencies, 99));
        f.a_p50_ms = round(median(rounds.map((r) => percentile(r.latencies, 50))));
        f.a_p99_ms = round(median(p99s));
        f.a_p99_spread_ms = spread(p99s);
        f.a_gen_lag_p99_ms = round(median(rounds.map((r) => r.lagP99Ms)));
        f.a_edits = rounds.reduce((n, r) => n + r.deliveries, 0);
        f.a_errors = rounds.flatMap((r) => r.errors).join('; ');
      }
    }
    // (b) hot document: 50 clients x 10 edits/s
    if (WORKLOADS.has('b')) {
      process.stderr.write('(b) hot document\n');
      const byKind = await inTurn(ROUNDS_BC, (kind, round) =>
        rateRound('b', servers.get(kind)!, {
          specs: Array.from({ length: 50 }, (_, i) => spec(kind)(hotDocs[round]!, i)),
          worker: (i) => i % WORKERS,
          editsPerSecond: 10,
          seconds: SECONDS_B,
        }),
      );
      for (const [kind, rounds] of byKind) Object.assign(report[kind], medianFigures(rounds));
    }
    // (c) spread: 400 clients over 100 documents, 1 edit/s
    if (WORKLOADS.has('c')) {
      process.stderr.write('(c) spread\n');
      const byKind = await inTurn(ROUNDS_BC, (kind, round) =>
        rateRound('c', servers.get(kind)!, {
          specs: Array.from({ length: 400 }, (_, i) => spec(kind)(spreadDocs[round]![i % 100]!, i)),
          // A document's clients share a worker: its latencies are not split across threads.
          worker: (i) => (i % 100) % WORKERS,
          editsPerSecond: 1,
          seconds: SECONDS_C,
        }),
      );
      for (const [kind, rounds] of byKind) Object.assign(report[kind], medianFigures(rounds));
    }
    // (d) memory per loaded document: one connection per document, ~20 KB each, on a freshly
    // started server each round so that the garbage of earlier work does not blur it.
    if (WORKLOADS.has('d')) {
      process.stderr.write('(d) memory per document\n');
      const byKind = await inTurn(ROUNDS_D, async (kind, round) => {
        await restart(kind);
        return memoryRound(servers.get(kind)!, memoryDocs[round]!.map(spec(kind)));
      });
      for (const [kind, rounds] of byKind) {
        const f = report[kind];
        const perDoc = rounds.map((r) => r.kbPerDoc);
        const perDocAsRead = rounds.map((r) => r.kbPerDocAsRead);
        f.d_kb_per_doc_as_read = Math.round(median(perDocAsRead));
        f.d_kb_per_doc_as_read_spread = spread(perDocAsRead);
        f.d_kb_per_doc = Math.round(median(perDoc));
        f.d_kb_per_doc_spread = spread(perDoc);
        f.d_peak_rss_mb = Math.round(Math.max(...rounds.map((r) => r.peakRss)) / 1048576);
        f.d_errors = rounds
          .flatMap((r) => r.errors)
          .slice(0, 3)
          .join('; ');
      }
    }
    // (e) time for a new client to sync a 1 MB document: warm (in memory), cold (from the
    // database); on a freshly started server, not one still unloading what (d) left.
    if (WORKLOADS.has('e')) {
      process.stderr.write('(e) sync of 1 MB\n');
      for (const kind of KINDS) {
        await restart(kind);
        const f = report[kind];
        const at = spec(kind);
        await runTask(0, { kind: 'hold', specs: [at(warmDoc, 0)], contentBytes: 1_048_576 });
        const warm: number[] = [];
        for (let i = 0; i < 5; i++) {
          const r = await runTask(1, { kind: 'syncTime', spec: at(warmDoc, 1), maxMs: 10_000 });
          if (r.syncMs !== undefined && r.errors.length === 0) warm.push(r.syncMs);
        }
        await runTask(0, { kind: 'release' });
        f.e_warm_ms = round(percentile(warm, 50));
        if (kind === 'product') {
          const cold: number[] = [];
          for (const id of coldDocs) {
            const r = await runTask(1, { kind: 'syncTime', spec: at(id, 1), maxMs: 10_000 });
            if (r.syncMs !== undefined && r.errors.length === 0) cold.push(r.syncMs);
          }
          f.e_cold_ms = round(percentile(cold, 50));
        } else {
          f.e_cold_ms = 'n/a (no persistence)';
        }
      }
    }
  } finally {
    await Promise.all([...servers.values()].map(stopServer));
  }
  mainLag.disable();
  await Promise.all(workers.map((w) => w.terminate()));
  await handle.close();
  if (WORKLOADS.has('p') && KINDS.includes('product')) {
    process.stderr.write('(p) the whole product idle after npm start\n');
    const rounds = [];
    for (let i = 0; i < ROUNDS_D; i++) rounds.push(await wholeProductIdle());
    const f = report.product;
    f.p_product_idle_rss_mb = round(median(rounds.map((r) => r.asRead)) / 1048576);
    f.p_product_idle_rss_after_gc_mb = round(median(rounds.map((r) => r.afterGc)) / 1048576);
    f.p_product_idle_after_page_rss_mb = round(median(rounds.map((r) => r.afterPage)) / 1048576);
  }
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

/**
 * One reading of (p): `npm start`'s process (Next.js, the sync server, the persistence thread
 * and the embedded database) on a fresh data folder, settled for 5 s; RSS as read, after a full
 * GC, and as read again after serving the sign-in page once (Next.js loads its route code on
 * the first request).
 */
async function wholeProductIdle(): Promise<{ asRead: number; afterGc: number; afterPage: number }> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-product-'));
  const child = spawn(process.execPath, [...GC_ON_SIGNAL, 'scripts/start.mjs'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      REDIS_URL: '',
      AUTH_SECRET: TEST_SECRET,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const server: Running = { kind: 'product', child, port, dialect: 'yws' };
  try {
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}`);
      if (Date.now() > deadline) throw new Error('npm start did not become healthy in 120 s');
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await sleep(250);
    }
    await sleep(5_000);
    const asRead = procRssBytes(child.pid!);
    const afterGc = await rssAfterGc(server);
    await fetch(`http://127.0.0.1:${port}/signin`).then((r) => r.text());
    await sleep(2_000);
    return { asRead, afterGc, afterPage: procRssBytes(child.pid!) };
  } finally {
    await stopServer(server);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * One reading of (d): a few documents first (what the first connections initialise once, such as
 * code compiled on first use, pools and caches, is no cost per document), then the rest, each
 * with one connection holding ~20 KB; RSS growth per document, each RSS read after a full GC.
 */
async function memoryRound(
  server: Running,
  specs: ClientSpec[],
): Promise<{ kbPerDoc: number; kbPerDocAsRead: number; peakRss: number; errors: string[] }> {
  const warmup = Math.min(WARMUP_DOCS_D, Math.floor(specs.length / 10));
  await runTask(0, { kind: 'hold', specs: specs.slice(0, warmup), contentBytes: 20_000 });
  await sleep(1_000);
  const beforeAsRead = procRssBytes(server.child.pid!);
  const before = await rssAfterGc(server);
  const measured = specs.slice(warmup);
  const tasks: WorkerTask[] = Array.from({ length: WORKERS }, (_, w) => ({
    kind: 'hold',
    specs: measured.filter((_, i) => i % WORKERS === w),
    contentBytes: 20_000,
  }));
  const m = await measure(server, tasks);
  await sleep(1_500);
  const afterAsRead = procRssBytes(server.child.pid!);
  const after = await rssAfterGc(server);
  await Promise.all(workers.map((_, w) => runTask(w, { kind: 'release' })));
  return {
    kbPerDocAsRead: Math.round((afterAsRead - beforeAsRead) / measured.length / 1024),
    kbPerDoc: Math.round((after - before) / measured.length / 1024),
    peakRss: m.peakRss,
    errors: merge(m.results).errors,
  };
}

/** One round of a rate workload on one server: its figures (see rateFigures, counterFigures). */
async function rateRound(
  prefix: string,
  server: Running,
  load: {
    specs: ClientSpec[];
    /** Which worker thread runs the i-th client. */
    worker: (i: number) => number;
    editsPerSecond: number;
    seconds: number;
  },
): Promise<Figures> {
  const tasks: WorkerTask[] = Array.from({ length: WORKERS }, (_, w) => ({
    kind: 'rate',
    specs: load.specs.filter((_, i) => load.worker(i) === w),
    editsPerSecond: load.editsPerSecond,
    warmupMs: WARMUP_MS_BC,
    durationMs: load.seconds * 1000,
  }));
  let before: Counters = null;
  const m = await measure(
    server,
    tasks,
    async () => void (before = await productCounters(server)),
    WARMUP_MS_BC,
  );
  return {
    ...rateFigures(prefix, m, load.seconds),
    ...counterFigures(prefix, before, await productCounters(server), m),
  };
}

/**
 * The figures of several rounds as one: the median of each number (and the spread of the CPU and
 * tail figures beside it), converged only if every round did, distorted if any round was.
 */
function medianFigures(rounds: Figures[]): Figures {
  const f: Figures = {};
  for (const key of Object.keys(rounds[0] ?? {})) {
    const values = rounds.map((r) => r[key]);
    if (values.every((v) => typeof v === 'number')) {
      const numbers = values as number[];
      f[key] = round(median(numbers));
      if (/(cpu_us_per_delivery|p99_ms)$/.test(key) && rounds.length > 1) {
        f[`${key}_spread`] = spread(numbers);
      }
    } else if (values.every((v) => typeof v === 'boolean')) {
      f[key] = key.endsWith('_distorted') ? values.some(Boolean) : values.every(Boolean);
    } else {
      f[key] = [...new Set(values.filter((v) => v !== undefined && v !== ''))].join('; ');
    }
  }
  return f;
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
  f[`${prefix}_warmup_p99_ms`] = round(percentile(r.warmupLatencies, 99));
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
const median = (values: number[]) => percentile(values, 50);
const spread = (values: number[]) => `${round(Math.min(...values))}-${round(Math.max(...values))}`;

/** The server's RSS after a full garbage collection (SIGUSR2, see GC_ON_SIGNAL). */
async function rssAfterGc(server: Running): Promise<number> {
  server.child.kill('SIGUSR2');
  await sleep(500);
  return procRssBytes(server.child.pid!);
}

async function stopServer(server: Running): Promise<void> {
  if (server.child.exitCode !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await exited;
}
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
