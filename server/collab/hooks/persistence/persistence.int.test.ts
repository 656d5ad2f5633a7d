import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import * as Y from 'yjs';
import type { DatabaseHandle } from '../../../../db/client';
import {
  appendDocumentUpdates,
  countDocumentUpdates,
  findLatestSnapshot,
} from '../../../../db/queries/documents';
import { documentUpdates } from '../../../../db/schema';
import { openTestDatabase, testDatabaseConfigs } from '../../../../db/testing';
import { CloseEvents } from '../../../../lib/collab/protocol';
import { loadDocumentState } from './persistence';
import {
  closeOf,
  connectProvider,
  createTestFramework,
  createTestUser,
  openRawSocket,
  startTestServer,
  stopTestServer,
  waitFor,
  waitForSync,
  type TestServer,
  type TestUser,
} from '../../testing/test-support';

function sameState(a: Y.Doc, b: Y.Doc): boolean {
  return Buffer.from(Y.encodeSnapshot(Y.snapshot(a))).equals(
    Buffer.from(Y.encodeSnapshot(Y.snapshot(b))),
  );
}

describe.each(testDatabaseConfigs())('persistence on $name', ({ config }) => {
  let handle: DatabaseHandle;
  let server: TestServer;
  let owner: TestUser;

  beforeAll(async () => {
    handle = await openTestDatabase(config);
    server = await startTestServer(handle.db, {
      persistDebounceMs: 10,
      persistMaxDelayMs: 30,
      compactAfterUpdates: 8,
      unloadIdleMs: 150,
    });
    owner = await createTestUser(handle.db, 'Owner');
  });
  afterAll(async () => {
    await stopTestServer(server);
    await handle.close();
  });

  it('compacts into a snapshot with the same state', async () => {
    const { frameworkId } = await createTestFramework(handle.db, owner);
    const provider = connectProvider(server, frameworkId, owner);
    await waitForSync(provider);
    const text = provider.doc.getText('t');
    for (let i = 0; i < 30; i++) {
      text.insert(text.length, `line ${i}\n`);
      if (i % 3 === 0) text.delete(0, 2);
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    const snapshot = await waitFor(async () => {
      const s = await findLatestSnapshot(handle.db, frameworkId);
      expect(s).toBeDefined();
      return s!;
    });
    expect(snapshot.upToUpdateId).toBeGreaterThan(0);
    await waitFor(async () => {
      const stored = await loadDocumentState(handle.db, frameworkId);
      expect(stored.doc.getText('t').toString()).toBe(text.toString());
      expect(sameState(stored.doc, provider.doc)).toBe(true);
    });
    // The log was bounded: fewer rows remain than the edits made.
    expect(await countDocumentUpdates(handle.db, frameworkId)).toBeLessThan(30);
    provider.destroy();
  });

  it('records the sender, unloads an idle document after flushing and reloads it from storage', async () => {
    const { frameworkId } = await createTestFramework(handle.db, owner);
    const first = connectProvider(server, frameworkId, owner);
    await waitForSync(first);
    first.doc.getText('t').insert(0, 'survives unload');
    first.destroy();
    await waitFor(() => !server.collab.registry.documents.has(frameworkId));
    const rows = await handle.db
      .select({ userId: documentUpdates.userId })
      .from(documentUpdates)
      .where(eq(documentUpdates.frameworkId, frameworkId));
    expect(rows.length).toBeGreaterThan(0);
    // Who sent each update is recorded.
    expect(rows.every((row) => row.userId === owner.id)).toBe(true);
    const second = connectProvider(server, frameworkId, owner);
    await waitForSync(second);
    expect(second.doc.getText('t').toString()).toBe('survives unload');
    second.destroy();
  });

  it('concurrent connects share one load', async () => {
    const { frameworkId } = await createTestFramework(handle.db, owner);
    const sockets = await Promise.all(
      Array.from({ length: 5 }, () => openRawSocket(`${server.url}/${frameworkId}`, owner)),
    );
    const document = server.collab.registry.documents.get(frameworkId);
    expect(document?.connections.size).toBe(5);
    for (const ws of sockets) ws.close();
  });

  it('never serves or saves a document whose load fails; clients get a retryable close', async () => {
    const { frameworkId } = await createTestFramework(handle.db, owner);
    const seed = new Y.Doc();
    seed.getText('t').insert(0, 'precious');
    await appendDocumentUpdates(handle.db, [
      { frameworkId, userId: owner.id, update: Y.encodeStateAsUpdate(seed) },
    ]);
    // A row that does not decode makes the load fail, as a database error would.
    const [bad] = await appendDocumentUpdates(handle.db, [
      { frameworkId, userId: owner.id, update: new Uint8Array([1, 0xff, 0xff, 0xff]) },
    ]);
    const ws = await openRawSocket(`${server.url}/${frameworkId}`, owner);
    const closed = await closeOf(ws);
    expect(closed.code).toBe(CloseEvents.unavailable.code);
    expect(ws.received).toHaveLength(0);
    expect(server.collab.registry.documents.has(frameworkId)).toBe(false);

    // A provider keeps retrying (4503 is retryable) and gets the real state once the load works.
    const provider = connectProvider(server, frameworkId, owner);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(provider.synced).toBe(false);
    expect(await countDocumentUpdates(handle.db, frameworkId)).toBe(2);
    await handle.db.delete(documentUpdates).where(eq(documentUpdates.id, bad!));
    await waitForSync(provider);
    expect(provider.doc.getText('t').toString()).toBe('precious');
    provider.destroy();
  });
});
