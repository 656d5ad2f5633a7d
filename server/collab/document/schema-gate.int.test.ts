import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openTestDatabase, testDatabaseConfigs } from '../../../db/testing';
import { CloseEvents, SCHEMA_VERSION_PARAM } from '../../../lib/collab/protocol';
import {
  MIGRATIONS,
  SCHEMA_VERSION,
  addLayer,
  documentSchemaVersion,
  initialiseFromTemplate,
  readFramework,
  type Migration,
} from '../../../lib/framework';
import { readYMap } from '../../../lib/framework/schema';
import { loadDocumentState } from '../hooks/persistence/persistence';
import {
  UpgradeRefused,
  closeOf,
  createTestFramework,
  createTestUser,
  openRawSocket,
  startTestServer,
  stopTestServer,
  waitFor,
} from '../testing/test-support';

// A later release's history: 2 is additive, 3 breaks readers of 2 (titles in upper case).
const LATER: Migration[] = [
  ...MIGRATIONS,
  { version: 2, breaking: false, description: 'test: additive', up() {} },
  {
    version: 3,
    breaking: true,
    description: 'test: every layer title in upper case',
    up(root) {
      readYMap(root, 'layers')?.forEach((layer) => {
        const title = layer.get('title');
        if (!(title instanceof Y.Text)) return;
        const upper = title.toString().toUpperCase();
        title.delete(0, title.length);
        title.insert(0, upper);
      });
    },
  },
];

describe.each(testDatabaseConfigs())('schema versions on $name', ({ config }) => {
  it('migrates an old stored document when it is loaded, and stores the migration', async () => {
    const handle = await openTestDatabase(config);
    // Today's code writes the document (schema 1) ...
    const today = await startTestServer(handle.db, { unloadIdleMs: 50 });
    const owner = await createTestUser(handle.db, 'Owner');
    const { frameworkId } = await createTestFramework(handle.db, owner);
    try {
      await today.collab.live.write(frameworkId, (doc, origin) => {
        initialiseFromTemplate(doc, 'blank');
        addLayer(doc, 'air', { title: 'Air shield' }, origin);
      });
      await waitFor(() => !today.collab.registry.documents.has(frameworkId));
    } finally {
      await stopTestServer(today);
    }
    const stored = (await loadDocumentState(handle.db, frameworkId)).doc;
    expect(documentSchemaVersion(stored)).toBe(SCHEMA_VERSION);

    // ... and a later release loads it.
    const later = await startTestServer(handle.db, { unloadIdleMs: 50 }, [], { migrations: LATER });
    try {
      const live = await later.collab.live.read(frameworkId, (doc) => ({
        version: documentSchemaVersion(doc),
        titles: readFramework(doc).layers.map((l) => l.title),
      }));
      expect(live).toEqual({ version: 3, titles: ['AIR SHIELD'] });
      await waitFor(() => !later.collab.registry.documents.has(frameworkId));
      const after = (await loadDocumentState(handle.db, frameworkId)).doc;
      expect(documentSchemaVersion(after)).toBe(3);
      expect(readFramework(after).layers.map((l) => l.title)).toEqual(['AIR SHIELD']);
    } finally {
      await stopTestServer(later);
      await handle.close();
    }
  });

  it('closes a client announcing an older or a newer incompatible schema with the reload code', async () => {
    const handle = await openTestDatabase(config);
    const server = await startTestServer(handle.db, { unloadIdleMs: 50 }, [], {
      migrations: LATER,
    });
    const owner = await createTestUser(handle.db, 'Owner');
    const { frameworkId } = await createTestFramework(handle.db, owner);
    // Stored at schema 1; the next load migrates it to 3.
    await server.collab.live.write(frameworkId, (doc) => initialiseFromTemplate(doc, 'blank'));
    await waitFor(() => !server.collab.registry.documents.has(frameworkId));
    const url = (schema: string) =>
      `${server.url}/${frameworkId}?${SCHEMA_VERSION_PARAM}=${schema}`;
    try {
      // Schema 3 is breaking: code that writes 1 or 2 would misread it; 4 is unknown to the server.
      for (const schema of ['1', '2', '4']) {
        const ws = await openRawSocket(url(schema), owner);
        expect(await closeOf(ws)).toEqual({
          code: CloseEvents.outdated.code,
          reason: CloseEvents.outdated.reason,
        });
      }
      expect(CloseEvents.outdated.action).toBe('reload');

      // Matching code, and a client that announces nothing, stay connected.
      for (const target of [url('3'), `${server.url}/${frameworkId}`]) {
        const ws = await openRawSocket(target, owner);
        const closed = closeOf(ws);
        const early = await Promise.race([
          closed,
          new Promise((resolve) => setTimeout(() => resolve('open'), 300)),
        ]);
        expect(early).toBe('open');
        ws.close();
        await closed;
      }

      // A version that is not a number is a bad request, not a guess.
      const refused = await openRawSocket(url('3a'), owner).then(
        () => null,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(UpgradeRefused);
      expect((refused as UpgradeRefused).status).toBe(400);
    } finally {
      await stopTestServer(server);
      await handle.close();
    }
  });
});
