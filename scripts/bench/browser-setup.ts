/**
 * What the browser benchmarks share (bench-editor, bench-amendments): the production server on a
 * free port with its own data folder, a writer who signs up and creates a framework, the
 * framework filled over the real websocket as a client would, and the "open until editable"
 * measurement of the editor. Kept in one place so both scripts measure the same thing the same way.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { trackSavedStatus } from '../../lib/collab/saved-status';
import {
  addCommitment,
  addLayer,
  addParty,
  addTrigger,
  LAYER_KINDS,
  layerIds,
  setNarrative,
  type NarrativeBlock,
} from '../../lib/framework';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export type StorageState = Awaited<ReturnType<BrowserContext['storageState']>>;

export const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
export const median = (sorted: number[]) => percentile(sorted, 50);

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startServer(port: number, dataDir: string): Promise<ChildProcess> {
  // The compiled server, as `npm start` runs it; BENCH_SERVER_NODE_ARGS adds Node flags (say,
  // --cpu-prof --cpu-prof-dir=/tmp/prof to profile the server's side of the open).
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, 'scripts/start.mjs'], {
    env: {
      ...process.env,
      PORT: String(port),
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const response = await fetch(`http://localhost:${port}/healthz`);
      if (response.ok) return child;
    } catch {
      // Not listening yet: keep polling until the deadline.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill('SIGTERM');
  throw new Error('server did not become healthy within 120 s');
}

/** Stops a server started by startServer and waits until it has exited. */
export async function stopServer(server: ChildProcess | null): Promise<void> {
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
}

export async function signUpAndCreate(page: Page, baseURL: string) {
  await page.goto(`${baseURL}/signup`);
  await page.getByLabel('Display name').fill('Bench Writer');
  await page.getByLabel('Email').fill(`bench-${Date.now()}@example.test`);
  await page.getByLabel('Password').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('link', { name: 'Bench Writer' }).waitFor();
  await page.goto(`${baseURL}/`);
  await page.getByLabel('Group name').fill('Benchmark group');
  await page.getByRole('button', { name: 'Create group' }).click();
  await page.getByRole('heading', { level: 1, name: 'Benchmark group' }).waitFor();
  const groupPath = new URL(page.url()).pathname;
  const groupId = groupPath.split('/').pop()!;
  const response = await page.request.post(`${baseURL}/api/groups/${groupId}/frameworks`, {
    data: { title: 'Benchmark framework', template: 'blank' },
  });
  if (response.status() !== 201) throw new Error(`create framework: ${response.status()}`);
  const { id } = (await response.json()) as { id: string };
  return { frameworkId: id, groupId, groupPath, path: `${groupPath}/frameworks/${id}` };
}

export const SENTENCE =
  'The contributing nations commit forces, funding and enablers on a stated timetable, with ' +
  'explicit triggers, deadlines and responsible parties, so that no layer rests on assurance alone. ';

function narrativeOf(bytes: number, n: number): NarrativeBlock[] {
  const blocks: NarrativeBlock[] = [
    { type: 'heading', level: 2, content: [{ type: 'text', text: `Layer ${n}`, marks: [] }] },
  ];
  let size = 0;
  while (size < bytes) {
    const text = SENTENCE.repeat(3);
    blocks.push({ type: 'paragraph', content: [{ type: 'text', text, marks: [] }] });
    size += text.length;
  }
  return blocks;
}

export const DEFAULT_PARTIES = ['United Kingdom', 'France', 'Poland', 'Romania', 'Türkiye'];

export interface FillOptions {
  layers: number;
  textBytes: number;
  parties?: string[];
  /** Reads the filled document (say, to anchor amendments) before the fill client closes. */
  inspect?: (doc: Y.Doc) => void;
}

/** Fills the framework over the real websocket, as a client would, and waits for "saved". */
export async function fillFramework(
  baseURL: string,
  frameworkId: string,
  cookie: string,
  options: FillOptions,
) {
  const { layers, textBytes, parties: partyNames = DEFAULT_PARTIES, inspect } = options;
  const origin = baseURL;
  // ws lets a Node client send the session cookie and Origin a browser would send.
  class CookieSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers: { cookie, origin } });
    }
  }
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(
    `${baseURL.replace(/^http/, 'ws')}/collab`,
    frameworkId,
    doc,
    {
      WebSocketPolyfill: CookieSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    },
  );
  const tracker = trackSavedStatus(provider);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('fill client did not sync')), 20_000);
    provider.on('sync', (synced: boolean) => {
      if (synced) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  const parties = partyNames.map((p) => addParty(doc, p));
  const perLayer = Math.ceil(textBytes / layers);
  // One transaction per layer keeps each message small, as typing would.
  for (let i = layerIds(doc).length; i < layers; i++) {
    doc.transact(() => {
      const id = addLayer(doc, LAYER_KINDS[i % LAYER_KINDS.length]!, { title: `Layer ${i + 1}` });
      setNarrative(doc, id, narrativeOf(perLayer, i + 1));
      addCommitment(doc, id, {
        party: parties[i % parties.length],
        quantity: 100 + i,
        unit: 'personnel',
      });
      addTrigger(doc, id, {
        condition: 'Armed attack on positions',
        response: 'Consultations, then reinforcement',
        deadlineHours: 24,
        responsibleParties: [parties[0]!],
      });
    });
  }
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not confirm the fill')), 30_000);
    const check = () => {
      if (tracker.status() === 'saved') {
        clearTimeout(timer);
        resolve();
      }
    };
    tracker.subscribe(check);
    check();
  });
  const layerCount = layerIds(doc).length;
  inspect?.(doc);
  tracker.destroy();
  provider.destroy();
  doc.destroy();
  return layerCount;
}

