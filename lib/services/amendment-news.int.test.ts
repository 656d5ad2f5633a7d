import { describe, expect, it } from 'vitest';
import { removeMemberKeepingAnOwner, setMemberDelegation } from '../../db/queries/workspaces';
import { testDatabaseConfigs } from '../../db/testing';
import { createTestFramework, type TestUser } from '../../server/collab/testing/test-support';
import {
  addLayer,
  addParty,
  anchorOfQuote,
  initialiseFromTemplate,
  setLayerField,
  setNarrative,
} from '../framework';
import { amendmentNewsOf } from './amendment-news';
import { actOnAmendmentAs, tableCompromiseAs, tableAmendmentAs } from './amendments';
import { useServiceFixture } from './testing/fixtures';

describe.each(testDatabaseConfigs())('amendments in the inbox on $name', ({ config }) => {
  const fx = useServiceFixture(config, {
    servers: { server: {} },
    users: { owner: 'Olga', france: 'Jeanne', poland: 'Piotr', estonia: 'Kadri', outsider: 'Otto' },
  });
  const live = () => fx.server.collab.live;

  /** France leads the air layer; Poland and Estonia are delegations too. */
  async function setup() {
    const target = await createTestFramework(fx.db, fx.owner, [
      [fx.france, 'editor'],
      [fx.poland, 'commenter'],
      [fx.estonia, 'commenter'],
    ]);
    for (const [user, delegation] of [
      [fx.france, 'France'],
      [fx.poland, 'Poland'],
      [fx.estonia, 'Estonia'],
    ] as const) {
      await setMemberDelegation(fx.db, { ...target, userId: user.id, delegation });
    }
    const layerId = await live().write(target.frameworkId, (doc, origin) => {
      initialiseFromTemplate(doc, 'blank');
      const france = addParty(doc, 'France', origin);
      addParty(doc, 'Poland', origin);
      addParty(doc, 'Estonia', origin);
      const id = addLayer(doc, 'air', { title: 'Air policing' }, origin);
      setLayerField(doc, id, 'lead', france, origin);
      setNarrative(
        doc,
        id,
        [
          {
            type: 'paragraph',
            content: [
              { type: 'text', text: 'Guarantors respond within 7 days and patrol.', marks: [] },
            ],
          },
        ],
        origin,
      );
      return id;
    });
    const table = async (user: TestUser, quote: string, proposedText: string) => {
      const anchor = await live().read(target.frameworkId, (doc) =>
        anchorOfQuote(doc, layerId, quote),
      );
      return tableAmendmentAs(fx.db, live(), user.id, target, {
        layerId,
        target: { kind: 'passage', anchor },
        proposedText,
        justification: 'Because.',
      });
    };
    const act = (user: TestUser, amendmentId: string, action: object) =>
      actOnAmendmentAs(fx.db, live(), user.id, { ...target, amendmentId }, action);
    const news = async (user: TestUser) =>
      (await amendmentNewsOf(fx.db, user.id)).filter((n) => n.frameworkId === target.frameworkId);
    return { target, table, act, news };
  }

  it('tells the lead delegation of an amendment tabled to its layer, never the one tabling', async () => {
    const { target, table, news } = await setup();
    const tabled = await table(fx.poland, '7 days', '72 hours');
    expect(await news(fx.france)).toEqual([
      expect.objectContaining({
        reason: 'tabled_to_lead',
        amendmentId: tabled.id,
        number: tabled.number,
        partyName: 'Poland',
        proposedText: '72 hours',
        actorName: 'Piotr',
        workspaceId: target.workspaceId,
      }),
    ]);
    expect(await news(fx.poland)).toEqual([]);
    expect(await news(fx.estonia)).toEqual([]);
    expect(await news(fx.outsider)).toEqual([]);
    // France's own amendment to its own layer is no news to France.
    await table(fx.france, 'patrol', 'patrol the airspace');
    expect((await news(fx.france)).map((n) => n.proposedText)).toEqual(['72 hours']);
  });

  it("tells the tabling and co-sponsoring delegations of the chair's decision, with the reason", async () => {
    const { table, act, news } = await setup();
    const rejected = await table(fx.poland, '7 days', '72 hours');
    await act(fx.estonia, rejected.id, { action: 'cosponsor' });
    await act(fx.owner, rejected.id, { action: 'reject', reason: 'Too fast for <capitals>.' });
    const decided = (n: { reason: string }) => n.reason === 'decided';
    const toPoland = (await news(fx.poland)).filter(decided);
    expect(toPoland).toEqual([
      expect.objectContaining({
        amendmentId: rejected.id,
        status: 'rejected',
        decisionReason: 'Too fast for <capitals>.',
        actorName: 'Olga',
      }),
    ]);
    expect((await news(fx.estonia)).filter(decided)).toHaveLength(1);
    // France leads the layer (told of the tabling) but neither tabled nor co-sponsors it.
    expect((await news(fx.france)).filter(decided)).toEqual([]);
    // The chair's own decisions are not news to the chair.
    expect(await news(fx.owner)).toEqual([]);

    const accepted = await table(fx.poland, 'patrol', 'patrol the airspace');
    await act(fx.owner, accepted.id, { action: 'accept' });
    expect((await news(fx.poland)).filter(decided).map((n) => [n.number, n.status])).toEqual([
      [accepted.number, 'accepted'],
      [rejected.number, 'rejected'],
    ]);
  });

  it("tells the sources' delegations that they were merged into a compromise", async () => {
    const { target, table, news } = await setup();
    const first = await table(fx.poland, '7 days', '72 hours');
    const second = await table(fx.estonia, '7 days', '48 hours');
    await tableCompromiseAs(fx.db, live(), fx.owner.id, target, {
      sources: [first.number, second.number],
      proposedText: '60 hours',
      justification: 'Between the two.',
    });
    for (const [user, source] of [
      [fx.poland, first],
      [fx.estonia, second],
    ] as const) {
      expect((await news(user)).filter((n) => n.reason === 'decided')).toEqual([
        expect.objectContaining({ amendmentId: source.id, status: 'superseded' }),
      ]);
    }
    // The compromise keeps the layer's lead: France is told of it as of the two sources.
    expect((await news(fx.france)).map((n) => n.proposedText).sort()).toEqual([
      '48 hours',
      '60 hours',
      '72 hours',
    ]);
  });

  it('says nothing about a group the member has left', async () => {
    const { target, table, news } = await setup();
    await table(fx.poland, '7 days', '72 hours');
    expect(await news(fx.france)).toHaveLength(1);
    await removeMemberKeepingAnOwner(fx.db, { ...target, userId: fx.france.id });
    expect(await news(fx.france)).toEqual([]);
  });
});
