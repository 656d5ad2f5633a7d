import { createServer as createHttpServer } from 'node:http';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { Redis } from 'ioredis';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/client';
import {
  setMemberRoleKeepingAnOwner,
  removeMemberKeepingAnOwner,
} from '../../db/queries/workspaces';
import {
  appendDocumentUpdates,
  findLatestSnapshot,
  listDocumentUpdates,
  replaceWithSnapshot,
} from '../../db/queries/documents';
import { openTestDatabase } from '../../db/testing';
import {
  CloseEvents,
  MessageType,
  SyncMessageType,
  readCommentsChangedMessage,
  type CommentsNotice,
} from '../../lib/collab/protocol';
import { trackSavedStatus } from '../../lib/collab/saved-status';
import { log } from '../../lib/log';
import { attachCollabServer, type CollabServer } from './index';
import { loadDocumentState } from './hooks/persistence/persistence';
import { RedisRelay } from './hooks/relay/redis-relay';
import { decodeRelayMessage, encodeRelayMessage } from './hooks/relay/relay';
import {
  SCALE_DATABASE_URL,
  TEST_REDIS_URL,
  getHealth,
  killAllChildren,
  startInstance,
  startTcpProxy,
  uniquePrefix,
  type Instance,
  type TcpProxy,
} from './testing/scale-support';
import {
  TEST_SECRET,
  closeOf,
  connectProvider,
  createTestFramework,
  createTestUser,
  openRawSocket,
  waitFor,
  waitForSync,
  type RawSocket,
  type TestServer,
  type TestUser,
} from './testing/test-support';
import type { WebsocketProvider } from 'y-websocket';

const prefix = uniquePrefix();
let handle: DatabaseHandle;
let a: Instance;
let b: Instance;
let c: Instance;
let dbProxy: TcpProxy;
let owner: TestUser;
const providers: WebsocketProvider[] = [];

const at = (instance: Instance) => ({ url: instance.url }) as TestServer;
function client(instance: Instance, frameworkId: string, user: TestUser): WebsocketProvider {
  const provider = connectProvider(at(instance), frameworkId, user);
  providers.push(provider);
  return provider;
}
const text = (p: WebsocketProvider) => p.doc.getText('t').toString();
const stored = async (frameworkId: string) =>
  (await loadDocumentState(handle.db, frameworkId)).doc.getText('t').toString();
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  handle = await openTestDatabase({ kind: 'postgres', url: SCALE_DATABASE_URL, maxConnections: 4 });
  owner = await createTestUser(handle.db, 'Owner');
  const pgPort = Number(new URL(SCALE_DATABASE_URL).port || 5432);
  dbProxy = await startTcpProxy(pgPort);
  const dbUrl = new URL(SCALE_DATABASE_URL);
  dbUrl.host = `127.0.0.1:${dbProxy.port}`;
  const redis = { REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix };
  [a, b, c] = await Promise.all([
    // A reaches the database through a proxy the health test cuts.
    startInstance({ ...redis, DATABASE_URL: dbUrl.toString() }),
    // B re-checks access only every minute: a revocation within seconds must come over Redis.
    startInstance({ ...redis, COLLAB_ACCESS_RECHECK_MS: '60000' }),
    // C writes slowly, so that a kill -9 hits it with edits not yet stored.
    startInstance({
      ...redis,
      COLLAB_PERSIST_DEBOUNCE_MS: '2000',
      COLLAB_PERSIST_MAX_DELAY_MS: '4000',
    }),
  ]);
}, 60_000);

afterAll(async () => {
  for (const provider of providers) provider.destroy();
  await killAllChildren();
  await dbProxy?.close();
  await handle?.close();
});

/**
 * Runs `fn` with an instance in this process beside the spawned ones, as the app runs: its
 * routes publish what they change (access, comments) through the same Redis.
 */
async function withInProcessInstance(fn: (local: CollabServer) => Promise<void>): Promise<void> {
  const http = createHttpServer((_req, res) => res.writeHead(404).end());
  const relay = new RedisRelay(TEST_REDIS_URL, prefix, log.child({ instance: 'in-test' }));
  const local = attachCollabServer(http, {
    db: handle.db,
    config: { allowedOrigins: [] },
    secret: TEST_SECRET,
    relay,
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  try {
    await waitFor(() => relay.status() === 'connected');
    await fn(local);
  } finally {
    await local.close();
    http.closeAllConnections();
    await new Promise<void>((resolve) => http.close(() => resolve()));
  }
}

function syncStep1Message(): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.sync);
  encoding.writeVarUint(encoder, SyncMessageType.step1);
  encoding.writeVarUint8Array(encoder, new Uint8Array([0]));
  return encoding.toUint8Array(encoder);
}

