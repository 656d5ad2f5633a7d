import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deleteFramework } from '../../db/queries/frameworks';
import { removeMemberKeepingAnOwner } from '../../db/queries/workspaces';
import { testDatabaseConfigs } from '../../db/testing';
import { createTestFramework } from '../../server/collab/testing/test-support';
import { MAX_OFFLINE_COPIES_ASKED, offlineCopiesToKeep } from './offline-copies';
import { useServiceFixture } from './testing/fixtures';

describe.each(testDatabaseConfigs())('offline copies to keep on $name', ({ config }) => {
  const fx = useServiceFixture(config, {
    users: { owner: 'Owner', member: 'Member', outsider: 'Outsider' },
  });

  it('keeps the copies of frameworks I may read, and drops removed, deleted and foreign ones', async () => {
    const kept = await createTestFramework(fx.db, fx.owner, [[fx.member, 'viewer']]);
    const removed = await createTestFramework(fx.db, fx.owner, [[fx.member, 'editor']]);
    const deleted = await createTestFramework(fx.db, fx.owner, [[fx.member, 'editor']]);
    const foreign = await createTestFramework(fx.db, fx.outsider);
    expect(
      await removeMemberKeepingAnOwner(fx.db, {
        workspaceId: removed.workspaceId,
        userId: fx.member.id,
      }),
    ).toBe('removed');
    await deleteFramework(fx.db, deleted.frameworkId);
    const asked = [kept, removed, deleted, foreign].map((t) => t.frameworkId);
    expect(
      await offlineCopiesToKeep(fx.db, fx.member.id, {
        frameworkIds: [...asked, randomUUID(), kept.frameworkId],
      }),
    ).toEqual([kept.frameworkId]);
    expect(await offlineCopiesToKeep(fx.db, fx.member.id, { frameworkIds: [] })).toEqual([]);
  });

  it('refuses malformed and oversized questions', async () => {
    for (const input of [
      {},
      { frameworkIds: ['not-a-uuid'] },
      { frameworkIds: Array.from({ length: MAX_OFFLINE_COPIES_ASKED + 1 }, () => randomUUID()) },
    ]) {
      await expect(offlineCopiesToKeep(fx.db, fx.member.id, input)).rejects.toMatchObject({
        kind: 'bad_request',
      });
    }
  });
});
