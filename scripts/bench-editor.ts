/**
 * Editor benchmark (`npm run bench:editor`): starts the production server on a free port with a
 * fresh embedded database, then in headless Chromium measures
 *   1. time to open a 30-layer framework holding ~200 KB of text until it is editable: all 30
 *      layer blocks are on the page, and the first layer's title field and narrative editor
 *      accept typing (the other layers show their text at once and mount their editors and
 *      fields as they come near the viewport or while the browser is idle: the time until
 *      every layer is fully interactive is reported too),
 *   2. keystroke-to-visible latency on a second client (median, p95): typing from the moment
 *      both show "Saved", and again once every layer of both is fully interactive,
 *   3. JavaScript shipped for the editor route (gzip): its first load (the scripts its HTML
 *      names) against the budget, what the page loads after (the editor engine, the side
 *      column), and the whole,
 *   4. read mode (issue 18): time to open the same framework in read mode until every layer's
 *      section is painted, and remote-keystroke-to-visible latency in a read-mode reader.
 * Prints the figures and ends with one line of JSON. Needs a production build (`next build`);
 * NEXT_DIST_DIR picks the build folder (as for `npm start`), so parallel builds do not clash.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import {
  chromiumPath,
  fillFramework,
  freePort,
  measureOpen,
  median,
  percentile,
  signUpAndCreate,
  startServer,
  stopServer,
  type StorageState,
} from './bench/browser-setup';

const LAYERS = 30;
const TARGET_TEXT_BYTES = 200_000;
const OPEN_RUNS = 3;
const KEYSTROKES = 60;
const TARGETS = {
  openMs: 1000,
  firstByteMs: 200,
  keystrokeMedianMs: 50,
  routeJsGzipKb: 300,
  readOpenMs: 800,
  readUpdateMedianMs: 100,
};

/**
 * The page's server side alone: first byte and whole response over plain HTTP (no browser), as
 * the signed-in writer, 7 runs. The first run is the first render of the route since the server
 * started (cold); the median is over the warm ones.
 */
async function measureServerRender(url: string, cookie: string) {
  const firstBytes: number[] = [];
  const wholes: number[] = [];
  let bytes = 0;
  let html = '';
  for (let run = 0; run < 7; run++) {
    const started = performance.now();
    const response = await fetch(url, {
      headers: { cookie, 'accept-encoding': 'gzip, deflate, br' },
    });
    if (!response.ok || !response.body) throw new Error(`editor page: ${response.status}`);
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let first = -1;
    bytes = 0;
    html = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (first < 0) first = performance.now() - started;
      bytes += value.length;
      html += decoder.decode(value, { stream: true });
    }
    firstBytes.push(first);
    wholes.push(performance.now() - started);
  }
  const warmFirst = firstBytes.slice(1).sort((a, b) => a - b);
  const warmWhole = wholes.slice(1).sort((a, b) => a - b);
  return {
    coldFirstByteMs: Math.round(firstBytes[0]!),
    firstByteMsMedian: Math.round(median(warmFirst)),
    responseMsMedian: Math.round(median(warmWhole)),
    htmlKb: Math.round(bytes / 1024),
    /** The scripts the page's HTML names: the route's first load. */
    scriptPaths: new Set([...html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]!)),
  };
}

/** The same person's storage with read mode chosen (the switch keeps it in a cookie). */
async function readModeStorage(
  browser: Browser,
  storage: StorageState,
  url: string,
): Promise<StorageState> {
  const context = await browser.newContext({ storageState: storage });
  const page = await context.newPage();
  await page.goto(url);
  await page.getByRole('button', { name: /^Read mode/ }).click();
  await page.waitForSelector('.rd-document [data-read-layer]');
  const state = await context.storageState();
  await context.close();
  return state;
}

