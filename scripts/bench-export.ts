/**
 * Export benchmark (`npm run bench:export`): a 30-layer framework holding ~200 KB of text
 * (paragraphs, half of them Ukrainian, lists, a table and an open bracket per layer, commitments,
 * triggers, positions)
 * rendered to each format. Each format runs in its own child process so its peak memory
 * (getrusage maxRSS, plus rss sampled every 5 ms) is its own. Target: each format under 2 s.
 * Prints the figures and ends with one line of JSON.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import { EXPORT_FORMATS, buildExportModel, renderExport, type ExportFormat } from '../lib/export';
import {
  LAYER_KINDS,
  addCommitment,
  addLayer,
  addParty,
  addTrigger,
  migrateFramework,
  readFramework,
  setFrameworkTitle,
  setNarrative,
  setPosition,
  type NarrativeBlock,
} from '../lib/framework';

const LAYERS = 30;
const TARGET_TEXT_BYTES = 200_000;
const TARGET_MS = 2000;
const WARM_RUNS = 3;

const SENTENCE =
  'Contributing nations keep forces at agreed readiness and report to the joint commission. ';
// Half the paragraphs in Ukrainian (ґ є і ї included): the PDF lays them out in embedded Noto Sans.
const SENTENCE_UK =
  'Держави-учасниці утримують сили в узгодженій готовності та звітують спільній комісії; ґ є і ї. ';

function narrativeOf(bytes: number, n: number): NarrativeBlock[] {
  const blocks: NarrativeBlock[] = [
    { type: 'heading', level: 2, content: [{ type: 'text', text: `Mandate ${n}`, marks: [] }] },
  ];
  blocks.push({
    type: 'paragraph',
    content: [
      { type: 'text', text: 'Deployment follows ', marks: [] },
      {
        type: 'text',
        text: 'within 72 hours',
        marks: [
          {
            type: 'bracket',
            id: `b${n}`,
            party: 'france',
            alternatives: [{ text: 'within 7 days', party: 'poland' }],
            chair: false,
          },
        ],
      },
      { type: 'text', text: ' of a confirmed violation.', marks: [{ type: 'bold' }] },
    ],
  });
  blocks.push({
    type: 'list',
    ordered: false,
    items: [1, 2, 3].map((i) => [
      { type: 'paragraph', content: [{ type: 'text', text: `Task ${i}: ${SENTENCE}`, marks: [] }] },
    ]),
  });
  blocks.push({
    type: 'table',
    rows: [
      [true, 'Sector', 'Patrols'],
      [false, 'North', '4 per day'],
      [false, 'South', '2 per day'],
    ].map(([header, a, b]) =>
      [a, b].map((text) => ({
        header: header as boolean,
        blocks: [{ type: 'paragraph', content: [{ type: 'text', text: String(text), marks: [] }] }],
      })),
    ),
  });
  let size = 400;
  for (let p = 0; size < bytes; p++) {
    const text = (p % 2 === 0 ? SENTENCE : SENTENCE_UK).repeat(8);
    blocks.push({ type: 'paragraph', content: [{ type: 'text', text, marks: [] }] });
    size += text.length;
  }
  return blocks;
}

/** The benchmark's 30-layer framework (also used by scripts/bench-initialling.ts). */
export function largeFramework(): Y.Doc {
  const doc = new Y.Doc();
  migrateFramework(doc);
  setFrameworkTitle(doc, 'Benchmark framework: Рамкова угода');
  const parties = ['France', 'United Kingdom', 'Germany', 'Poland', 'Türkiye', 'United States'].map(
    (name) => addParty(doc, name),
  );
  const perLayer = Math.ceil(TARGET_TEXT_BYTES / LAYERS);
  for (let i = 0; i < LAYERS; i++) {
    const id = addLayer(doc, LAYER_KINDS[i % LAYER_KINDS.length]!, { title: `Layer ${i + 1}` });
    setNarrative(doc, id, narrativeOf(perLayer, i + 1));
    for (let c = 0; c < 3; c++) {
      addCommitment(doc, id, {
        party: parties[(i + c) % parties.length],
        quantity: 100 + i + c,
        unit: 'personnel',
        conditions: 'Subject to parliamentary approval',
        period: 'Two years',
      });
    }
    for (let t = 0; t < 2; t++) {
      addTrigger(doc, id, {
        condition: `Armed attack on positions (case ${t + 1})`,
        response: 'Consultations, then reinforcement',
        deadlineHours: 24 * (t + 1),
        responsibleParties: [parties[0]!, parties[1]!],
      });
    }
    for (let p = 0; p < 3; p++) {
      setPosition(doc, id, parties[(i + p) % parties.length]!, {
        stance: (['support', 'reserve', 'oppose'] as const)[p]!,
        note: 'Needs capital confirmation.',
      });
    }
  }
  return doc;
}