function isSyncStep2(message: Uint8Array): boolean {
  return message[0] === MessageType.sync && message[1] === SyncMessageType.step2;
}

/** The comment notices a socket received. */
function commentNotices(socket: RawSocket): CommentsNotice[] {
  return socket.received
    .filter((message) => message[0] === MessageType.commentsChanged)
    .map((message) => {
      const decoder = decoding.createDecoder(message);
      decoding.readVarUint(decoder);
      return readCommentsChangedMessage(decoder);
    });
}

describe('several instances with one Redis', () => {
  it('two instances: clients converge and the database holds the union', async () => {
    const editor = await createTestUser(handle.db, 'Editor');
    const { frameworkId } = await createTestFramework(handle.db, owner, [[editor, 'editor']]);
    const onA = client(a, frameworkId, owner);
    const onB = client(b, frameworkId, editor);
    await Promise.all([waitForSync(onA), waitForSync(onB)]);
    for (let i = 0; i < 15; i++) {
      onA.doc.getText('t').insert(text(onA).length, `a${i} `);
      onB.doc.getText('t').insert(0, `b${i} `);
      await pause(10);
    }
    await waitFor(
      () => text(onA) === text(onB) && text(onA).includes('a14') && text(onA).includes('b14'),
    );
    const final = text(onA);
    await waitFor(async () => (await stored(frameworkId)) === final, 10_000);
  });

  it('three instances: every client sees every edit and the database holds the union', async () => {
    const [e1, e2] = [await createTestUser(handle.db, 'E1'), await createTestUser(handle.db, 'E2')];
    const { frameworkId } = await createTestFramework(handle.db, owner, [
      [e1, 'editor'],
      [e2, 'editor'],
    ]);
    const clients = [
      client(a, frameworkId, owner),
      client(b, frameworkId, e1),
      client(c, frameworkId, e2),
    ];
    await Promise.all(clients.map(waitForSync));
    for (let i = 0; i < 10; i++) {
      clients.forEach((p, n) => p.doc.getText('t').insert(0, `c${n}-${i} `));
      await pause(10);
    }
    await waitFor(() => {
      const [first, ...rest] = clients.map(text);
      expect(rest).toEqual([first, first]);
      for (let n = 0; n < 3; n++) expect(first).toContain(`c${n}-9`);
    }, 10_000);
    const final = text(clients[0]!);
    // C stores after up to 4 s; relayed copies are kept elsewhere until it confirms.
    await waitFor(async () => (await stored(frameworkId)) === final, 15_000);
  });

  it("a viewer's update sent through any instance is applied nowhere", async () => {
    const viewer = await createTestUser(handle.db, 'Viewer');
    const { frameworkId } = await createTestFramework(handle.db, owner, [[viewer, 'viewer']]);
    const onA = client(a, frameworkId, owner);
    const onC = client(c, frameworkId, owner);
    await Promise.all([waitForSync(onA), waitForSync(onC)]);
    const forged = new Y.Doc();
    forged.getText('t').insert(0, 'viewer was here');
    for (const instance of [a, b, c]) {
      const ws = await openRawSocket(`${instance.url}/${frameworkId}`, viewer);
      for (const type of [SyncMessageType.step2, SyncMessageType.update]) {
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, MessageType.sync);
        encoding.writeVarUint(encoder, type);
        encoding.writeVarUint8Array(encoder, Y.encodeStateAsUpdate(forged));
        ws.send(encoding.toUint8Array(encoder));
      }
    }
    // A later edit by the owner that every instance relays and stores: the viewer's, sent
    // earlier on each socket, would have been handled before it.
    onA.doc.getText('t').insert(0, 'owner ');
    await waitFor(() => text(onC) === 'owner ');
    await waitFor(async () => (await stored(frameworkId)) === 'owner ', 10_000);
    expect(text(onA)).toBe('owner ');
    const late = client(b, frameworkId, owner);
    await waitForSync(late);
    expect(text(late)).toBe('owner ');
  });

  it('a role change or removal on instance A reaches the socket on instance B within 5 s', async () => {
    await withInProcessInstance(async (local) => {
      const editor = await createTestUser(handle.db, 'Downgraded');
      const removed = await createTestUser(handle.db, 'Removed');
      const { workspaceId, frameworkId } = await createTestFramework(handle.db, owner, [
        [editor, 'editor'],
        [removed, 'editor'],
      ]);
      const downgraded = client(b, frameworkId, editor);
      const status = trackSavedStatus(downgraded);
      await waitForSync(downgraded);
      await waitFor(() => status.access()?.readOnly === false);
      const socket = await openRawSocket(`${b.url}/${frameworkId}`, removed);
      const closed = closeOf(socket);

      let started = Date.now();
      await setMemberRoleKeepingAnOwner(handle.db, {
        workspaceId,
        userId: editor.id,
        role: 'viewer',
      });
      local.live.notices.accessChanged({ kind: 'member', workspaceId, userId: editor.id });
      await waitFor(() => status.access()?.readOnly === true, 5_000);
      expect(Date.now() - started).toBeLessThan(5_000);

      started = Date.now();
      await removeMemberKeepingAnOwner(handle.db, { workspaceId, userId: removed.id });
      local.live.notices.accessChanged({ kind: 'member', workspaceId, userId: removed.id });
      expect((await closed).code).toBe(CloseEvents.forbidden.code);
      // B polls only every 60 s: this came over Redis.
      expect(Date.now() - started).toBeLessThan(5_000);
      status.destroy();
    });
  });

  it("a comment or amendment change made through instance A's app reaches the document's sockets on instance B", async () => {
    await withInProcessInstance(async (local) => {
      const { frameworkId } = await createTestFramework(handle.db, owner);
      const { frameworkId: other } = await createTestFramework(handle.db, owner);
      const socket = await openRawSocket(`${b.url}/${frameworkId}`, owner);
      const bystander = await openRawSocket(`${b.url}/${other}`, owner);
      // Synced: B sends comment notices only to connections that finished the handshake.
      socket.send(syncStep1Message());
      bystander.send(syncStep1Message());
      await waitFor(() => socket.received.some(isSyncStep2));
      await waitFor(() => bystander.received.some(isSyncStep2));

      // Nobody has the document open on A: the notice must still go out, over Redis.
      expect(local.registry.documents.has(frameworkId)).toBe(false);
      const started = Date.now();
      const thread = JSON.stringify({ id: 'thread-1', comments: [{ body: 'Wording?' }] });
      local.live.notices.commentsChanged(frameworkId, { layerId: 'layer-1', thread });
      await waitFor(() => commentNotices(socket).length > 0, 2_000);
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(commentNotices(socket)).toEqual([{ layerId: 'layer-1', thread }]);

      local.live.notices.commentsChanged(frameworkId, { layerId: null, thread: null });
      await waitFor(() => commentNotices(socket).length === 2, 2_000);
      expect(commentNotices(socket)[1]).toEqual({ layerId: null, thread: null });
      // An amendment tabled or decided through A: B's sockets are told to refetch amendments.
      local.live.notices.commentsChanged(frameworkId, {
        layerId: 'layer-1',
        thread: null,
        topic: 'amendments',
      });
      await waitFor(() => commentNotices(socket).length === 3, 2_000);
      expect(commentNotices(socket)[2]).toEqual({
        layerId: 'layer-1',
        thread: null,
        topic: 'amendments',
      });
      expect(commentNotices(bystander)).toEqual([]);
      socket.close();
      bystander.close();
    });
  });

  it('never applies a sync reply meant for another instance, nor stores a delete-only state', async () => {
    const editor = await createTestUser(handle.db, 'Keeper');
    const { frameworkId } = await createTestFramework(handle.db, owner, [[editor, 'editor']]);
    const onA = client(a, frameworkId, owner);
    const onB = client(b, frameworkId, editor);
    await Promise.all([waitForSync(onA), waitForSync(onB)]);
    onA.doc.getText('t').insert(0, 'keep me');
    await waitFor(() => text(onB) === 'keep me');
    await waitFor(async () => (await stored(frameworkId)) === 'keep me', 10_000);

    const channel = `${prefix}doc:${frameworkId}`;
    // Polls the stored state while the scenario runs; stopped in `finally` before the pool closes.
    let watching = false;
    let watcher: Promise<void> = Promise.resolve();
    const pub = new Redis(TEST_REDIS_URL);
    const sub = new Redis(TEST_REDIS_URL);
    try {
      // 1. The Hocuspocus case: a step 2 computed against a peer that already had everything is
      // only deletions. Applied by anyone else, it would empty the document there.
      const replica = (await loadDocumentState(handle.db, frameworkId)).doc;
      const emptied = new Y.Doc();
      Y.applyUpdate(emptied, Y.encodeStateAsUpdate(replica));
      emptied.getText('t').delete(0, emptied.getText('t').length);
      const deleteOnly = Y.encodeStateAsUpdate(emptied, Y.encodeStateVector(replica));
      const probe = new Y.Doc();
      Y.applyUpdate(probe, Y.encodeStateAsUpdate(replica));
      Y.applyUpdate(probe, deleteOnly);
      expect(probe.getText('t').toString()).toBe('');
      await pub.publish(
        channel,
        Buffer.from(
          encodeRelayMessage({
            sender: 'ghost-peer',
            target: 'another-instance',
            message: { kind: 'syncStep2', update: deleteOnly },
          }),
        ),
      );
      // Then presence from the same publisher: Redis keeps one publisher's order, so once both
      // clients show it, both instances have handled the reply before it.
      const presence = new awarenessProtocol.Awareness(new Y.Doc());
      presence.setLocalState({ user: { id: 'ghost', name: 'Ghost', color: '#000' } });
      await pub.publish(
        channel,
        Buffer.from(
          encodeRelayMessage({
            sender: 'ghost-peer',
            target: '',
            message: {
              kind: 'awareness',
              update: awarenessProtocol.encodeAwarenessUpdate(presence, [presence.clientID]),
            },
          }),
        ),
      );
      await waitFor(
        () =>
          onA.awareness.getStates().has(presence.clientID) &&
          onB.awareness.getStates().has(presence.clientID),
      );
      expect([text(onA), text(onB)]).toEqual(['keep me', 'keep me']);
      presence.destroy();

      // 2. An instance that missed messages: a peer made "fresh text" (U1), then deleted
      // "keep me" and "text" (U2). The instances get only U2: deletions of content they have and
      // of content they never saw. They must ask for what is missing, and the database must never
      // hold the emptied state in between.
      const peer = new Y.Doc();
      Y.applyUpdate(peer, Y.encodeStateAsUpdate(replica));
      let u1: Uint8Array | null = null;
      peer.once('update', (update: Uint8Array) => (u1 = update));
      peer.getText('t').insert(peer.getText('t').length, ' fresh text');
      const u2Parts: Uint8Array[] = [];
      const collect = (update: Uint8Array) => u2Parts.push(update);
      peer.on('update', collect);
      peer.getText('t').delete(0, 'keep me'.length);
      peer.getText('t').delete(peer.getText('t').length - 'text'.length, 'text'.length);
      peer.off('update', collect);
      const u2 = Y.mergeUpdates(u2Parts);
      expect(u1).not.toBeNull();
      // The peer answers state requests like an instance would (addressed to the asker).
      const asked: string[] = [];
      await sub.subscribe(channel);
      sub.on('messageBuffer', (_channel: Buffer, raw: Buffer) => {
        const data = new Uint8Array(raw);
        const { sender, target, message } = decodeRelayMessage(data);
        if (message.kind !== 'syncStep1' || target !== '' || sender === 'ghost-peer') return;
        asked.push(sender);
        void pub.publish(
          channel,
          Buffer.from(
            encodeRelayMessage({
              sender: 'ghost-peer',
              target: sender,
              message: {
                kind: 'syncStep2',
                update: Y.encodeStateAsUpdate(peer, message.stateVector),
              },
            }),
          ),
        );
      });
      const seenInDb = new Set<string>();
      watching = true;
      watcher = (async () => {
        while (watching) {
          seenInDb.add(await stored(frameworkId));
          await pause(30);
        }
      })();
      await pub.publish(
        channel,
        Buffer.from(
          encodeRelayMessage({
            sender: 'ghost-peer',
            target: '',
            message: { kind: 'update', seq: 1, userId: owner.id, update: u2 },
          }),
        ),
      );
      await waitFor(() => {
        expect({ a: text(onA), b: text(onB), asked: asked.length }).toEqual({
          a: ' fresh ',
          b: ' fresh ',
          asked: 2,
        });
      }, 10_000);
      // The peer never confirms storing: after the grace period both instances store its changes.
      await waitFor(async () => (await stored(frameworkId)) === ' fresh ', 10_000);
      watching = false;
      await watcher;
      expect([...seenInDb].filter((s) => s !== 'keep me' && s !== ' fresh ')).toEqual([]);
    } finally {
      watching = false;
      await watcher;
      pub.disconnect();
      sub.disconnect();
    }
  });

  it('concurrent compactions by two instances: a stale one gives up, no row is lost', async () => {
    const editor = await createTestUser(handle.db, 'Compactor');
    const { frameworkId } = await createTestFramework(handle.db, owner);
    const source = new Y.Doc();
    const append = async (word: string) => {
      let update: Uint8Array | null = null;
      source.once('update', (u: Uint8Array) => (update = u));
      source.getText('t').insert(source.getText('t').length, word);
      await appendDocumentUpdates(handle.db, [{ frameworkId, userId: editor.id, update: update! }]);
    };
    const read = async () => {
      const snapshot = await findLatestSnapshot(handle.db, frameworkId);
      const rows = await listDocumentUpdates(handle.db, frameworkId);
      const doc = new Y.Doc();
      if (snapshot) Y.applyUpdate(doc, snapshot.state);
      for (const row of rows) Y.applyUpdate(doc, row.update);
      return {
        frameworkId,
        state: Y.encodeStateAsUpdate(doc),
        foldedIds: rows.map((r) => r.id),
        baseSnapshotId: snapshot?.id ?? null,
      };
    };
    for (const word of ['one ', 'two ', 'three ']) await append(word);
    const first = await read();
    await append('four ');
    const second = await read();
    // The later reader commits first; the earlier one then finds its base gone and gives up
    // (before, it deleted the newer snapshot and kept its own, which lacked "four").
    expect(await replaceWithSnapshot(handle.db, second)).toBe(true);
    expect(await replaceWithSnapshot(handle.db, first)).toBe(false);
    await append('five ');
    const third = await read();
    expect(await replaceWithSnapshot(handle.db, third)).toBe(true);
    expect(await stored(frameworkId)).toBe('one two three four five ');
    expect(await listDocumentUpdates(handle.db, frameworkId)).toEqual([]);
  });

  it('/healthz turns unhealthy while the database is unreachable, and back', async () => {
    expect(await getHealth(a)).toMatchObject({
      status: 200,
      body: { status: 'ok', checks: { database: 'ok', redis: 'ok' } },
    });
    dbProxy.cut();
    try {
      await waitFor(async () => {
        const health = await getHealth(a);
        expect(health).toMatchObject({ status: 503, body: { checks: { database: 'fail' } } });
      }, 10_000);
    } finally {
      dbProxy.restore();
    }
    await waitFor(async () => (await getHealth(a)).status === 200, 10_000);
    const metrics = await (await fetch(`${a.http}/metrics`)).text();
    expect(metrics).toMatch(/collab_relay_connected 1/);
    expect(metrics).toMatch(/collab_relay_messages_total\{direction="out",kind="update"\} \d+/);
    expect(metrics).toMatch(/collab_persist_batches_total [1-9]/);
  });

  it('an instance killed with kill -9 during edits loses nothing once its clients reconnect elsewhere', async () => {
    const editor = await createTestUser(handle.db, 'Survivor');
    const { frameworkId } = await createTestFramework(handle.db, owner, [[editor, 'editor']]);
    const onC = client(c, frameworkId, editor);
    const onB = client(b, frameworkId, owner);
    await Promise.all([waitForSync(onC), waitForSync(onB)]);
    for (let i = 0; i < 30; i++) {
      onC.doc.getText('t').insert(text(onC).length, `k${i} `);
      if (i % 10 === 0) onB.doc.getText('t').insert(0, `o${i} `);
      await pause(15);
    }
    c.child.kill('SIGKILL');
    // Edits go on while the client has no server.
    onC.doc.getText('t').insert(0, 'offline ');
    await new Promise((resolve) => c.child.once('exit', resolve));
    // Proof the kill hit edits that C had not stored (it writes after 2-4 s).
    expect(await stored(frameworkId)).not.toContain('k29');
    onC.serverUrl = b.url;
    await waitFor(() => text(onB) === text(onC) && text(onB).startsWith('offline '), 10_000);
    const final = text(onC);
    expect(final).toContain('k29');
    expect(final).toContain('o20');
    await waitFor(async () => (await stored(frameworkId)) === final, 10_000);
  });
});