/**
 * Opens the editor in a fresh context and measures until it is editable: every layer block is on
 * the page, and the first layer's title field is enabled and its narrative editor accepts typing
 * (contenteditable, bound to its fragment). Layers further down show their text at once and
 * mount their editors and fields as they come near the viewport or while the browser is idle;
 * "all interactive" waits for them all.
 */
export async function measureOpen(
  browser: Browser,
  storage: StorageState,
  url: string,
  layers: number,
  capture: {
    trace?: string;
    cpuProfile?: string;
    /** The profile runs on until every layer is fully interactive (else until editable). */
    profileUntilInteractive?: boolean;
  } = {},
) {
  const { trace, cpuProfile, profileUntilInteractive = false } = capture;
  const context = await browser.newContext({ storageState: storage });
  const page = await context.newPage();
  // BENCH_TRACE=file.json: a Chromium trace of the first open, for chrome://tracing or Perfetto.
  if (trace) await browser.startTracing(page, { path: trace, screenshots: false });
  // BENCH_CPU_PROFILE=file.cpuprofile: the page's JavaScript profile of the first open (the
  // profiler starts on a same-origin page, so the renderer is the one that opens the editor).
  const cdp = cpuProfile ? await context.newCDPSession(page) : null;
  if (cdp) {
    await page.goto(new URL('/healthz', url).href);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
  }
  const scripts = new Map<string, Promise<number>>();
  page.on('response', (response) => {
    if (response.request().resourceType() !== 'script') return;
    scripts.set(
      response.url(),
      response.body().then((body) => gzipSync(body, { level: 9 }).length),
    );
  });
  await page.goto(url, { waitUntil: 'commit' });
  const openMs = await page
    .waitForFunction(
      (count) => {
        const layers = document.querySelectorAll('[data-layer-id]');
        const first = layers[0];
        if (layers.length < count || !first) return false;
        const narrative = first.querySelector('.ProseMirror[contenteditable="true"]');
        const title = first.querySelector<HTMLInputElement>('input[data-field-path$="/title"]');
        return narrative && title && !title.disabled ? performance.now() : false;
      },
      layers,
      { timeout: 60_000, polling: 'raf' },
    )
    .then((handle) => handle.jsonValue() as Promise<number>);
  if (trace) await browser.stopTracing();
  const stopProfile = async () => {
    if (!cdp || !cpuProfile) return;
    const { profile } = await cdp.send('Profiler.stop');
    writeFileSync(cpuProfile, JSON.stringify(profile));
  };
  if (!profileUntilInteractive) await stopProfile();
  const allEditorsMs = await page
    .waitForFunction(
      (count) =>
        document.querySelectorAll('.ProseMirror[contenteditable="true"]').length >= count &&
        document.querySelectorAll('.ed-layer-pending').length === 0
          ? performance.now()
          : false,
      layers,
      { timeout: 60_000, polling: 'raf' },
    )
    .then((handle) => handle.jsonValue() as Promise<number>);
  if (profileUntilInteractive) await stopProfile();
  const phases = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    return {
      responseStart: Math.round(nav.responseStart),
      responseEnd: Math.round(nav.responseEnd),
      domContentLoaded: Math.round(nav.domContentLoadedEventEnd),
      documentReady: Math.round(performance.getEntriesByName('editor-ready')[0]?.startTime ?? -1),
      engineLoaded: Math.round(
        performance.getEntriesByName('narrative-engine-loaded')[0]?.startTime ?? -1,
      ),
    };
  });
  const textBytes = await page.evaluate(() =>
    [...document.querySelectorAll('.ProseMirror')].reduce(
      (sum, el) => sum + (el.textContent?.length ?? 0),
      0,
    ),
  );
  const scriptSizes = await Promise.all(
    [...scripts].map(async ([url, bytes]) => ({
      path: new URL(url).pathname,
      gzipBytes: await bytes,
    })),
  );
  const gzipBytes = scriptSizes.reduce((sum, script) => sum + script.gzipBytes, 0);
  await context.close();
  return {
    openMs,
    allEditorsMs,
    phases,
    textBytes,
    gzipBytes,
    scriptCount: scripts.size,
    scriptSizes,
  };
}
