import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import type { DatabaseHandle } from '../../../db/client';
import { listReviewEvents } from '../../../db/queries/review';
import { setMemberDelegation } from '../../../db/queries/workspaces';
import { openTestDatabase, refuseReviewEventsOf, testDatabaseConfigs } from '../../../db/testing';
import { MessageType, SyncMessageType, type ReviewRefusal } from '../../../lib/collab/protocol';
import { onReviewMessages } from '../../../lib/collab/review-messages';
import {
  addLayer,
  addParty,
  getLayerTitleText,
  getNarrativeFragment,
  initialiseFromTemplate,
  readLayerReviewState,
  readLayerView,
  removeLayer,
  setLayerField,
  setLayerTitle,
  setNarrative,
  setPosition,
} from '../../../lib/framework';
import { breakSilenceAs, changeLayerStatusAs, startSilenceAs } from '../../../lib/services/review';
import { loadDocumentState } from './persistence/persistence';
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

describe.each(testDatabaseConfigs())('review authority on $name', ({ config }) => {
  let handle: DatabaseHandle;
  let server: TestServer;
  let owner: TestUser;
  let editor: TestUser;
  let commenter: TestUser;
  let viewer: TestUser;

  beforeAll(async () => {
    handle = await openTestDatabase(config);
    server = await startTestServer(
      handle.db,
      { persistDebounceMs: 20, persistMaxDelayMs: 100, unloadIdleMs: 100 },
      [],
    );
    owner = await createTestUser(handle.db, 'Owner');
    editor = await createTestUser(handle.db, 'Editor');
    commenter = await createTestUser(handle.db, 'Commenter');
    viewer = await createTestUser(handle.db, 'Viewer');
  });
  afterAll(async () => {
    await stopTestServer(server);
    await handle.close();
  });

  /** A framework with one layer in review ("Original" narrative) and the four roles. */
  async function setup() {
    const { workspaceId, frameworkId } = await createTestFramework(handle.db, owner, [
      [editor, 'editor'],
      [commenter, 'commenter'],
      [viewer, 'viewer'],
    ]);
    const layerId = await server.collab.live.write(frameworkId, (doc, origin) => {
      initialiseFromTemplate(doc, 'blank');
      addParty(doc, 'Poland', origin);
      const id = addLayer(doc, 'air', { title: 'Air' }, origin);
      setNarrative(
        doc,
        id,
        [{ type: 'paragraph', content: [{ type: 'text', text: 'Original', marks: [] }] }],
        origin,
      );
      setLayerField(doc, id, 'status', 'in_review', origin);
      return id;
    });
    return { workspaceId, frameworkId, layerId, target: { workspaceId, frameworkId } };
  }

  /** The state stored in the database once the document has been flushed and unloaded. */
  async function storedLayer(frameworkId: string, layerId: string) {
    await waitFor(() => !server.collab.registry.documents.has(frameworkId), 5_000);
    const { doc } = await loadDocumentState(handle.db, frameworkId);
    return readLayerView(doc, layerId);
  }

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
    const { frameworkId, layerId, target } = await setup();
    await changeLayerStatusAs(handle.db, server.collab.live, owner.id, target, {
      layerId,
      status: 'agreed',
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
    const { frameworkId, layerId, target } = await setup();
    const otherId = await server.collab.live.write(frameworkId, (doc, origin) =>
      addLayer(doc, 'legal', { title: 'Legal' }, origin),
    );
    await changeLayerStatusAs(handle.db, server.collab.live, owner.id, target, {
      layerId,
      status: 'agreed',
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

  it('follows the transition table and records every status change with who', async () => {
    const { frameworkId, layerId, target } = await setup();
    await changeLayerStatusAs(handle.db, server.collab.live, editor.id, target, {
      layerId,
      status: 'proposed',
    });
    await expect(
      changeLayerStatusAs(handle.db, server.collab.live, editor.id, target, {
        layerId,
        status: 'agreed',
      }),
    ).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(
      changeLayerStatusAs(handle.db, server.collab.live, commenter.id, target, {
        layerId,
        status: 'in_review',
      }),
    ).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(
      changeLayerStatusAs(handle.db, server.collab.live, owner.id, target, {
        layerId,
        status: 'agreed_ad_ref',
      }),
    ).rejects.toMatchObject({ kind: 'bad_request' });
    await changeLayerStatusAs(handle.db, server.collab.live, owner.id, target, {
      layerId,
      status: 'agreed_ad_ref',
      confirmBy: '2030-01-01T00:00:00Z',
    });
    await changeLayerStatusAs(handle.db, server.collab.live, owner.id, target, {
      layerId,
      status: 'in_review',
    });
    const events = await listReviewEvents(handle.db, frameworkId);
    expect(events.map((e) => [e.kind, e.actorId, e.details.to])).toEqual([
      ['status.changed', owner.id, 'in_review'],
      ['status.changed', owner.id, 'agreed_ad_ref'],
      ['status.changed', editor.id, 'proposed'],
    ]);
  });

  it('refuses agreement with open brackets, and with an oppose unless an owner overrides', async () => {
    const { frameworkId, layerId, target } = await setup();
    await server.collab.live.write(frameworkId, (doc, origin) => {
      const text = (getNarrativeFragment(doc, layerId)!.get(0) as Y.XmlElement).get(0) as Y.XmlText;
      text.insert(text.length, ' [24 hours]', { bracket: { id: 'b1', party: 'poland' } });
      setPosition(doc, layerId, 'poland', { stance: 'oppose', note: 'Too soon' }, origin);
    });
    const agree = (input: Record<string, unknown> = {}) =>
      changeLayerStatusAs(handle.db, server.collab.live, owner.id, target, {
        layerId,
        status: 'agreed',
        ...input,
      });
    await expect(agree()).rejects.toMatchObject({ kind: 'conflict', message: /open bracket/ });
    // Remove the bracket mark: the text stays, agreed language.
    await server.collab.live.write(frameworkId, (doc) => {
      const text = (getNarrativeFragment(doc, layerId)!.get(0) as Y.XmlElement).get(0) as Y.XmlText;
      text.format(0, text.length, { bracket: null });
    });
    await expect(agree()).rejects.toMatchObject({ kind: 'conflict', message: /Opposed by poland/ });
    await agree({ override: { reason: 'Capitals instructed us to close' } });
    const state = await server.collab.live.read(frameworkId, (doc) =>
      readLayerReviewState(doc, layerId),
    );
    expect(state?.status).toBe('agreed');
    expect(state?.statusDetail.override).toMatchObject({ by: owner.id, parties: ['poland'] });
    const kinds = (await listReviewEvents(handle.db, frameworkId)).map((e) => e.kind);
    expect(kinds).toContain('agreement.override');
  });

  it('agrees a layer at the silence deadline with nobody online, and records it', async () => {
    const { frameworkId, layerId, target } = await setup();
    await startSilenceAs(handle.db, server.collab.live, owner.id, target, {
      layerId,
      until: new Date(Date.now() + 400).toISOString(),
    });
    // Nobody holds the document: it unloads.
    await waitFor(() => !server.collab.registry.documents.has(frameworkId), 5_000);
    await new Promise((resolve) => setTimeout(resolve, 450));
    await server.collab.expireSilences();
    expect((await storedLayer(frameworkId, layerId))?.status).toBe('agreed');
    const events = await listReviewEvents(handle.db, frameworkId);
    expect(events[0]).toMatchObject({ kind: 'silence.expired', actorId: null });
    expect(events[1]).toMatchObject({ kind: 'silence.started', actorId: owner.id });
  });

  it('lets a member with a delegation break silence before the deadline, not one without', async () => {
    const { workspaceId, frameworkId, layerId, target } = await setup();
    await startSilenceAs(handle.db, server.collab.live, owner.id, target, {
      layerId,
      until: new Date(Date.now() + 60_000).toISOString(),
    });
    await expect(
      breakSilenceAs(handle.db, server.collab.live, commenter.id, target, {
        layerId,
        reason: 'We object',
      }),
    ).rejects.toMatchObject({ kind: 'forbidden' });
    await setMemberDelegation(handle.db, {
      workspaceId,
      userId: commenter.id,
      delegation: 'Poland',
    });
    await breakSilenceAs(handle.db, server.collab.live, commenter.id, target, {
      layerId,
      reason: 'Warsaw needs another week',
    });
    await server.collab.expireSilences();
    const state = await server.collab.live.read(frameworkId, (doc) =>
      readLayerReviewState(doc, layerId),
    );
    expect(state?.status).toBe('in_review');
    expect(state?.statusDetail.silence?.broken).toMatchObject({
      by: commenter.id,
      party: 'Poland',
      reason: 'Warsaw needs another week',
    });
  });

  it('takes a status change back when it cannot be recorded: the document never shows an unrecorded status', async () => {
    const { frameworkId, layerId, target } = await setup();
    const status = () =>
      server.collab.live.read(frameworkId, (doc) => readLayerReviewState(doc, layerId)?.status);
    const allowEvents = await refuseReviewEventsOf(handle.db, layerId);
    try {
      await expect(
        changeLayerStatusAs(handle.db, server.collab.live, owner.id, target, {
          layerId,
          status: 'agreed',
        }),
      ).rejects.toThrow(/review_events/);
      expect(await status()).toBe('in_review');
      expect(await listReviewEvents(handle.db, frameworkId)).toEqual([]);
      expect((await storedLayer(frameworkId, layerId))?.status).toBe('in_review');
    } finally {
      await allowEvents();
    }
    await changeLayerStatusAs(handle.db, server.collab.live, owner.id, target, {
      layerId,
      status: 'agreed',
    });
    expect(await status()).toBe('agreed');
    expect((await listReviewEvents(handle.db, frameworkId)).map((e) => e.kind)).toEqual([
      'status.changed',
    ]);
  });

  it('keeps a silence running when its expiry cannot be recorded, and agrees on the next round', async () => {
    const { frameworkId, layerId, target } = await setup();
    await startSilenceAs(handle.db, server.collab.live, owner.id, target, {
      layerId,
      until: new Date(Date.now() + 300).toISOString(),
    });
    await new Promise((resolve) => setTimeout(resolve, 350));
    const allowEvents = await refuseReviewEventsOf(handle.db, layerId);
    try {
      await server.collab.expireSilences();
      const state = await server.collab.live.read(frameworkId, (doc) =>
        readLayerReviewState(doc, layerId),
      );
      expect(state?.status).toBe('in_review');
      expect(state?.statusDetail.silence?.until).toBeDefined();
    } finally {
      await allowEvents();
    }
    await server.collab.expireSilences();
    expect((await storedLayer(frameworkId, layerId))?.status).toBe('agreed');
    const kinds = (await listReviewEvents(handle.db, frameworkId)).map((e) => e.kind);
    expect(kinds).toEqual(['silence.expired', 'silence.started']);
  });
});
