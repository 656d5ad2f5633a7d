import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import type { DatabaseHandle } from '../../../db/client';
import { openTestDatabase, testDatabaseConfigs } from '../../../db/testing';
import { MessageType, SyncMessageType, type ReviewRefusal } from '../../../lib/collab/protocol';
import { onReviewMessages } from '../../../lib/collab/review-messages';
import {
  addLayer,
  addCommitment,
  addTrigger,
  getLayerTitleText,
  getNarrativeFragment,
  passageText,
  readBrackets,
  setPosition,
  readLayerReviewState,
  readLayerView,
  removeLayer,
  setLayerField,
  setLayerTitle,
} from '../../../lib/framework';
import { setMemberDelegation } from '../../../db/queries/workspaces';
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

  /** The owner puts the layer under silence for an hour, as the review route does. */
  const startSilence = (frameworkId: string, layerId: string) =>
    server.collab.live.commands.review(frameworkId, {
      kind: 'silence.start',
      layerId,
      userId: owner.id,
      until: new Date(Date.now() + 3_600_000).toISOString(),
      now: new Date().toISOString(),
    });

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

  it('freezes an agreed layer for everyone: editor and owner changes are undone and reported', async () => {
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
    const editorRefusals = listenRefusals(editorClient);
    const ownerRefusals = listenRefusals(ownerClient);
    await Promise.all([waitForSync(editorClient), waitForSync(ownerClient)]);
    expect(readLayerReviewState(editorClient.doc, layerId)?.status).toBe('agreed');

    // Narrative and title edits by the editor: both undone.
    const text = (getNarrativeFragment(editorClient.doc, layerId)!.get(0) as Y.XmlElement).get(
      0,
    ) as Y.XmlText;
    text.insert(0, 'Changed ');
    getLayerTitleText(editorClient.doc, layerId)!.insert(0, 'X');
    await waitFor(() => editorRefusals.length >= 2);
    expect(editorRefusals.every((r) => r.code === 'locked' && r.layerId === layerId)).toBe(true);
    await waitFor(() => {
      const view = readLayerView(editorClient.doc, layerId);
      return view?.narrative.text === 'Original' && view.title === 'Air';
    });

    // The owner does not change agreed text without reopening it either.
    setLayerTitle(ownerClient.doc, layerId, 'Air policing');
    await waitFor(() => ownerRefusals.length >= 1);
    expect(ownerRefusals[0]).toMatchObject({ layerId, code: 'locked' });
    await waitFor(() => readLayerView(ownerClient.doc, layerId)?.title === 'Air');
    editorClient.destroy();
    ownerClient.destroy();
    const stored = await storedLayer(frameworkId, layerId);
    expect(stored).toMatchObject({ title: 'Air', status: 'agreed' });
    expect(stored?.narrative.text).toBe('Original');
  });

  it('freezes a layer under silence: text, commitments, triggers and positions are undone for everyone', async () => {
    const { frameworkId, layerId } = await setup();
    await startSilence(frameworkId, layerId);
    for (const user of [editor, owner]) {
      const client = connectProvider(server, frameworkId, user);
      const refusals = listenRefusals(client);
      await waitForSync(client);
      setLayerTitle(client.doc, layerId, 'Changed under silence');
      addCommitment(client.doc, layerId, { party: 'poland', type: 'troops', quantity: 100 });
      addTrigger(client.doc, layerId, { condition: 'If', response: 'Then' });
      await waitFor(() => refusals.length >= 3);
      expect(refusals.every((r) => r.code === 'under_silence' && r.layerId === layerId)).toBe(true);
      setPosition(client.doc, layerId, 'poland', { stance: 'support' });
      await waitFor(() => refusals.length >= 4);
      await waitFor(() => {
        const view = readLayerView(client.doc, layerId);
        return (
          view?.title === 'Air' &&
          view.commitments.length === 0 &&
          view.triggers.length === 0 &&
          Object.keys(view.positions).length === 0
        );
      });
      client.destroy();
    }
    const stored = await storedLayer(frameworkId, layerId);
    expect(stored).toMatchObject({ title: 'Air', commitments: [], triggers: [], positions: {} });
  });

  it('offers the text an author typed into a frozen layer back as a draft amendment, anchored in the restored text', async () => {
    const { frameworkId, layerId } = await setup();
    await startSilence(frameworkId, layerId);
    const client = connectProvider(server, frameworkId, editor);
    const refusals = listenRefusals(client);
    await waitForSync(client);
    const text = (getNarrativeFragment(client.doc, layerId)!.get(0) as Y.XmlElement).get(
      0,
    ) as Y.XmlText;
    client.doc.transact(() => {
      text.delete(0, 'Original'.length);
      text.insert(0, 'Revised wording');
    });
    await waitFor(() => refusals.length >= 1);
    expect(refusals[0]).toMatchObject({
      layerId,
      code: 'under_silence',
      draft: { kind: 'passage', quote: 'Original', proposed: 'Revised wording' },
    });
    await waitFor(() => readLayerView(client.doc, layerId)?.narrative.text === 'Original');
    const draft = refusals[0]!.draft!;
    if (draft.kind !== 'passage') throw new Error('expected a passage draft');
    // The anchor names the restored passage on the author's own copy: it can be tabled as is.
    expect(passageText(client.doc, layerId, draft.anchor)).toBe('Original');

    // A refused title change has nothing to offer back.
    setLayerTitle(client.doc, layerId, 'Changed under silence');
    await waitFor(() => refusals.length >= 2);
    expect(refusals[1]).toMatchObject({ code: 'under_silence' });
    expect(refusals[1]!.draft).toBeUndefined();
    expect(refusals[1]!.fields).toBeUndefined();

    // A new commitment row comes back as the row an amendment would add.
    addCommitment(client.doc, layerId, { party: 'poland', type: 'troops', quantity: 100 });
    await waitFor(() => refusals.length >= 3);
    expect(refusals[2]!.fields).toEqual([
      {
        target: {
          kind: 'row',
          item: 'commitment',
          row: expect.objectContaining({ party: 'poland', type: 'troops', quantity: 100 }),
        },
        proposed: '',
      },
    ]);
    await waitFor(() => readLayerView(client.doc, layerId)?.commitments.length === 0);
    client.destroy();
  });

  it('lets a delegation bracket text for itself only; the chair for anyone, marked as the chair', async () => {
    const { workspaceId, frameworkId, layerId } = await setup();
    await setMemberDelegation(handle.db, { workspaceId, userId: editor.id, delegation: 'France' });
    const france = connectProvider(server, frameworkId, editor);
    const chair = connectProvider(server, frameworkId, owner);
    const refusals = listenRefusals(france);
    await Promise.all([waitForSync(france), waitForSync(chair)]);
    const runOf = (client: typeof france) =>
      (getNarrativeFragment(client.doc, layerId)!.get(0) as Y.XmlElement).get(0) as Y.XmlText;
    const bracketOf = (client: typeof france) =>
      readBrackets(getNarrativeFragment(client.doc, layerId));
    const bracket = (
      id: string,
      party: string,
      alternatives: object[] = [],
      chairFlag = false,
    ) => ({
      bracket: { id, party, alternatives, chair: chairFlag },
    });

    // France opens a bracket as Poland: undone, and France is told.
    runOf(france).format(0, 4, bracket('b1', 'poland'));
    await waitFor(() => refusals.length >= 1);
    expect(refusals[0]).toMatchObject({ layerId, code: 'bracket_party' });
    await waitFor(() => bracketOf(france).length === 0);

    // As France, and with an alternative of France's: kept.
    runOf(france).format(0, 4, bracket('b2', 'france', [{ text: 'Revised', party: 'france' }]));
    await waitFor(() => bracketOf(chair).some((b) => b.id === 'b2'));

    // The chair enters one for Poland, marked as the chair's.
    runOf(chair).format(4, 4, bracket('b3', 'poland', [{ text: 'Draft', party: 'poland' }], true));
    await waitFor(() => bracketOf(france).some((b) => b.id === 'b3'));

    // France adds an alternative of its own to Poland's bracket: kept; typing inside it too.
    runOf(france).format(
      4,
      4,
      bracket(
        'b3',
        'poland',
        [
          { text: 'Draft', party: 'poland' },
          { text: 'Final', party: 'france' },
        ],
        true,
      ),
    );
    await waitFor(() => bracketOf(chair).some((b) => b.id === 'b3' && b.alternatives.length === 2));
    const b3 = bracketOf(france).find((b) => b.id === 'b3')!;
    runOf(france).insert(6, 'x', bracket('b3', b3.party, b3.alternatives, b3.chair));
    await waitFor(() => readLayerView(chair.doc, layerId)?.narrative.text.includes('x') ?? false);
    expect(refusals).toHaveLength(1);

    // France makes Poland's bracket its own, or drops Poland's alternative: undone each time.
    runOf(france).format(4, 5, bracket('b3', 'france', [{ text: 'Final', party: 'france' }]));
    await waitFor(() => refusals.length >= 2);
    expect(refusals[1]).toMatchObject({ layerId, code: 'bracket_party' });
    await waitFor(() =>
      bracketOf(chair).some((b) => b.id === 'b3' && b.party === 'poland' && b.chair),
    );
    france.destroy();
    chair.destroy();
  });

  it('undoes a link mark to javascript:, data: or file: from any writer, and keeps a web link', async () => {
    const { frameworkId, layerId } = await setup();
    const client = connectProvider(server, frameworkId, owner);
    const refusals = listenRefusals(client);
    await waitForSync(client);
    const text = () =>
      (getNarrativeFragment(client.doc, layerId)!.get(0) as Y.XmlElement).get(0) as Y.XmlText;
    const hostile = [
      'javascript:alert(1)',
      ' JavaScript:alert(1)',
      'data:text/html,x',
      'file:///etc/passwd',
    ];
    for (const href of hostile) {
      text().insert(text().length, ' click', { link: { href } });
    }
    await waitFor(() => refusals.length >= hostile.length);
    expect(refusals.every((r) => r.code === 'unsafe_link' && r.layerId === layerId)).toBe(true);
    await waitFor(() => readLayerView(client.doc, layerId)?.narrative.text === 'Original');
    text().insert(text().length, ' source', { link: { href: 'https://example.org/report' } });
    await waitFor(() => readLayerView(client.doc, layerId)?.narrative.text === 'Original source');
    client.destroy();
    const stored = await storedLayer(frameworkId, layerId);
    expect(stored?.narrative.text).toBe('Original source');
    expect(JSON.stringify(stored?.narrative.blocks)).toContain('https://example.org/report');
    expect(JSON.stringify(stored?.narrative.blocks)).not.toMatch(/javascript|data:|file:/i);
  });

  it("undoes a raw client's stance written into the document, for another party or its own", async () => {
    const { frameworkId, layerId } = await setup();
    const crafty = connectProvider(server, frameworkId, editor);
    const watcher = connectProvider(server, frameworkId, owner);
    const refusals = listenRefusals(crafty);
    await Promise.all([waitForSync(crafty), waitForSync(watcher)]);
    setPosition(crafty.doc, layerId, 'poland', { stance: 'oppose', note: 'Forged' });
    await waitFor(() => refusals.length > 0);
    expect(refusals[0]).toMatchObject({ layerId, code: 'server_owned' });
    await waitFor(() => readLayerView(crafty.doc, layerId)?.positions.poland === undefined);
    await waitFor(() => readLayerView(watcher.doc, layerId)?.positions.poland === undefined);
    // A new layer arriving with stances already stated is refused the same way.
    crafty.doc.transact(() => {
      const id = addLayer(crafty.doc, 'legal', { title: 'Smuggled' });
      setPosition(crafty.doc, id, 'poland', { stance: 'support' });
    });
    await waitFor(() => refusals.length > 1);
    expect(refusals[1]).toMatchObject({ code: 'server_owned' });
    crafty.destroy();
    watcher.destroy();
    const stored = await storedLayer(frameworkId, layerId);
    expect(stored?.positions).toEqual({});
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
