import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import type { DatabaseHandle } from '../../../db/client';
import { openTestDatabase, testDatabaseConfigs } from '../../../db/testing';
import { CloseEvents, MessageType, colorForUser } from '../../../lib/collab/protocol';
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

function awarenessMessage(entries: Array<[number, number, unknown]>): Uint8Array {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, entries.length);
  for (const [clientId, clock, state] of entries) {
    encoding.writeVarUint(inner, clientId);
    encoding.writeVarUint(inner, clock);
    encoding.writeVarString(inner, JSON.stringify(state));
  }
  const outer = encoding.createEncoder();
  encoding.writeVarUint(outer, MessageType.awareness);
  encoding.writeVarUint8Array(outer, encoding.toUint8Array(inner));
  return encoding.toUint8Array(outer);
}

describe.each(testDatabaseConfigs())('awareness on $name', ({ config }) => {
  let handle: DatabaseHandle;
  let server: TestServer;
  let owner: TestUser;
  let editor: TestUser;
  let frameworkId: string;

  beforeAll(async () => {
    handle = await openTestDatabase(config);
    server = await startTestServer(handle.db, {
      maxAwarenessEntriesPerMessage: 8,
      maxAwarenessStateBytes: 1024,
    });
    owner = await createTestUser(handle.db, 'Owner');
    editor = await createTestUser(handle.db, 'Editor');
    ({ frameworkId } = await createTestFramework(handle.db, owner, [[editor, 'editor']]));
  });
  afterAll(async () => {
    await stopTestServer(server);
    await handle.close();
  });

  it('carries the server-known identity, whatever the client claims', async () => {
    const a = connectProvider(server, frameworkId, owner);
    const b = connectProvider(server, frameworkId, editor);
    await Promise.all([waitForSync(a), waitForSync(b)]);
    a.awareness.setLocalState({ user: { id: editor.id, name: 'Someone else' }, cursor: 3 });
    const seen = await waitFor(() => {
      const state = b.awareness.getStates().get(a.doc.clientID);
      expect(state?.cursor).toBe(3);
      return state;
    });
    expect(seen?.user).toEqual({ id: owner.id, name: 'Owner', color: colorForUser(owner.id) });
    a.destroy();
    b.destroy();
  });

  it("refuses another user's client id (overwrite or removal) and closes the sender", async () => {
    const a = connectProvider(server, frameworkId, owner);
    const b = connectProvider(server, frameworkId, editor);
    await Promise.all([waitForSync(a), waitForSync(b)]);
    a.awareness.setLocalState({ cursor: 1 });
    await waitFor(() => b.awareness.getStates().get(a.doc.clientID)?.cursor === 1);
    const victim = a.doc.clientID;

    for (const state of [{ cursor: 99, user: { id: owner.id, name: 'Owner' } }, null]) {
      const attacker = await openRawSocket(`${server.url}/${frameworkId}`, editor);
      const closed = closeOf(attacker);
      attacker.send(awarenessMessage([[victim, 1_000_000, state]]));
      expect((await closed).code).toBe(CloseEvents.spoofing.code);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(b.awareness.getStates().get(victim)?.cursor).toBe(1);
    a.destroy();
    b.destroy();
  });

  it('bounds entries per message, client ids per connection and state size', async () => {
    const cases: Array<[string, Uint8Array, number]> = [
      [
        'too many entries',
        awarenessMessage(
          Array.from({ length: 9 }, (_, i) => [1000 + i, 1, {}] as [number, number, unknown]),
        ),
        CloseEvents.badMessage.code,
      ],
      [
        'too many client ids',
        awarenessMessage(
          Array.from({ length: 5 }, (_, i) => [2000 + i, 1, {}] as [number, number, unknown]),
        ),
        CloseEvents.spoofing.code,
      ],
      [
        'state too large',
        awarenessMessage([[3000, 1, { big: 'x'.repeat(2000) }]]),
        CloseEvents.badMessage.code,
      ],
      ['state not an object', awarenessMessage([[3001, 1, [1, 2]]]), CloseEvents.badMessage.code],
    ];
    for (const [name, message, code] of cases) {
      const ws = await openRawSocket(`${server.url}/${frameworkId}`, editor);
      const closed = closeOf(ws);
      ws.send(message);
      expect((await closed).code, name).toBe(code);
    }
    const document = server.collab.registry.documents.get(frameworkId);
    for (const id of [1000, 2000, 3000, 3001])
      expect(document?.awareness.getStates().has(id)).toBe(false);
  });

  it('removes the presence of a closed connection for everyone', async () => {
    const a = connectProvider(server, frameworkId, owner);
    const b = connectProvider(server, frameworkId, editor);
    await Promise.all([waitForSync(a), waitForSync(b)]);
    a.awareness.setLocalState({ cursor: 7 });
    await waitFor(() => b.awareness.getStates().has(a.doc.clientID));
    const id = a.doc.clientID;
    // Cut the socket without the client's own goodbye: the server must clean up.
    (a.ws as unknown as { terminate(): void }).terminate();
    a.shouldConnect = false;
    await waitFor(() => !b.awareness.getStates().has(id));
    a.destroy();
    b.destroy();
  });
});
