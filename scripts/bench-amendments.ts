/**
 * Amendments benchmark (`npm run bench:amendments`): the 30-layer framework of the export
 * benchmark, live in a real sync server on embedded PostgreSQL (or DATABASE_URL); 200 passage
 * amendments tabled through the service (each reads its base from the live document and takes
 * the framework's numbering lock), 50 of them accepted (each a write through the door), and the
 * compilation built in HTML and DOCX. Prints the figures and ends with one line of JSON.
 */
import * as Y from 'yjs';
import { openDatabase, type DatabaseConfig } from '../db/client';
import { setMemberDelegation } from '../db/queries/workspaces';
import { anchorOfQuote, readFramework, setLayerField } from '../lib/framework';
import { actOnAmendmentAs, compilationAs, tableAmendmentAs } from '../lib/services/amendments';
import {
  createTestFramework,
  createTestUser,
  stopTestServer,
} from '../server/collab/testing/test-support';
import { startReviewServer } from '../server/collab/testing/review-fixture';
import { largeFramework } from './bench-export';

const TABLED = 200;
const ACCEPTED = 50;
const QUOTE = 'agreed readiness';

process.env.AUTH_SECRET ??= 'bench-amendments-secret-not-for-production-use';

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const start = performance.now();
  const value = await fn();
  return [performance.now() - start, value];
}

const config: DatabaseConfig = process.env.DATABASE_URL
  ? { kind: 'postgres', url: process.env.DATABASE_URL, maxConnections: 4 }
  : { kind: 'pglite', dataDir: null };
const handle = await openDatabase(config);
const db = handle.db;
const server = await startReviewServer(db);
const live = server.collab.live;
try {
  const owner = await createTestUser(db, 'Chair');
  const editor = await createTestUser(db, 'France delegate');
  const { workspaceId, frameworkId } = await createTestFramework(db, owner, [[editor, 'editor']]);
  await setMemberDelegation(db, { workspaceId, userId: editor.id, delegation: 'France' });
  const target = { workspaceId, frameworkId };
  const large = Y.encodeStateAsUpdate(largeFramework());
  const layerIds = await live.write(frameworkId, (doc, origin) => {
    Y.applyUpdate(doc, large);
    const ids = readFramework(doc).layers.map((l) => l.id);
    for (const id of ids) setLayerField(doc, id, 'status', 'in_review', origin);
    return ids;
  });

  // Amendment j changes the (j / layers)-th "agreed readiness" of layer j mod layers.
  const tabling: number[] = [];
  const ids: string[] = [];
  for (let j = 0; j < TABLED; j++) {
    const layerId = layerIds[j % layerIds.length]!;
    const occurrence = Math.floor(j / layerIds.length);
    const anchor = await live.read(frameworkId, (doc) =>
      anchorOfQuote(doc, layerId, QUOTE, occurrence),
    );
    if (!anchor) throw new Error(`no "${QUOTE}" number ${occurrence} in layer ${layerId}`);
    const [ms, amendment] = await time(() =>
      tableAmendmentAs(db, live, editor.id, target, {
        layerId,
        target: { kind: 'passage', anchor },
        proposedText: `agreed and verified readiness (${j + 1})`,
        justification: 'Readiness is verified, not declared.',
      }),
    );
    tabling.push(ms);
    ids.push(amendment.id);
  }
  const accepting: number[] = [];
  for (const id of ids.slice(0, ACCEPTED)) {
    const [ms] = await time(() =>
      actOnAmendmentAs(db, live, owner.id, { ...target, amendmentId: id }, { action: 'accept' }),
    );
    accepting.push(ms);
  }
  const compilation: Record<string, { ms: number; kiB: number }> = {};
  for (const format of ['html', 'docx'] as const) {
    const [ms, file] = await time(() => compilationAs(db, live, owner.id, target, format));
    compilation[format] = { ms: Math.round(ms), kiB: Math.round(file.bytes.length / 1024) };
  }
  const figures = {
    database: config.kind,
    layers: layerIds.length,
    tabled: TABLED,
    tablingMs: {
      median: Number(percentile(tabling, 50).toFixed(1)),
      p95: Number(percentile(tabling, 95).toFixed(1)),
    },
    accepted: ACCEPTED,
    acceptMs: {
      median: Number(percentile(accepting, 50).toFixed(1)),
      p95: Number(percentile(accepting, 95).toFixed(1)),
    },
    compilation,
  };
  console.log(
    `tabling (${TABLED} on ${layerIds.length} layers, ${config.kind}): median ${figures.tablingMs.median} ms, p95 ${figures.tablingMs.p95} ms`,
  );
  console.log(
    `accepting (${ACCEPTED}): median ${figures.acceptMs.median} ms, p95 ${figures.acceptMs.p95} ms`,
  );
  for (const [format, c] of Object.entries(compilation)) {
    console.log(`compilation ${format}: ${c.ms} ms, ${c.kiB} KiB`);
  }
  console.log(JSON.stringify(figures));
} finally {
  await stopTestServer(server);
  await handle.close();
}
