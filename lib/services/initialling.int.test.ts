import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { listAudit } from '../../db/queries/audit';
import { listReviewEvents } from '../../db/queries/review';
import { setMemberDelegation } from '../../db/queries/workspaces';
import { overwriteVersionState, testDatabaseConfigs } from '../../db/testing';
import { createTestFramework } from '../../server/collab/testing/test-support';
import {
  addLayer,
  addParty,
  createFrameworkDoc,
  initialiseFromTemplate,
  readFramework,
  setNarrative,
} from '../framework';
import { contentHash } from '../framework/canonical';
import { exportFrameworkAs } from './export';
import {
  freezeVersionAs,
  initialVersionAs,
  overdueInitialsFor,
  readInitiallingAs,
} from './initialling';
import { kindOf, useServiceFixture } from './testing/fixtures';
import { verifyAs } from './verify';
import { saveVersionAs } from './versions';

describe.each(testDatabaseConfigs())(
  'initialled versions on $name',
  ({ config }) => {
    const fx = useServiceFixture(config, {
      servers: { server: {} },
      users: {
        owner: 'Olga Owner',
        france: 'Jeanne Dupont',
        poland: 'Piotr Nowak',
        polishViewer: 'Vera Viewer',
        outsider: 'Otto Outsider',
      },
    });

    /** A framework with France and Poland, their delegates, and a saved version of it. */
    async function setup() {
      const target = await createTestFramework(fx.db, fx.owner, [
        [fx.france, 'editor'],
        [fx.poland, 'commenter'],
        [fx.polishViewer, 'viewer'],
      ]);
      const delegate = (userId: string, delegation: string) =>
        setMemberDelegation(fx.db, { workspaceId: target.workspaceId, userId, delegation });
      await delegate(fx.france.id, 'France');
      await delegate(fx.poland.id, 'Poland');
      await delegate(fx.polishViewer.id, 'Poland');
      const view = await fx.server.collab.live.write(target.frameworkId, (doc, origin) => {
        initialiseFromTemplate(doc, 'blank');
        addParty(doc, 'France', origin);
        addParty(doc, 'Poland', origin);
        const id = addLayer(doc, 'air', { title: 'Air policing' }, origin);
        setNarrative(
          doc,
          id,
          [
            {
              type: 'paragraph',
              content: [{ type: 'text', text: 'Patrols deploy at once.', marks: [] }],
            },
          ],
          origin,
        );
        return readFramework(doc);
      });
      const version = await saveVersionAs(fx.db, fx.server.collab.live, fx.owner.id, target, {
        name: 'Text for initialling',
      });
      return { target, version, hash: contentHash(view) };
    }

    it('freezes a version (owners only, once) with its hash and every party by default', async () => {
      const { target, version, hash } = await setup();
      expect(version.contentHash).toBe(hash);
      expect(await kindOf(freezeVersionAs(fx.db, fx.france.id, target, version.id, {}))).toBe(
        'forbidden',
      );
      expect(
        await kindOf(
          freezeVersionAs(fx.db, fx.owner.id, target, version.id, { parties: ['latvia'] }),
        ),
      ).toBe('bad_request');
      const status = await freezeVersionAs(fx.db, fx.owner.id, target, version.id, {});
      expect(status.frozen).toMatchObject({
        hash,
        intact: true,
        required: [
          { id: 'france', name: 'France' },
          { id: 'poland', name: 'Poland' },
        ],
        initials: [],
        frozenByName: 'Olga Owner',
      });
      expect(await kindOf(freezeVersionAs(fx.db, fx.owner.id, target, version.id, {}))).toBe(
        'conflict',
      );
      const audit = await listAudit(fx.db, target.workspaceId);
      expect(audit.map((a) => a.action)).toContain('version.frozen');
      const events = await listReviewEvents(fx.db, target.frameworkId);
      expect(events.find((e) => e.kind === 'version.frozen')?.details).toMatchObject({ hash });
    });

    it('records each delegation once, by one of its members, with the hash they saw', async () => {
      const { target, version, hash } = await setup();
      const initial = (userId: string, name: string, sent = hash) =>
        initialVersionAs(fx.db, userId, name, target, version.id, { hash: sent });

      // Not frozen yet.
      expect(await kindOf(initial(fx.france.id, 'Jeanne Dupont'))).toBe('conflict');
      await freezeVersionAs(fx.db, fx.owner.id, target, version.id, {});

      // A viewer may not act for Poland; the chair without a delegation may not initial at all;
      // an outsider finds nothing; a bad hash is refused before anything is written.
      expect(await kindOf(initial(fx.polishViewer.id, 'Vera Viewer'))).toBe('forbidden');
      expect(await kindOf(initial(fx.owner.id, 'Olga Owner'))).toBe('forbidden');
      expect(await kindOf(initial(fx.outsider.id, 'Otto Outsider'))).toBe('not_found');
      expect(await kindOf(initial(fx.france.id, 'Jeanne Dupont', 'f'.repeat(64)))).toBe('conflict');
      expect(await kindOf(initial(fx.france.id, 'Jeanne Dupont', 'not a hash'))).toBe(
        'bad_request',
      );

      const afterFrance = await initial(fx.france.id, 'Jeanne Dupont');
      expect(afterFrance.frozen?.initials).toMatchObject([
        { party: 'france', partyName: 'France', name: 'Jeanne Dupont', hash },
      ]);
      expect(afterFrance.frozen?.missing).toEqual([{ id: 'poland', name: 'Poland' }]);
      // Twice for France is refused.
      expect(await kindOf(initial(fx.france.id, 'Jeanne Dupont'))).toBe('conflict');

      const done = await initial(fx.poland.id, 'Piotr Nowak');
      expect(done.frozen?.missing).toEqual([]);
      expect(done.frozen?.initials.map((i) => i.party).sort()).toEqual(['france', 'poland']);
      const events = await listReviewEvents(fx.db, target.frameworkId);
      expect(events.filter((e) => e.kind === 'version.initialled')).toHaveLength(2);
    });

    it('flags missing initials in the inbox after the due date, to owners and that delegation', async () => {
      const { target, version, hash } = await setup();
      await freezeVersionAs(fx.db, fx.owner.id, target, version.id, {
        deadline: '2026-01-01T00:00:00Z',
      });
      await initialVersionAs(fx.db, fx.france.id, 'Jeanne Dupont', target, version.id, { hash });
      const mineOf = async (userId: string) =>
        (await overdueInitialsFor(fx.db, userId)).find((r) => r.versionId === version.id);
      expect(await mineOf(fx.owner.id)).toMatchObject({ missing: ['poland'], mine: false });
      expect(await mineOf(fx.poland.id)).toMatchObject({ missing: ['poland'], mine: true });
      // France has initialled: nothing for its delegate; before the date, nothing for anyone.
      expect(await mineOf(fx.france.id)).toBeUndefined();
      const early = await overdueInitialsFor(fx.db, fx.owner.id, new Date('2025-12-31T00:00:00Z'));
      expect(early.find((r) => r.versionId === version.id)).toBeUndefined();
    });

    it('lets one of two simultaneous freezes, and one of two simultaneous initials, through', async () => {
      const { target, version, hash } = await setup();
      const freezes = await Promise.all(
        [0, 1].map(() => kindOf(freezeVersionAs(fx.db, fx.owner.id, target, version.id, {}))),
      );
      expect(freezes.sort()).toEqual(['conflict', 'resolved']);
      const initials = await Promise.all(
        [0, 1].map(() =>
          kindOf(
            initialVersionAs(fx.db, fx.france.id, 'Jeanne Dupont', target, version.id, { hash }),
          ),
        ),
      );
      expect(initials.sort()).toEqual(['conflict', 'resolved']);
      const status = await readInitiallingAs(fx.db, fx.poland.id, target, version.id);
      expect(status.frozen?.initials).toHaveLength(1);
    });

    it('refuses a delegation that was not asked', async () => {
      const { target, version, hash } = await setup();
      await freezeVersionAs(fx.db, fx.owner.id, target, version.id, { parties: ['france'] });
      expect(
        await kindOf(
          initialVersionAs(fx.db, fx.poland.id, 'Piotr Nowak', target, version.id, { hash }),
        ),
      ).toBe('forbidden');
    });

    it('binds initials to the hash: a version whose state changed is no longer the initialled one', async () => {
      const { target, version, hash } = await setup();
      await freezeVersionAs(fx.db, fx.owner.id, target, version.id, {});
      await initialVersionAs(fx.db, fx.france.id, 'Jeanne Dupont', target, version.id, { hash });
      const other = createFrameworkDoc('blank');
      await overwriteVersionState(fx.db, version.id, Y.encodeStateAsUpdate(other));
      const status = await readInitiallingAs(fx.db, fx.owner.id, target, version.id);
      expect(status.hash).not.toBe(hash);
      expect(status.frozen).toMatchObject({ hash, intact: false });
      expect(
        await kindOf(
          initialVersionAs(fx.db, fx.poland.id, 'Piotr Nowak', target, version.id, { hash }),
        ),
      ).toBe('conflict');
      // The verify page no longer finds the frozen text under that version.
      // (Other tests' frameworks hold the same text, so the same hash: they still match.)
      const matches = (await verifyAs(fx.db, fx.poland.id, { hash })).matches;
      expect(matches.map((m) => m.versionId)).not.toContain(version.id);
    });

    it('verifies an exported copy and a pasted hash, and not a copy with one word changed', async () => {
      const { target, version, hash } = await setup();
      await freezeVersionAs(fx.db, fx.owner.id, target, version.id, {});
      await initialVersionAs(fx.db, fx.france.id, 'Jeanne Dupont', target, version.id, { hash });
      for (const format of ['md', 'html'] as const) {
        const file = await exportFrameworkAs(fx.db, null, fx.poland.id, target, {
          format,
          agreedOnly: false,
          comments: false,
          versionId: version.id,
        });
        const text = Buffer.from(file.bytes).toString('utf8');
        expect(text).toContain(hash);
        expect(text).toContain('Jeanne Dupont');
        const result = await verifyAs(fx.db, fx.poland.id, {
          file: Buffer.from(file.bytes).toString('base64'),
        });
        expect(result).toMatchObject({ checked: 'file', format, hash, problem: null });
        // Every saved version with this text in the caller's groups (other tests made some).
        expect(result.matches.find((m) => m.versionId === version.id)).toMatchObject({
          versionName: 'Text for initialling',
          frameworkId: target.frameworkId,
          initialling: { hash, initials: [{ party: 'france', name: 'Jeanne Dupont' }] },
        });
        const tampered = text.replace('Patrols deploy', 'Patrols withdraw');
        expect(tampered).not.toBe(text);
        const refused = await verifyAs(fx.db, fx.poland.id, {
          file: Buffer.from(tampered).toString('base64'),
        });
        expect(refused).toMatchObject({ problem: 'text_differs', matches: [] });
      }
      const byHash = await verifyAs(fx.db, fx.france.id, { hash: hash.toUpperCase() });
      expect(byHash.matches.map((m) => m.versionId)).toContain(version.id);
      expect((await verifyAs(fx.db, fx.france.id, { hash: '0'.repeat(64) })).matches).toEqual([]);
      // Members only, and only their groups' versions.
      expect(await kindOf(verifyAs(fx.db, fx.outsider.id, { hash }))).toBe('forbidden');
      expect(await kindOf(verifyAs(fx.db, fx.france.id, { hash: 'xyz' }))).toBe('bad_request');
    });
  },
  120_000,
);