/** Navigation start until every layer's section of read mode is on the page. */
async function measureReadOpen(browser: Browser, storage: StorageState, url: string) {
  const context = await browser.newContext({ storageState: storage });
  const page = await context.newPage();
  await page.goto(url, { waitUntil: 'commit' });
  const ms = await page
    .waitForFunction(
      (count) =>
        document.querySelectorAll('.rd-document [data-read-layer]').length >= count
          ? performance.now()
          : false,
      LAYERS,
      { timeout: 60_000, polling: 'raf' },
    )
    .then((handle) => handle.jsonValue() as Promise<number>);
  await context.close();
  return ms;
}

/**
 * Keystroke latency between two clients. `settled` false: typing starts as soon as both show
 * "Saved", while the layers below are still mounting in idle time (what someone typing right
 * after opening gets); true: once every layer of both is fully interactive (steady state).
 */
async function measureKeystrokes(
  browser: Browser,
  storage: StorageState,
  url: string,
  settled: boolean,
  /** The reader in read mode (its storage keeps that choice) instead of in the editor. */
  readMode?: StorageState,
) {
  const open = async (state: StorageState, ready: string) => {
    const context = await browser.newContext({ storageState: state });
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForSelector(ready);
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    if (settled) {
      await page.waitForFunction(() => document.querySelectorAll('.ed-layer-pending').length === 0);
    }
    return { context, page };
  };
  const writer = await open(storage, '.ProseMirror[contenteditable="true"]');
  const reader = readMode
    ? await open(readMode, '.rd-document [data-read-layer]')
    : await open(storage, '.ProseMirror[contenteditable="true"]');
  const targetSelector = readMode ? '.rd-document .ro-narrative' : '.ProseMirror';
  // A key of the US layout: Playwright types other characters without key events.
  const marker = 'q';
  await reader.page.evaluate(
    ({ m, selector }) => {
      // Read mode re-renders a layer's narrative, so the whole document is observed there.
      const target = document.querySelector(selector);
      const root = selector === '.ProseMirror' ? target : document.querySelector('.rd-document');
      const w = window as unknown as { __arrivals: number[] };
      w.__arrivals = [];
      // Inline, not a named helper: tsx would wrap it in a __name() call the page lacks.
      const baseline = (target?.textContent ?? '').split(m).length - 1;
      let seen = 0;
      new MutationObserver(() => {
        const now = selector === '.ProseMirror' ? target : document.querySelector(selector);
        const count = (now?.textContent ?? '').split(m).length - 1 - baseline;
        while (seen < count) {
          seen++;
          w.__arrivals.push(performance.timeOrigin + performance.now());
        }
      }).observe(root!, { subtree: true, childList: true, characterData: true });
    },
    { m: marker, selector: targetSelector },
  );
  await writer.page.evaluate(() => {
    const w = window as unknown as { __sent: number[] };
    w.__sent = [];
    document.addEventListener(
      'keydown',
      () => w.__sent.push(performance.timeOrigin + performance.now()),
      true,
    );
  });
  const box = writer.page.locator('.ProseMirror').first();
  await box.click();
  await writer.page.keyboard.press('Control+End');
  for (let i = 0; i < KEYSTROKES; i++) {
    await writer.page.keyboard.type(marker);
    await reader.page.waitForFunction(
      (n) => (window as unknown as { __arrivals: number[] }).__arrivals.length >= n,
      i + 1,
      { timeout: 10_000, polling: 'raf' },
    );
    await writer.page.waitForTimeout(30 + Math.random() * 40);
  }
  const sent = await writer.page.evaluate(() => (window as unknown as { __sent: number[] }).__sent);
  const arrivals = await reader.page.evaluate(
    () => (window as unknown as { __arrivals: number[] }).__arrivals,
  );
  await writer.context.close();
  await reader.context.close();
  // The click and Control+End also fired keydown; the markers are the last KEYSTROKES.
  const typed = sent.slice(-KEYSTROKES);
  return typed.map((t, i) => arrivals[i]! - t).sort((a, b) => a - b);
}

