import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import type { DatabaseHandle } from '../../../db/client';
import { openTestDatabase, testDatabaseConfigs } from '../../../db/testing';
import { MessageType, SyncMessageType, type ReviewRefusal } from '../../../lib/collab/protocol';
import { onReviewMessages } from '../../../lib/collab/review-messages';
import {
  addLayer,
  getLayerTitleText,
  getNarrativeFragment,
  readLayerReviewState,
  readLayerView,
  removeLayer,
  setLayerField,
  setLayerTitle,
} from '../../../lib/framework';
import { loadDocumentState } from './persistence/persistence';
import {
  closeOf,
  connectProvider,
  openRawSocket,
  stopTestServer,
  waitFor,
  waitForSync,
  type TestServer,
  type TestUser,
} from '../testing/test-support';
import {
  createReviewUsers,
  frameworkInReview,
  startReviewServer,
  storedLayer as storedLayerOf,
} from '../testing/review-fixture';

describe.each(testDatabaseConfigs())('review authority on $name', ({ config }) => {
  let handle: DatabaseHandle;
  let server: TestServer;
  let owner: TestUser;
  let editor: TestUser;
  let commenter: TestUser;
  let viewer: TestUser;

  beforeAll(async () => {
    handle = await openTestDatabase(config);
    server = await startReviewServer(handle.db);
    ({ owner, editor, commenter, viewer } = await createReviewUsers(handle.db));
  });
  afterAll(async () => {
    await stopTestServer(server);
    await handle.close();
  });

  const setup = () => frameworkInReview(handle.db, server, { owner, editor, commenter, viewer });
  const storedLayer = (frameworkId: string, layerId: string) =>
    storedLayerOf(handle.db, server, frameworkId, layerId);

  function listenRefusals(provider: ReturnType<typeof connectProvider>) {
    const refusals: ReviewRefusal[] = [];
    onReviewMessages(provider, { onRefused: (r) => refusals.push(...r) });
    return refusals;
  }

  it('drops content updates from a commenter and a viewer on a raw socket; nothing is stored', async () => {
    const { frameworkId, layerId } = await setup();
    for (const user of [commenter, viewer]) {
      const ws = await openRawSocket(`${server.url}/${frameworkId}`, user);
      // A crafted update against a fresh replica: a title change on the layer.
      const replica = new Y.Doc();
      const { doc: current } = await loadDocumentState(handle.db, frameworkId);
      Y.applyUpdate(
        replica,
        Y.encodeStateAsUpdate(server.collab.registry.documents.get(frameworkId)?.doc ?? current),
      );
      const before = Y.encodeStateVector(replica);
      setLayerTitle(replica, layerId, 'Hijacked');
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MessageType.sync);
      encoding.writeVarUint(encoder, SyncMessageType.update);
      encoding.writeVarUint8Array(encoder, Y.encodeStateAsUpdate(replica, before));
      ws.send(encoding.toUint8Array(encoder));
      // A ping round trip: the server has handled the update when the pong comes back.
      await new Promise<void>((resolve) => {
        ws.once('pong', () => resolve());
        ws.ping();
      });
      const live = server.collab.registry.documents.get(frameworkId)!;
      expect(readLayerView(live.doc, layerId)?.title).toBe('Air');
      const closed = closeOf(ws);
      ws.close();
      await closed;
    }
    expect((await storedLayer(frameworkId, layerId))?.title).toBe('Air');
  });

  it("undoes an editor's crafted status change to agreed, reports it, and stores the original", async () => {
    const { frameworkId, layerId } = await setup();
    const crafty = connectProvider(server, frameworkId, editor);
    const watcher = connectProvider(server, frameworkId, owner);
    const refusals = listenRefusals(crafty);
    await Promise.all([waitForSync(crafty), waitForSync(watcher)]);
    // What a modified client can do: write the status straight into the document.
    setLayerField(crafty.doc, layerId, 'status', 'agreed');
    await waitFor(() => refusals.length > 0);
    expect(refusals[0]).toMatchObject({ layerId, code: 'server_owned' });
    await waitFor(() => readLayerReviewState(crafty.doc, layerId)?.status === 'in_review');
    await waitFor(() => readLayerReviewState(watcher.doc, layerId)?.status === 'in_review');
    crafty.destroy();
    watcher.destroy();
    expect((await storedLayer(frameworkId, layerId))?.status).toBe('in_review');
  });

  it('locks an agreed layer: an editor change is undone and reported, an owner change stays', async () => {
    const { frameworkId, layerId } = await setup();
    await server.collab.live.commands.review(frameworkId, {
      kind: 'status',
      layerId,
      to: 'agreed',
      actor: { userId: owner.id, canEdit: true, canAgree: true },
      now: new Date().toISOString(),
    });
    const editorClient = connectProvider(server, frameworkId, editor);
    const ownerClient = connectProvider(server, frameworkId, owner);
    const refusals = listenRefusals(editorClient);
    await Promise.all([waitForSync(editorClient), waitForSync(ownerClient)]);
    expect(readLayerReviewState(editorClient.doc, layerId)?.status).toBe('agreed');

    // Narrative and title edits by the editor: both undone.
    const text = (getNarrativeFragment(editorClient.doc, layerId)!.get(0) as Y.XmlElement).get(
      0,
    ) as Y.XmlText;
    text.insert(0, 'Changed ');
    getLayerTitleText(editorClient.doc, layerId)!.insert(0, 'X');
    await waitFor(() => refusals.length >= 2);
    expect(refusals.every((r) => r.code === 'locked' && r.layerId === layerId)).toBe(true);
    await waitFor(() => {
      const view = readLayerView(editorClient.doc, layerId);
      return view?.narrative.text === 'Original' && view.title === 'Air';
    });
    await waitFor(() => readLayerView(ownerClient.doc, layerId)?.narrative.text === 'Original');

    // The owner may change an agreed layer.
    setLayerTitle(ownerClient.doc, layerId, 'Air policing');
    await waitFor(() => readLayerView(editorClient.doc, layerId)?.title === 'Air policing');
    editorClient.destroy();
    ownerClient.destroy();
    const stored = await storedLayer(frameworkId, layerId);
    expect(stored).toMatchObject({ title: 'Air policing', status: 'agreed' });
    expect(stored?.narrative.text).toBe('Original');
  });

  it('undoes only the agreed layer of a mixed update, and a removal of an agreed layer', async () => {
    const { frameworkId, layerId } = await setup();
    const otherId = await server.collab.live.write(frameworkId, (doc, origin) =>
      addLayer(doc, 'legal', { title: 'Legal' }, origin),
    );
    await server.collab.live.commands.review(frameworkId, {
      kind: 'status',
      layerId,
      to: 'agreed',
      actor: { userId: owner.id, canEdit: true, canAgree: true },
      now: new Date().toISOString(),
    });
    const client = connectProvider(server, frameworkId, editor);
    const refusals = listenRefusals(client);
    await waitForSync(client);
    // One transaction touching both layers: only the agreed one is put back.
    client.doc.transact(() => {
      setLayerTitle(client.doc, layerId, 'Air (changed)');
      setLayerTitle(client.doc, otherId, 'Legal guarantee');
    });
    await waitFor(() => refusals.length === 1);
    await waitFor(() => readLayerView(client.doc, layerId)?.title === 'Air');
    expect(readLayerView(client.doc, otherId)?.title).toBe('Legal guarantee');
    removeLayer(client.doc, layerId);
    await waitFor(() => refusals.length === 2);
    expect(refusals[1]).toMatchObject({ layerId, code: 'locked' });
    await waitFor(() => readLayerView(client.doc, layerId)?.narrative.text === 'Original');
    client.destroy();
    await waitFor(() => !server.collab.registry.documents.has(frameworkId), 5_000);
    const { doc } = await loadDocumentState(handle.db, frameworkId);
    expect(readLayerView(doc, layerId)).toMatchObject({ title: 'Air', status: 'agreed' });
    expect(readLayerView(doc, layerId)?.narrative.text).toBe('Original');
    expect(readLayerView(doc, otherId)?.title).toBe('Legal guarantee');
  });
});
