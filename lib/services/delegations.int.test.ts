import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { DatabaseHandle } from '../../db/client';
import { listReviewEvents } from '../../db/queries/review';
import { setMemberDelegation } from '../../db/queries/workspaces';
import { openTestDatabase, testDatabaseConfigs } from '../../db/testing';
import { addParty, readLayerReviewState, readLayerView } from '../framework';
import {
  breakSilenceAs,
  changeLayerStatusAs,
  confirmAdReferendumAs,
  overdueConfirmationsFor,
  startSilenceAs,
  statePositionAs,
} from './review';
import { expireDueSilences } from './silence-scheduler';
import {
  createReviewUsers,
  frameworkInReview,
  startReviewServer,
  storedLayer as storedLayerOf,
} from '../../server/collab/testing/review-fixture';
import {
  stopTestServer,
  type TestServer,
  type TestUser,
} from '../../server/collab/testing/test-support';

const quiet = pino({ level: 'silent' });

describe.each(testDatabaseConfigs())('delegations act for themselves on $name', ({ config }) => {
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

  /**
   * A framework in review with France, Poland and Estonia as parties: the editor speaks for
   * France, the commenter and the viewer for Poland, the owner (the chair) for none.
   */
  async function setup() {
    const found = await frameworkInReview(handle.db, server, { owner, editor, commenter, viewer });
    await server.collab.live.write(found.frameworkId, (doc, origin) => {
      addParty(doc, 'France', origin);
      addParty(doc, 'Estonia', origin);
    });
    const delegate = (userId: string, delegation: string) =>
      setMemberDelegation(handle.db, { workspaceId: found.workspaceId, userId, delegation });
    await delegate(editor.id, 'France');
    await delegate(commenter.id, 'Poland');
    await delegate(viewer.id, 'Poland');
    const layer = () =>
      server.collab.live.read(found.frameworkId, (doc) => readLayerView(doc, found.layerId));
    return { ...found, layer };
  }
  const live = () => server.collab.live;

  it('lets only a delegation state its own stance, and the chair enter one on its behalf', async () => {
    const { frameworkId, layerId, target, layer } = await setup();
    const state = (userId: string, party: string, stance: string | null = 'support') =>
      statePositionAs(handle.db, live(), userId, target, { layerId, party, stance, note: 'n' });

    // A Polish delegate cannot record France's stance; a viewer of Poland cannot record Poland's.
    await expect(state(commenter.id, 'france', 'oppose')).rejects.toMatchObject({
      kind: 'forbidden',
    });
    await expect(state(viewer.id, 'poland')).rejects.toMatchObject({ kind: 'forbidden' });
    // A commenter speaks for Poland (a delegation's act, not a text edit).
    await state(commenter.id, 'poland', 'reserve');
    await state(editor.id, 'france', 'no_objection');
    // The chair enters Estonia's stance, announced orally.
    expect(await state(owner.id, 'estonia', 'support')).toEqual({ chair: true });
    await expect(state(owner.id, 'russia')).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(
      statePositionAs(handle.db, live(), editor.id, target, {
        layerId,
        party: 'france',
        stance: 'maybe',
      }),
    ).rejects.toMatchObject({ kind: 'bad_request' });

    const positions = (await layer())!.positions;
    expect(positions.poland).toMatchObject({
      stance: 'reserve',
      statedBy: { by: commenter.id, name: 'Commenter', chair: false },
    });
    expect(positions.france).toMatchObject({ stance: 'no_objection', statedBy: { by: editor.id } });
    expect(positions.estonia).toMatchObject({
      stance: 'support',
      statedBy: { by: owner.id, name: 'Owner', chair: true },
    });
    const events = await listReviewEvents(handle.db, frameworkId);
    expect(events.map((e) => [e.kind, e.actorId, e.details.party, e.details.chair])).toEqual([
      ['position.stated', owner.id, 'estonia', true],
      ['position.stated', editor.id, 'france', false],
      ['position.stated', commenter.id, 'poland', false],
    ]);
    // What was stored is what the rules let through.
    expect(
      Object.keys((await storedLayerOf(handle.db, server, frameworkId, layerId))!.positions).sort(),
    ).toEqual(['estonia', 'france', 'poland']);
  });

  it('refuses stances, edits and objections that do not belong to the actor while a silence runs', async () => {
    const { layerId, target, layer } = await setup();
    await startSilenceAs(handle.db, live(), owner.id, target, {
      layerId,
      until: new Date(Date.now() + 60_000).toISOString(),
    });
    await expect(
      statePositionAs(handle.db, live(), editor.id, target, {
        layerId,
        party: 'france',
        stance: 'support',
      }),
    ).rejects.toMatchObject({ kind: 'conflict', message: expect.stringContaining('silence') });
    // Breaking silence for a delegation one does not belong to, or as a viewer: refused.
    await expect(
      breakSilenceAs(handle.db, live(), commenter.id, target, {
        layerId,
        party: 'france',
        reason: 'Paris objects',
      }),
    ).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(
      breakSilenceAs(handle.db, live(), viewer.id, target, { layerId, reason: 'We object' }),
    ).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(
      breakSilenceAs(handle.db, live(), owner.id, target, { layerId, reason: 'The chair objects' }),
    ).rejects.toMatchObject({ kind: 'forbidden' });
    expect((await layer())!.statusDetail.silence?.broken).toBeUndefined();

    await breakSilenceAs(handle.db, live(), commenter.id, target, {
      layerId,
      reason: 'Warsaw objects',
    });
    expect((await layer())!.statusDetail.silence?.broken).toMatchObject({
      party: 'poland',
      by: commenter.id,
      name: 'Commenter',
    });
    // Silence broken: the delegation may state its stance again.
    await statePositionAs(handle.db, live(), editor.id, target, {
      layerId,
      party: 'france',
      stance: 'support',
    });
  });

  it('confirms ad referendum capital by capital, once each, then the layer is agreed', async () => {
    const { frameworkId, layerId, target, layer } = await setup();
    await changeLayerStatusAs(handle.db, live(), owner.id, target, {
      layerId,
      status: 'agreed_ad_ref',
      confirmBy: '2030-01-01T00:00:00Z',
      confirmers: ['france', 'poland'],
    });
    const confirm = (userId: string, party?: string) =>
      confirmAdReferendumAs(handle.db, live(), userId, target, { layerId, party });

    await expect(confirm(commenter.id, 'france')).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(confirm(viewer.id)).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(confirm(owner.id)).rejects.toMatchObject({ kind: 'forbidden' });
    expect(await confirm(commenter.id)).toEqual({ agreed: false, pending: ['france'] });
    await expect(confirm(commenter.id)).rejects.toMatchObject({ kind: 'conflict' });
    // The chair cannot short-cut the capitals.
    await expect(
      changeLayerStatusAs(handle.db, live(), owner.id, target, { layerId, status: 'agreed' }),
    ).rejects.toMatchObject({ kind: 'conflict', message: expect.stringContaining('france') });
    expect(await confirm(editor.id)).toEqual({ agreed: true, pending: [] });

    const state = await live().read(frameworkId, (doc) => readLayerReviewState(doc, layerId));
    expect(state?.status).toBe('agreed');
    expect(Object.keys(state!.statusDetail.adReferendum!.confirmed).sort()).toEqual([
      'france',
      'poland',
    ]);
    expect((await layer())!.status).toBe('agreed');
    const kinds = (await listReviewEvents(handle.db, frameworkId)).map((e) => [
      e.kind,
      e.details.party ?? e.details.to,
    ]);
    expect(kinds.slice(0, 3)).toEqual([
      ['status.changed', 'agreed'],
      ['adref.confirmed', 'france'],
      ['adref.confirmed', 'poland'],
    ]);
  });

  it('flags an overdue confirmation once, in the activity feed and the inboxes of the late delegation and the owners', async () => {
    const { frameworkId, layerId, target } = await setup();
    await changeLayerStatusAs(handle.db, live(), owner.id, target, {
      layerId,
      status: 'agreed_ad_ref',
      confirmBy: new Date(Date.now() + 60_000).toISOString(),
      confirmers: ['france', 'poland'],
    });
    await confirmAdReferendumAs(handle.db, live(), editor.id, target, { layerId });
    const mine = async (userId: string) =>
      (await overdueConfirmationsFor(handle.db, userId)).filter(
        (r) => r.frameworkId === frameworkId,
      );
    expect(await mine(owner.id)).toEqual([]);

    const later = new Date(Date.now() + 120_000);
    await expireDueSilences(handle.db, live(), quiet, later);
    await expireDueSilences(handle.db, live(), quiet, later);
    const overdue = (await listReviewEvents(handle.db, frameworkId)).filter(
      (e) => e.kind === 'adref.overdue',
    );
    expect(overdue.map((e) => e.details.pending)).toEqual([['poland']]);
    expect(await mine(owner.id)).toMatchObject([
      { layerId, pending: ['poland'], mine: false, partyNames: { poland: 'Poland' } },
    ]);
    expect(await mine(commenter.id)).toMatchObject([{ layerId, mine: true }]);
    // France has confirmed: nothing to chase for its delegate.
    expect(await mine(editor.id)).toEqual([]);

    // Once agreed, it leaves every inbox.
    await confirmAdReferendumAs(handle.db, live(), commenter.id, target, { layerId });
    expect(await mine(owner.id)).toEqual([]);
  });
});