async function main() {
  const port = await freePort();
  const baseURL = `http://localhost:${port}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-editor-'));
  let server: Awaited<ReturnType<typeof startServer>> | null = null;
  let browser: Browser | null = null;
  try {
    console.log(`Starting the production server on port ${port} (data in ${dataDir})…`);
    server = await startServer(port, dataDir);
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
    });
    const setupContext = await browser.newContext();
    const setupPage = await setupContext.newPage();
    const { frameworkId, path: editorPath } = await signUpAndCreate(setupPage, baseURL);
    const storage = await setupContext.storageState();
    const cookie = (await setupContext.cookies(baseURL))
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
    await setupContext.close();
    const layers = await fillFramework(baseURL, frameworkId, cookie, {
      layers: LAYERS,
      textBytes: TARGET_TEXT_BYTES,
    });
    const url = `${baseURL}${editorPath}`;
    const { scriptPaths, ...serverRender } = await measureServerRender(url, cookie);

    const opens = [];
    for (let run = 0; run < OPEN_RUNS; run++)
      opens.push(
        await measureOpen(
          browser,
          storage,
          url,
          LAYERS,
          run === 0
            ? { trace: process.env.BENCH_TRACE, cpuProfile: process.env.BENCH_CPU_PROFILE }
            : {},
        ),
      );
    const openTimes = opens.map((o) => o.openMs).sort((a, b) => a - b);
    const textKb = opens[0]!.textBytes / 1000;
    // The budget is the route's first load (the scripts its HTML names, without which nothing
    // runs); chunks the page loads itself after (the editor engine, the side column) are
    // printed apart, and all of it together.
    const firstLoad = (open: Awaited<ReturnType<typeof measureOpen>>) =>
      open.scriptSizes.filter((script) => scriptPaths.has(script.path));
    const routeJsGzipKb =
      Math.max(...opens.map((o) => firstLoad(o).reduce((sum, s) => sum + s.gzipBytes, 0))) / 1024;
    const allJsGzipKb = Math.max(...opens.map((o) => o.gzipBytes)) / 1024;
    const latencies = await measureKeystrokes(browser, storage, url, false);
    const settledLatencies = await measureKeystrokes(browser, storage, url, true);
    const reading = await readModeStorage(browser, storage, url);
    const readOpens: number[] = [];
    for (let run = 0; run < OPEN_RUNS; run++) {
      readOpens.push(await measureReadOpen(browser, reading, url));
    }
    readOpens.sort((a, b) => a - b);
    const readLatencies = await measureKeystrokes(browser, storage, url, false, reading);

    const figures = {
      layers,
      textKb: Math.round(textKb),
      openMsMedian: Math.round(median(openTimes)),
      openMsRuns: openTimes.map(Math.round),
      openPhasesMs: opens[0]!.phases,
      openPhasesRunsMs: opens.map((o) => ({ ...o.phases, editable: Math.round(o.openMs) })),
      browserFirstByteMsMedian: Math.round(
        median(opens.map((o) => o.phases.responseStart).sort((a, b) => a - b)),
      ),
      server: serverRender,
      allNarrativeEditorsMountedMs: Math.round(opens[0]!.allEditorsMs),
      keystrokeMsMedian: Number(median(latencies).toFixed(1)),
      keystrokeMsP95: Number(percentile(latencies, 95).toFixed(1)),
      keystrokes: latencies.length,
      keystrokeSettledMsMedian: Number(median(settledLatencies).toFixed(1)),
      keystrokeSettledMsP95: Number(percentile(settledLatencies, 95).toFixed(1)),
      routeJsGzipKb: Number(routeJsGzipKb.toFixed(1)),
      routeFirstLoadScripts: firstLoad(opens[0]!).length,
      routeJsLoadedAfterGzipKb: Number((allJsGzipKb - routeJsGzipKb).toFixed(1)),
      routeJsAllGzipKb: Number(allJsGzipKb.toFixed(1)),
      readOpenMsMedian: Math.round(median(readOpens)),
      readOpenMsRuns: readOpens.map(Math.round),
      readUpdateMsMedian: Number(median(readLatencies).toFixed(1)),
      readUpdateMsP95: Number(percentile(readLatencies, 95).toFixed(1)),
      routeScripts: opens[0]!.scriptCount,
      targets: TARGETS,
      pass: {
        open: median(openTimes) < TARGETS.openMs,
        firstByte: serverRender.firstByteMsMedian < TARGETS.firstByteMs,
        keystroke: median(latencies) < TARGETS.keystrokeMedianMs,
        routeJs: routeJsGzipKb < TARGETS.routeJsGzipKb,
        readOpen: median(readOpens) < TARGETS.readOpenMs,
        readUpdate: median(readLatencies) < TARGETS.readUpdateMedianMs,
      },
    };
    console.log(`Framework: ${layers} layers, ${figures.textKb} KB of narrative text`);
    console.log(
      `Open until editable: median ${figures.openMsMedian} ms (runs: ${figures.openMsRuns.join(', ')} ms; target < ${TARGETS.openMs})`,
    );
    console.log(
      `  phases of the first run: first byte ${figures.openPhasesMs.responseStart} ms, response ${figures.openPhasesMs.responseEnd} ms, DOMContentLoaded ${figures.openPhasesMs.domContentLoaded} ms, document synced and rendered ${figures.openPhasesMs.documentReady} ms, editor engine loaded ${figures.openPhasesMs.engineLoaded} ms, every layer fully interactive (editors and fields mounted, in idle time) ${figures.allNarrativeEditorsMountedMs} ms`,
    );
    console.log(
      `  each run: ${figures.openPhasesRunsMs.map((p) => `DOMContentLoaded ${p.domContentLoaded}, synced and rendered ${p.documentReady}, engine ${p.engineLoaded}, editable ${p.editable}`).join('; ')} ms`,
    );
    console.log(
      `Server render of the editor page (plain HTTP, ${figures.server.htmlKb} KB): first byte median ${figures.server.firstByteMsMedian} ms (target < ${TARGETS.firstByteMs}), whole response ${figures.server.responseMsMedian} ms; first request after start ${figures.server.coldFirstByteMs} ms; first byte in Chromium, median of the opens ${figures.browserFirstByteMsMedian} ms`,
    );
    console.log(
      `Keystroke to visible on the other client: median ${figures.keystrokeMsMedian} ms, p95 ${figures.keystrokeMsP95} ms over ${latencies.length} keys (target median < ${TARGETS.keystrokeMedianMs}), typing from "Saved" on while the layers below mount`,
    );
    console.log(
      `  once every layer of both clients is interactive: median ${figures.keystrokeSettledMsMedian} ms, p95 ${figures.keystrokeSettledMsP95} ms`,
    );
    console.log(
      `Editor route JavaScript, first load (the scripts its HTML names): ${figures.routeJsGzipKb} KB gzip in ${figures.routeFirstLoadScripts} scripts (target < ${TARGETS.routeJsGzipKb}); loaded by the page after (editor engine, side column): ${figures.routeJsLoadedAfterGzipKb} KB; all ${figures.routeJsAllGzipKb} KB in ${figures.routeScripts} scripts`,
    );
    console.log(
      `Read mode: open until every layer is painted median ${figures.readOpenMsMedian} ms (runs: ${figures.readOpenMsRuns.join(', ')} ms; target < ${TARGETS.readOpenMs}); remote keystroke to visible median ${figures.readUpdateMsMedian} ms, p95 ${figures.readUpdateMsP95} ms (target median < ${TARGETS.readUpdateMedianMs})`,
    );
    console.log(JSON.stringify(figures));
  } finally {
    await browser?.close();
    await stopServer(server);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
