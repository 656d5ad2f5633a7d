/**
 * Initialling benchmark (`npm run bench:initialling`): the 30-layer framework of the export
 * benchmark; how long its content hash takes (canonical serialisation + SHA-256), and how long
 * the verify page's check of an exported copy takes per format (read the embedded manifest,
 * recompute the hash, render again, extract the text of both with the real readers). Prints the
 * figures and ends with one line of JSON.
 */
import { renderExport, buildExportModel, EXPORT_FORMATS, type ExportFormat } from '../lib/export';
import { checkCopy, withVerification } from '../lib/export/verification';
import { readFramework } from '../lib/framework';
import { canonicalSerialise, contentHash } from '../lib/framework/canonical';
import { largeFramework } from './bench-export';

const RUNS = 20;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function time<T>(fn: () => Promise<T> | T): Promise<[number, T]> {
  const start = performance.now();
  const value = await fn();
  return [performance.now() - start, value];
}

const view = readFramework(largeFramework());
const bytes = Buffer.byteLength(canonicalSerialise(view), 'utf8');
const hashRuns: number[] = [];
for (let i = 0; i < RUNS; i++) hashRuns.push((await time(() => contentHash(view)))[0]);
console.log(
  `hash: ${view.layers.length} layers, canonical text ${Math.round(bytes / 1024)} KiB, ` +
    `median ${median(hashRuns).toFixed(1)} ms over ${RUNS} runs (first ${hashRuns[0]!.toFixed(1)} ms)`,
);

const model = withVerification(
  buildExportModel(view, {
    agreedOnly: false,
    versionName: 'bench',
    date: new Date('2026-12-01T00:00:00Z'),
    comments: null,
  }),
  view,
  ['Initialled by: France (Bench, 2026-12-01 00:00 UTC).'],
);
const verify: Partial<Record<ExportFormat, { ms: number; fileKiB: number; ok: boolean }>> = {};
for (const format of EXPORT_FORMATS) {
  const file = await renderExport(model, format);
  const runs: number[] = [];
  let ok = true;
  for (let i = 0; i < 3; i++) {
    const [ms, check] = await time(() => checkCopy(file.bytes));
    runs.push(ms);
    ok &&= check.ok;
  }
  verify[format] = {
    ms: Math.round(median(runs)),
    fileKiB: Math.round(file.bytes.length / 1024),
    ok,
  };
  console.log(
    `verify ${format}: ${verify[format].fileKiB} KiB, median ${verify[format].ms} ms over 3 runs, ${ok ? 'verified' : 'FAILED'}`,
  );
}
console.log(
  JSON.stringify({ hashMs: Number(median(hashRuns).toFixed(2)), canonicalBytes: bytes, verify }),
);
if (Object.values(verify).some((v) => !v.ok)) process.exitCode = 1;