interface Figures {
  format: ExportFormat;
  coldMs: number;
  warmMedianMs: number;
  bytes: number;
  peakRssMb: number;
  sampledPeakRssMb: number;
}

async function child(format: ExportFormat): Promise<Figures> {
  let sampled = process.memoryUsage().rss;
  const timer = setInterval(() => {
    sampled = Math.max(sampled, process.memoryUsage().rss);
  }, 5);
  const doc = largeFramework();
  const runOnce = async () => {
    const started = performance.now();
    // Everything the route does after loading the state: read the view, build, render.
    const model = buildExportModel(readFramework(doc), {
      agreedOnly: false,
      versionName: 'bench',
      date: new Date(),
      comments: [],
    });
    const file = await renderExport(model, format);
    sampled = Math.max(sampled, process.memoryUsage().rss);
    return { ms: performance.now() - started, bytes: file.bytes.length };
  };
  const cold = await runOnce();
  const warm: number[] = [];
  for (let i = 0; i < WARM_RUNS; i++) warm.push((await runOnce()).ms);
  clearInterval(timer);
  warm.sort((a, b) => a - b);
  const mb = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10;
  return {
    format,
    coldMs: Math.round(cold.ms),
    warmMedianMs: Math.round(warm[Math.floor(warm.length / 2)]!),
    bytes: cold.bytes,
    // maxRSS is in kilobytes.
    peakRssMb: mb(process.resourceUsage().maxRSS * 1024),
    sampledPeakRssMb: mb(sampled),
  };
}

async function main() {
  const childFormat = process.argv[process.argv.indexOf('--child') + 1];
  if (process.argv.includes('--child')) {
    const figures = await child(childFormat as ExportFormat);
    console.log(JSON.stringify(figures));
    return;
  }
  const text = readFramework(largeFramework()).layers.reduce(
    (n, l) => n + l.narrative.text.length,
    0,
  );
  console.log(
    `Export benchmark: ${LAYERS} layers, ${Math.round(text / 1024)} KB of narrative text`,
  );
  const script = fileURLToPath(import.meta.url);
  const results: Figures[] = [];
  for (const format of EXPORT_FORMATS) {
    const out = execFileSync(process.execPath, ['--import', 'tsx', script, '--child', format], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const figures = JSON.parse(out.trim().split('\n').pop()!) as Figures;
    results.push(figures);
    console.log(
      `${format.padEnd(5)} cold ${figures.coldMs} ms, warm median ${figures.warmMedianMs} ms, ` +
        `${Math.round(figures.bytes / 1024)} KB, peak RSS ${figures.peakRssMb} MB ` +
        `(sampled ${figures.sampledPeakRssMb} MB) ${figures.coldMs < TARGET_MS ? 'ok' : 'OVER TARGET'}`,
    );
  }
  const ok = results.every((r) => r.coldMs < TARGET_MS);
  console.log(
    JSON.stringify({
      bench: 'export',
      layers: LAYERS,
      textBytes: text,
      targetMs: TARGET_MS,
      ok,
      results,
    }),
  );
  if (!ok) process.exitCode = 1;
}

// Run when started as a script, not when another benchmark imports largeFramework.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
