import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import type { DatabaseHandle } from '../../../db/client';
import { countDocumentUpdates, listDocumentUpdates } from '../../../db/queries/documents';
import { openTestDatabase, testDatabaseConfigs } from '../../../db/testing';
import { MessageType, SyncMessageType } from '../../../lib/collab/protocol';
import { trackSavedStatus } from '../../../lib/collab/saved-status';
import { loadDocumentState } from '../hooks/persistence/persistence';
import {
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
} from '../testing/test-support';

describe.each(testDatabaseConfigs())('sync on $name', ({ config }) => {
  let handle: DatabaseHandle;
  let server: TestServer;
  let owner: TestUser;
  let editor: TestUser;
  let viewer: TestUser;

  beforeAll(async () => {
    handle = await openTestDatabase(config);
    server = await startTestServer(handle.db, { persistDebounceMs: 150, persistMaxDelayMs: 400 });
    owner = await createTestUser(handle.db, 'Owner');
    editor = await createTestUser(handle.db, 'Editor');
    viewer = await createTestUser(handle.db, 'Viewer');
  });
  afterAll(async () => {
    await stopTestServer(server);
    await handle.close();
  });

  it('two clients converge and a late joiner gets the full state', async () => {
    const { frameworkId } = await createTestFramework(handle.db, owner, [[editor, 'editor']]);
    const a = connectProvider(server, frameworkId, owner);
    const b = connectProvider(server, frameworkId, editor);
    await Promise.all([waitForSync(a), waitForSync(b)]);
    a.doc.getText('t').insert(0, 'hello ');
    b.doc.getText('t').insert(0, 'world ');
    await waitFor(() => {
      expect(a.doc.getText('t').toString()).toBe(b.doc.getText('t').toString());
      expect(a.doc.getText('t').length).toBe(12);
    });
    const c = connectProvider(server, frameworkId, editor);
    await waitForSync(c);
    expect(c.doc.getText('t').toString()).toBe(a.doc.getText('t').toString());
    for (const p of [a, b, c]) p.destroy();
  });

  it('sends the saved acknowledgement only once the update is in the database', async () => {
    const { frameworkId } = await createTestFramework(handle.db, owner);
    const provider = connectProvider(server, frameworkId, owner);
    const saved = trackSavedStatus(provider);
    await waitForSync(provider);
    await waitFor(() => saved.status() === 'saved');
    provider.doc.getText('t').insert(0, 'durable');
    expect(saved.status()).toBe('saving');
    // The debounce holds the write back for 150 ms: nothing is stored, nothing acknowledged.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await countDocumentUpdates(handle.db, frameworkId)).toBe(0);
    expect(saved.hasUnsavedChanges()).toBe(true);
    const statusAtAck = await new Promise<number>((resolve) => {
      const off = saved.subscribe(() => {
        if (saved.status() !== 'saved') return;
        off();
        // Checked synchronously in the ack handler's turn: the row must already be committed.
        void countDocumentUpdates(handle.db, frameworkId).then(resolve);
      });
    });
    expect(statusAtAck).toBeGreaterThan(0);
    const stored = await loadDocumentState(handle.db, frameworkId);
    expect(stored.doc.getText('t').toString()).toBe('durable');
    const rows = await listDocumentUpdates(handle.db, frameworkId);
    expect(rows.length).toBeGreaterThan(0);
    expect(saved.access()).toEqual({ role: 'owner', readOnly: false });
    saved.destroy();
    provider.destroy();
  });

  it("drops a viewer's raw updates: not applied, relayed or persisted", async () => {
    const { frameworkId } = await createTestFramework(handle.db, owner, [[viewer, 'viewer']]);
    const ownerProvider = connectProvider(server, frameworkId, owner);
    await waitForSync(ownerProvider);
    ownerProvider.doc.getText('t').insert(0, 'keep me');
    await waitFor(async () => (await countDocumentUpdates(handle.db, frameworkId)) > 0);
    const rowsBefore = await countDocumentUpdates(handle.db, frameworkId);

    const ws = await openRawSocket(`${server.url}/${frameworkId}`, viewer);
    // A crafted change that deletes the owner's text, sent both as step 2 and as an update.
    const attacker = new Y.Doc();
    Y.applyUpdate(attacker, Y.encodeStateAsUpdate(ownerProvider.doc));
    attacker.getText('t').delete(0, 7);
    attacker.getText('t').insert(0, 'defaced');
    const update = Y.encodeStateAsUpdate(attacker);
    for (const syncType of [SyncMessageType.step2, SyncMessageType.update]) {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MessageType.sync);
      encoding.writeVarUint(encoder, syncType);
      encoding.writeVarUint8Array(encoder, update);
      ws.send(encoding.toUint8Array(encoder));
    }
    // The viewer still gets answers (sync step 1 from the server arrived, socket stays open).
    await waitFor(() => ws.received.length >= 2);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(ws.readyState).toBe(ws.OPEN);
    expect(ownerProvider.doc.getText('t').toString()).toBe('keep me');
    expect(server.collab.registry.documents.get(frameworkId)?.doc.getText('t').toString()).toBe(
      'keep me',
    );
    expect(await countDocumentUpdates(handle.db, frameworkId)).toBe(rowsBefore);
    const stored = await loadDocumentState(handle.db, frameworkId);
    expect(stored.doc.getText('t').toString()).toBe('keep me');
    ws.close();
    ownerProvider.destroy();
  });

  it('a viewer receives the document and a read-only access message', async () => {
    const { frameworkId } = await createTestFramework(handle.db, owner, [[viewer, 'viewer']]);
    const ownerProvider = connectProvider(server, frameworkId, owner);
    await waitForSync(ownerProvider);
    ownerProvider.doc.getText('t').insert(0, 'visible');
    const viewerProvider = connectProvider(server, frameworkId, viewer);
    const status = trackSavedStatus(viewerProvider);
    await waitForSync(viewerProvider);
    await waitFor(() => viewerProvider.doc.getText('t').toString() === 'visible');
    expect(status.access()).toEqual({ role: 'viewer', readOnly: true });
    status.destroy();
    viewerProvider.destroy();
    ownerProvider.destroy();
  });
});
