import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../../db/client';
import { openTestDatabase, testDatabaseConfigs } from '../../../db/testing';
import { SyncMessageType } from '../../../lib/collab/protocol';
import { syncMessage } from '../testing/hostile-support';
import {
  closeOf,
  connectProvider,
  createTestFramework,
  createTestUser,
  openRawSocket,
  rawSocket,
  startTestServer,
  stopTestServer,
  waitFor,
  waitForSync,
  type TestServer,
  type TestUser,
} from '../testing/test-support';

const MB = 1024 * 1024;

/**
 * Finding 11 of issue 19: members that stop reading may hold only a few MB each beyond the sync
 * they asked for, and all of them together only the instance's budget; a member who reads is
 * never the one closed.
 */
describe.each(testDatabaseConfigs())('members that stop reading on $name', ({ config }) => {
  let handle: DatabaseHandle;
  let owner: TestUser;
  let reader: TestUser;

  beforeAll(async () => {
    handle = await openTestDatabase(config);
    owner = await createTestUser(handle.db, 'Writer');
    reader = await createTestUser(handle.db, 'Paused reader');
  });
  afterAll(async () => {
    await handle.close();
  });

  /** Opens `count` members on the document who sync once, then never read again. */
  async function pausedReaders(server: TestServer, frameworkId: string, count: number) {
    const live = server.collab.registry.documents.get(frameworkId)!;
    const sockets = [];
    for (let i = 0; i < count; i++) {
      const ws = await openRawSocket(`${server.url}/${frameworkId}`, reader);
      const closed = closeOf(ws);
      ws.send(syncMessage(SyncMessageType.step1, new Uint8Array([0])));
      await waitFor(() => [...live.connections].filter((c) => c.synced).length > i + 1);
      rawSocket(ws).pause();
      sockets.push({ ws, closed });
    }
    return sockets;
  }

  /** A writer pastes `chunks` passages of 256 KiB, one every few ms. */
  async function write(writerDoc: import('yjs').Doc, chunks: number) {
    for (let i = 0; i < chunks; i++) {
      writerDoc.getText('scratch').insert(0, String.fromCharCode(97 + (i % 26)).repeat(256 * 1024));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  it('closes a member whose unread backlog passes the default per-connection bound (a few MB); the writer stays', async () => {
    // The defaults: a member may leave 4 MB unread beyond its sync (it was 32 MB).
    const server = await startTestServer(handle.db);
    try {
      const { frameworkId } = await createTestFramework(handle.db, owner, [[reader, 'viewer']]);
      const writer = connectProvider(server, frameworkId, owner);
      await waitForSync(writer);
      const [paused] = await pausedReaders(server, frameworkId, 1);
      const live = server.collab.registry.documents.get(frameworkId)!;
      const held = [...live.connections].find((c) => c.userId === reader.id)!;
      // 14 MB: more than the kernel's socket buffers absorb and the bound together.
      await write(writer.doc, 56);
      await waitFor(() => held.closed, 10_000);
      expect(held.closedWith).toBe('slowConsumer');
      // The socket is cut: its backlog is freed, and the writer is still connected.
      expect(writer.wsconnected).toBe(true);
      rawSocket(paused!.ws).resume();
      await paused!.closed;
      writer.destroy();
    } finally {
      await stopTestServer(server);
    }
  });

  it('keeps the instance within its budget across many paused members, and a reading member gets everything', async () => {
    // Each could hold 8 MB; together they may hold 3 MB.
    const server = await startTestServer(handle.db, {
      maxBufferedBytes: 8 * MB,
      maxBufferedTotalBytes: 3 * MB,
      maxDocumentBytes: 64 * MB,
    });
    try {
      const { frameworkId } = await createTestFramework(handle.db, owner, [[reader, 'viewer']]);
      const writer = connectProvider(server, frameworkId, owner);
      const follower = connectProvider(server, frameworkId, owner);
      await Promise.all([waitForSync(writer), waitForSync(follower)]);
      const paused = await pausedReaders(server, frameworkId, 4);
      const live = server.collab.registry.documents.get(frameworkId)!;
      const held = [...live.connections].filter((c) => c.userId === reader.id);
      let peak = 0;
      const sample = setInterval(() => {
        const queued = held.filter((c) => !c.closed).reduce((s, c) => s + c.ws.bufferedAmount, 0);
        peak = Math.max(peak, queued);
      }, 2);
      // 24 MB to each: more than the kernel's socket buffers absorb, far more than the budget.
      await write(writer.doc, 96);
      await waitFor(() => held.every((c) => c.closed), 10_000);
      clearInterval(sample);
      expect(held.every((c) => c.closedWith === 'slowConsumer')).toBe(true);
      // Within the budget, give or take one passage and the floor of the last sockets admitted.
      expect(peak).toBeLessThan(3 * MB + 4 * 512 * 1024);
      // The member who reads got every passage, and nobody closed it.
      await waitFor(
        () => follower.doc.getText('scratch').length === writer.doc.getText('scratch').length,
        10_000,
      );
      expect(follower.wsconnected).toBe(true);
      for (const p of paused) rawSocket(p.ws).resume();
      await Promise.all(paused.map((p) => p.closed));
      writer.destroy();
      follower.destroy();
    } finally {
      await stopTestServer(server);
    }
  });
});
