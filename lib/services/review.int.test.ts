import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { DatabaseHandle } from '../../db/client';
import { listReviewEvents } from '../../db/queries/review';
import { setMemberDelegation } from '../../db/queries/workspaces';
import { openTestDatabase, refuseReviewEventsOf, testDatabaseConfigs } from '../../db/testing';
import { getNarrativeFragment, readLayerReviewState, setPosition } from '../framework';
import { breakSilenceAs, changeLayerStatusAs, startSilenceAs } from './review';
import { expireDueSilences } from './silence-scheduler';
import pino from 'pino';
import {
  createReviewUsers,
  frameworkInReview,
  startReviewServer,
  storedLayer as storedLayerOf,
} from '../../server/collab/testing/review-fixture';
import {
  stopTestServer,
  waitFor,
  type TestServer,
  type TestUser,
} from '../../server/collab/testing/test-support';

const quiet = pino({ level: 'silent' });

describe.each(testDatabaseConfigs())(
  'review workflow (status, silence) through the live document on $name',
  ({ config }) => {
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
        const text = (getNarrativeFragment(doc, layerId)!.get(0) as Y.XmlElement).get(
          0,
        ) as Y.XmlText;
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
        const text = (getNarrativeFragment(doc, layerId)!.get(0) as Y.XmlElement).get(
          0,
        ) as Y.XmlText;
        text.format(0, text.length, { bracket: null });
      });
      await expect(agree()).rejects.toMatchObject({
        kind: 'conflict',
        message: /Opposed by poland/,
      });
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
      await expireDueSilences(handle.db, server.collab.live, quiet);
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
      await expireDueSilences(handle.db, server.collab.live, quiet);
      const state = await server.collab.live.read(frameworkId, (doc) =>
        readLayerReviewState(doc, layerId),
      );
      expect(state?.status).toBe('in_review');
      expect(state?.statusDetail.silence?.broken).toMatchObject({
        by: commenter.id,
        name: 'Commenter',
        party: 'poland',
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
        await expireDueSilences(handle.db, server.collab.live, quiet);
        const state = await server.collab.live.read(frameworkId, (doc) =>
          readLayerReviewState(doc, layerId),
        );
        expect(state?.status).toBe('in_review');
        expect(state?.statusDetail.silence?.until).toBeDefined();
      } finally {
        await allowEvents();
      }
      await expireDueSilences(handle.db, server.collab.live, quiet);
      expect((await storedLayer(frameworkId, layerId))?.status).toBe('agreed');
      const kinds = (await listReviewEvents(handle.db, frameworkId)).map((e) => e.kind);
      expect(kinds).toEqual(['silence.expired', 'silence.started']);
    });
  },
);
