import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import type { DatabaseHandle } from '../../../db/client';
import { countDocumentUpdates } from '../../../db/queries/documents';
import { openTestDatabase, testDatabaseConfigs } from '../../../db/testing';
import { CloseEvents, MessageType, SyncMessageType } from '../../../lib/collab/protocol';
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
} from '../testing/test-support';

const MAX_MESSAGE = 64 * 1024;

function syncMessage(syncType: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.sync);
  encoding.writeVarUint(encoder, syncType);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

function validUpdate(): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, 'a'.repeat(200));
  doc.getText('t').delete(10, 50);
  doc.getMap('m').set('k', 'v');
  return Y.encodeStateAsUpdate(doc);
}

/** Each kind of bad input, with the close code the sender must get. */
function attacks(): Array<{ name: string; frame: Uint8Array | string; code: number }> {
  const update = validUpdate();
  const random = new Uint8Array(300).map((_, i) => (i * 7919 + 13) % 256);
  return [
    { name: 'random bytes', frame: random, code: CloseEvents.badMessage.code },
    {
      name: 'random bytes framed as an update',
      frame: syncMessage(SyncMessageType.update, random),
      code: CloseEvents.badMessage.code,
    },
    { name: 'text frame', frame: '-1', code: CloseEvents.badMessage.code },
    { name: 'empty message', frame: new Uint8Array(0), code: CloseEvents.badMessage.code },
    {
      name: 'varint that never ends',
      frame: new Uint8Array(20).fill(0xff),
      code: CloseEvents.badMessage.code,
    },
    {
      name: 'unknown message type',
      frame: new Uint8Array([42, 0]),
      code: CloseEvents.badMessage.code,
    },
    {
      name: 'unknown sync type',
      frame: new Uint8Array([0, 9, 0]),
      code: CloseEvents.badMessage.code,
    },
    {
      name: 'length prefix of 2^31',
      frame: new Uint8Array([0, 2, 0x80, 0x80, 0x80, 0x80, 0x08, 1, 2]),
      code: CloseEvents.badMessage.code,
    },
    {
      name: 'update with 2^31 clients',
      frame: syncMessage(
        SyncMessageType.update,
        new Uint8Array([0x80, 0x80, 0x80, 0x80, 0x08, 0, 0]),
      ),
      code: CloseEvents.badMessage.code,
    },
    {
      name: 'update claiming millions of structs',
      frame: syncMessage(
        SyncMessageType.update,
        new Uint8Array([1, 0x80, 0xad, 0xe2, 0x04, 1, 0, 4, 1, 0x61]),
      ),
      code: CloseEvents.badMessage.code,
    },
    {
      name: 'truncated update',
      frame: syncMessage(SyncMessageType.update, update.slice(0, Math.floor(update.length / 2))),
      code: CloseEvents.badMessage.code,
    },
    {
      name: 'truncated before the delete set',
      frame: syncMessage(SyncMessageType.update, update.slice(0, update.length - 3)),
      code: CloseEvents.badMessage.code,
    },
    {
      name: 'state vector with a huge count',
      frame: syncMessage(SyncMessageType.step1, new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x07])),
      code: CloseEvents.badMessage.code,
    },
    { name: 'trailing bytes', frame: new Uint8Array([3, 0]), code: CloseEvents.badMessage.code },
    { name: 'oversized frame', frame: new Uint8Array(MAX_MESSAGE + 1), code: 1009 },
  ];
}

describe.each(testDatabaseConfigs())('malformed input on $name', ({ config }) => {
  let handle: DatabaseHandle;
  let server: TestServer;
  let owner: TestUser;
  let editor: TestUser;
  let frameworkId: string;

  beforeAll(async () => {
    handle = await openTestDatabase(config);
    server = await startTestServer(handle.db, { maxMessageBytes: MAX_MESSAGE });
    owner = await createTestUser(handle.db, 'Owner');
    editor = await createTestUser(handle.db, 'Editor');
    ({ frameworkId } = await createTestFramework(handle.db, owner, [[editor, 'editor']]));
  });
  afterAll(async () => {
    await stopTestServer(server);
    await handle.close();
  });

  it('closes only the sender, applies nothing, and the others keep editing', async () => {
    const a = connectProvider(server, frameworkId, owner);
    const b = connectProvider(server, frameworkId, owner);
    await Promise.all([waitForSync(a), waitForSync(b)]);
    let round = 0;
    for (const attack of attacks()) {
      const ws = await openRawSocket(`${server.url}/${frameworkId}`, editor);
      const closed = closeOf(ws);
      ws.send(attack.frame);
      const { code, reason } = await closed;
      expect(code, attack.name).toBe(attack.code);
      if (attack.code !== 1009) expect(reason, attack.name).not.toBe('');
      // The canary pair still converges after every attack.
      round += 1;
      a.doc.getText('canary').insert(0, `${round},`);
      await waitFor(
        () => b.doc.getText('canary').toString() === a.doc.getText('canary').toString(),
      );
    }
    const live = server.collab.registry.documents.get(frameworkId);
    expect(live?.doc.getText('t').toString()).toBe('');
    expect(live?.doc.getMap('m').size).toBe(0);
    await waitFor(async () => (await countDocumentUpdates(handle.db, frameworkId)) > 0);
    a.destroy();
    b.destroy();
  });

  it('closes a client that exceeds the message rate', async () => {
    const ws = await openRawSocket(`${server.url}/${frameworkId}`, editor);
    const closed = closeOf(ws);
    const query = new Uint8Array([MessageType.queryAwareness]);
    for (let i = 0; i < 1000; i++) ws.send(query);
    expect((await closed).code).toBe(CloseEvents.rateLimited.code);
  });
});
