import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/client';
import { listAudit } from '../../db/queries/audit';
import { listReviewEvents } from '../../db/queries/review';
import { addMember } from '../../db/queries/workspaces';
import { openTestDatabase, testDatabaseConfigs } from '../../db/testing';
import type { ReviewRefusal } from '../collab/protocol';
import { onReviewMessages } from '../collab/review-messages';
import { addLayer, readLayerReviewState, readPackages, setLayerField } from '../framework';
import { loadDocumentState } from '../../server/collab/hooks/persistence/persistence';
import {
  createReviewUsers,
  frameworkInReview,
  startReviewServer,
} from '../../server/collab/testing/review-fixture';
import {
  connectProvider,
  createTestUser,
  stopTestServer,
  waitFor,
  waitForSync,
  type TestServer,
  type TestUser,
} from '../../server/collab/testing/test-support';
import { agreePackageAs, createPackageAs, packageNewsOf, reopenPackageAs } from './packages';
import { changeLayerStatusAs } from './review';

describe.each(testDatabaseConfigs())('packages on $name', ({ config }) => {
  let handle: DatabaseHandle;
  let server: TestServer;
  let owner: TestUser;
  let editor: TestUser;
  let commenter: TestUser;
  let viewer: TestUser;
  let secondOwner: TestUser;

  beforeAll(async () => {
    handle = await openTestDatabase(config);
    server = await startReviewServer(handle.db);
    ({ owner, editor, commenter, viewer } = await createReviewUsers(handle.db));
    secondOwner = await createTestUser(handle.db, 'Second owner');
  });
  afterAll(async () => {
    await stopTestServer(server);
    await handle.close();
  });

  const live = () => server.collab.live;

  /** A framework with three layers in review. */
  async function setup() {
    const found = await frameworkInReview(handle.db, server, { owner, editor, commenter, viewer });
    await addMember(handle.db, {
      workspaceId: found.workspaceId,
      userId: secondOwner.id,
      role: 'owner',
    });
    const more = await live().write(found.frameworkId, (doc, origin) =>
      ['Presence', 'Triggers'].map((title) => {
        const id = addLayer(doc, 'presence', { title }, origin);
        setLayerField(doc, id, 'status', 'in_review', origin);
        return id;
      }),
    );
    const layerIds = [found.layerId, ...more];
    const statuses = () =>
      live().read(found.frameworkId, (doc) =>
        layerIds.map((id) => readLayerReviewState(doc, id)!.status),
      );
    const packages = () => live().read(found.frameworkId, (doc) => readPackages(doc));
    const agreeInPackage = (layerId: string, userId = owner.id) =>
      changeLayerStatusAs(handle.db, live(), userId, found.target, {
        layerId,
        status: 'agreed_in_package',
      });
    return { ...found, layerIds, statuses, packages, agreeInPackage };
  }

  it('refuses a package holding a layer of another framework, or an unknown layer', async () => {
    const a = await setup();
    const b = await setup();
    await expect(
      createPackageAs(handle.db, live(), owner.id, a.target, {
        name: 'Cross',
        layerIds: [a.layerIds[0], b.layerIds[0]],
      }),
    ).rejects.toMatchObject({ kind: 'not_found' });
    await expect(
      createPackageAs(handle.db, live(), owner.id, a.target, {
        name: 'Ghost',
        layerIds: [a.layerIds[0], 'no-such-layer'],
      }),
    ).rejects.toMatchObject({ kind: 'not_found' });
    expect(await a.packages()).toEqual([]);
    expect(await b.packages()).toEqual([]);
    const events = await listReviewEvents(handle.db, a.frameworkId);
    expect(events.filter((e) => e.kind.startsWith('package.'))).toEqual([]);
  });

  it('lets only owners create or agree a package', async () => {
    const s = await setup();
    for (const user of [editor, commenter, viewer]) {
      await expect(
        createPackageAs(handle.db, live(), user.id, s.target, {
          name: 'Mine',
          layerIds: s.layerIds,
        }),
      ).rejects.toMatchObject({ kind: 'forbidden' });
    }
    expect(await s.packages()).toEqual([]);
    const pkg = await createPackageAs(handle.db, live(), owner.id, s.target, {
      name: 'Four legs',
      layerIds: s.layerIds,
    });
    for (const id of s.layerIds) await s.agreeInPackage(id);
    await expect(
      agreePackageAs(handle.db, live(), editor.id, s.target, { packageId: pkg.id }),
    ).rejects.toMatchObject({ kind: 'forbidden' });
    // An editor may not agree a layer in package either.
    expect(await s.statuses()).toEqual(Array(3).fill('agreed_in_package'));
  });

  it('refuses to agree a package with a layer not agreed in package; then agrees it in one event', async () => {
    const s = await setup();
    const pkg = await createPackageAs(handle.db, live(), owner.id, s.target, {
      name: 'Air for presence',
      layerIds: s.layerIds,
    });
    await s.agreeInPackage(s.layerIds[0]!);
    await s.agreeInPackage(s.layerIds[1]!);
    await expect(
      agreePackageAs(handle.db, live(), owner.id, s.target, { packageId: pkg.id }),
    ).rejects.toMatchObject({ kind: 'conflict' });
    expect(await s.statuses()).toEqual(['agreed_in_package', 'agreed_in_package', 'in_review']);
    // A packaged layer is never agreed alone.
    await expect(
      changeLayerStatusAs(handle.db, live(), owner.id, s.target, {
        layerId: s.layerIds[2],
        status: 'agreed',
      }),
    ).rejects.toMatchObject({ kind: 'conflict' });

    await s.agreeInPackage(s.layerIds[2]!);
    await agreePackageAs(handle.db, live(), owner.id, s.target, { packageId: pkg.id });
    expect(await s.statuses()).toEqual(['agreed', 'agreed', 'agreed']);
    const events = await listReviewEvents(handle.db, s.frameworkId);
    const agreed = events.filter((e) => e.kind === 'package.agreed');
    expect(agreed).toHaveLength(1);
    expect(agreed[0]!.details).toMatchObject({ name: 'Air for presence', layerIds: s.layerIds });
    const audit = await listAudit(handle.db, s.workspaceId);
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['package.created', 'package.agreed']),
    );

    // Stored as the live document has it.
    await waitFor(() => !server.collab.registry.documents.has(s.frameworkId), 5_000);
    const { doc } = await loadDocumentState(handle.db, s.frameworkId);
    expect(readPackages(doc)[0]!.agreed?.by).toBe(owner.id);
  });

  it('undoes a raw client write to the packages and reports it; nothing is stored', async () => {
    const s = await setup();
    const crafty = connectProvider(server, s.frameworkId, owner);
    const watcher = connectProvider(server, s.frameworkId, editor);
    const refusals: ReviewRefusal[] = [];
    onReviewMessages(crafty, { onRefused: (r) => refusals.push(...r) });
    await Promise.all([waitForSync(crafty), waitForSync(watcher)]);
    // What a modified client can do: write the server-owned record straight into the document.
    crafty.doc.getMap('framework').set('packages', {
      rogue: {
        id: 'rogue',
        name: 'Rogue',
        layerIds: s.layerIds,
        created: { by: owner.id, at: new Date().toISOString() },
        agreed: { by: owner.id, at: new Date().toISOString() },
      },
    });
    await waitFor(() => refusals.length > 0);
    expect(refusals[0]).toMatchObject({ code: 'server_owned' });
    await waitFor(() => readPackages(crafty.doc).length === 0);
    expect(readPackages(watcher.doc)).toEqual([]);
    expect(await s.packages()).toEqual([]);
    crafty.destroy();
    watcher.destroy();
    await waitFor(() => !server.collab.registry.documents.has(s.frameworkId), 5_000);
    const { doc } = await loadDocumentState(handle.db, s.frameworkId);
    expect(readPackages(doc)).toEqual([]);
  });

  it('keeps a consistent state when two owners agree and reopen at once', async () => {
    for (let round = 0; round < 4; round++) {
      const s = await setup();
      const pkg = await createPackageAs(handle.db, live(), owner.id, s.target, {
        name: `Round ${round}`,
        layerIds: s.layerIds,
      });
      for (const id of s.layerIds) await s.agreeInPackage(id);
      // Round 0-1: one owner agrees while the other reopens a layer (still agreed in package).
      // Round 2-3: the package is agreed; one owner reopens while the other agrees again.
      if (round >= 2) {
        await agreePackageAs(handle.db, live(), owner.id, s.target, { packageId: pkg.id });
      }
      const agree = agreePackageAs(handle.db, live(), owner.id, s.target, { packageId: pkg.id });
      const reopen =
        round < 2
          ? changeLayerStatusAs(handle.db, live(), secondOwner.id, s.target, {
              layerId: s.layerIds[1],
              status: 'in_review',
            })
          : reopenPackageAs(handle.db, live(), secondOwner.id, s.target, {
              packageId: pkg.id,
              layerId: s.layerIds[1],
              reason: 'Poland asks for 48 hours',
            });
      const [agreed, reopened] = await Promise.allSettled(
        round % 2 === 0 ? [agree, reopen] : [agree, reopen].reverse(),
      ).then((r) => (round % 2 === 0 ? r : r.reverse()));
      const statuses = await s.statuses();
      const [current] = await s.packages();
      if (round >= 2) {
        // Agreeing twice is refused; the reopen always lands.
        expect(agreed!.status).toBe('rejected');
        expect(reopened!.status).toBe('fulfilled');
      } else {
        // Exactly one of them wins, whichever ran first on the live document.
        expect([agreed!.status, reopened!.status].sort()).toEqual(['fulfilled', 'rejected']);
      }
      const packageAgreed = current!.agreed !== undefined;
      if (packageAgreed) {
        expect(statuses).toEqual(['agreed', 'agreed', 'agreed']);
      } else {
        expect(statuses).toEqual(['agreed_in_package', 'in_review', 'agreed_in_package']);
      }
      const events = await listReviewEvents(handle.db, s.frameworkId);
      const agreements = events.filter((e) => e.kind === 'package.agreed').length;
      expect(agreements).toBe(round >= 2 ? 1 : packageAgreed ? 1 : 0);
    }
  });

  it("lists a package agreed and reopened in a member's inbox, not in an outsider's", async () => {
    const s = await setup();
    const pkg = await createPackageAs(handle.db, live(), owner.id, s.target, {
      name: 'Inbox legs',
      layerIds: s.layerIds,
    });
    for (const id of s.layerIds) await s.agreeInPackage(id);
    await agreePackageAs(handle.db, live(), owner.id, s.target, { packageId: pkg.id });
    await reopenPackageAs(handle.db, live(), owner.id, s.target, {
      packageId: pkg.id,
      layerId: s.layerIds[0],
      reason: 'Romania asks for basing terms',
    });
    const news = (await packageNewsOf(handle.db, editor.id)).filter(
      (e) => e.frameworkId === s.frameworkId,
    );
    expect(news.map((e) => e.kind)).toEqual(['package.reopened', 'package.agreed']);
    expect(news[0]!.details).toMatchObject({ reason: 'Romania asks for basing terms' });
    const outsider = await createTestUser(handle.db, 'Outsider');
    expect(await packageNewsOf(handle.db, outsider.id)).toEqual([]);
  });
});
