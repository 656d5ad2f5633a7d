import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { listActiveInvites } from '../../db/queries/invites';
import { addMember, findMembership } from '../../db/queries/workspaces';
import { memberships } from '../../db/schema';
import { insertTestUser, testDatabaseConfigs } from '../../db/testing';
import { AppError } from '../errors';
import type { Role } from '../roles';
import { acceptInvite, createInviteLink, INVITE_MESSAGES, previewInvite } from './invites';
import { changeMemberRole, removeMember } from './members';
import { useServiceFixture } from './testing/fixtures';
import { createWorkspaceAs } from './workspaces';

async function messageOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return (error as AppError).message;
}

/** Issue 19, finding 2: an invite link is only as good as its creator's authority now. */
describe.each(testDatabaseConfigs())('invite links and their creator on $name', ({ config }) => {
  const fx = useServiceFixture(config);

  /** A group with two owners; `second` makes a link for `role`. */
  async function linkBySecondOwner(role: Role) {
    const db = fx.db;
    const first = await insertTestUser(db, 'First owner');
    const second = await insertTestUser(db, 'Second owner');
    const ws = await createWorkspaceAs(db, first.id, 'Coalition');
    await addMember(db, { workspaceId: ws.id, userId: second.id, role: 'owner' });
    const link = await createInviteLink(db, second.id, ws.id, {
      role,
      expiresInDays: 7,
      maxUses: 5,
    });
    return { first, second, ws, link };
  }

  it('a link of an owner demoted to viewer no longer lets anyone in', async () => {
    const db = fx.db;
    const { first, second, ws, link } = await linkBySecondOwner('owner');
    await changeMemberRole(db, first.id, { workspaceId: ws.id, userId: second.id, role: 'viewer' });
    const stranger = await insertTestUser(db, 'Stranger');
    expect(await messageOf(acceptInvite(db, stranger.id, link.token))).toBe(
      INVITE_MESSAGES.revoked,
    );
    expect(await findMembership(db, ws.id, stranger.id)).toBeUndefined();
    expect(await previewInvite(db, link.token)).toEqual({ state: 'revoked' });
    // Demoting revoked the link itself, not only its use.
    expect((await listActiveInvites(db, ws.id)).map((i) => i.id)).not.toContain(link.invite.id);
  });

  it('a link of a removed owner no longer lets anyone in', async () => {
    const db = fx.db;
    const { first, second, ws, link } = await linkBySecondOwner('editor');
    await removeMember(db, first.id, { workspaceId: ws.id, userId: second.id });
    const stranger = await insertTestUser(db, 'Stranger');
    expect(await messageOf(acceptInvite(db, stranger.id, link.token))).toBe(
      INVITE_MESSAGES.revoked,
    );
    expect(await findMembership(db, ws.id, stranger.id)).toBeUndefined();
    expect(await listActiveInvites(db, ws.id)).toHaveLength(0);
  });

  it('an owner who leaves takes their links with them', async () => {
    const db = fx.db;
    const { second, ws, link } = await linkBySecondOwner('viewer');
    await removeMember(db, second.id, { workspaceId: ws.id, userId: second.id });
    const stranger = await insertTestUser(db, 'Stranger');
    expect(await messageOf(acceptInvite(db, stranger.id, link.token))).toBe(
      INVITE_MESSAGES.revoked,
    );
  });

  it('accepting re-checks the creator even when the link row was left live', async () => {
    const db = fx.db;
    const { second, ws, link } = await linkBySecondOwner('owner');
    // A role change written past the use case (another instance's older code, a manual fix):
    // the link is still live in the database, and accepting must still refuse it.
    await db
      .update(memberships)
      .set({ role: 'editor' })
      .where(and(eq(memberships.workspaceId, ws.id), eq(memberships.userId, second.id)));
    expect((await listActiveInvites(db, ws.id)).map((i) => i.id)).toContain(link.invite.id);
    const stranger = await insertTestUser(db, 'Stranger');
    expect(await messageOf(acceptInvite(db, stranger.id, link.token))).toBe(
      INVITE_MESSAGES.revoked,
    );
    expect(await findMembership(db, ws.id, stranger.id)).toBeUndefined();
  });

  it('a demotion racing a redemption never deadlocks, and leaves the link dead', async () => {
    const db = fx.db;
    for (let round = 0; round < 5; round++) {
      const { first, second, ws, link } = await linkBySecondOwner('owner');
      const joiner = await insertTestUser(db, 'Racer');
      const [demotion, redemption] = await Promise.allSettled([
        changeMemberRole(db, first.id, { workspaceId: ws.id, userId: second.id, role: 'viewer' }),
        acceptInvite(db, joiner.id, link.token),
      ]);
      expect(demotion.status).toBe('fulfilled');
      // Either the join came first (while the creator was an owner) or it was refused as revoked.
      if (redemption.status === 'rejected') {
        expect((redemption.reason as AppError).message).toBe(INVITE_MESSAGES.revoked);
        expect(await findMembership(db, ws.id, joiner.id)).toBeUndefined();
      } else {
        expect((await findMembership(db, ws.id, joiner.id))?.role).toBe('owner');
      }
      expect((await listActiveInvites(db, ws.id)).map((i) => i.id)).not.toContain(link.invite.id);
    }
  });

  it('a creator still an owner keeps working links', async () => {
    const db = fx.db;
    const { first, ws, link } = await linkBySecondOwner('editor');
    // Another member's role change leaves the second owner's links alone.
    const other = await insertTestUser(db, 'Other');
    await addMember(db, { workspaceId: ws.id, userId: other.id, role: 'editor' });
    await changeMemberRole(db, first.id, { workspaceId: ws.id, userId: other.id, role: 'viewer' });
    const joiner = await insertTestUser(db, 'Joiner');
    expect(await acceptInvite(db, joiner.id, link.token)).toEqual({
      workspaceId: ws.id,
      joined: true,
    });
    expect((await findMembership(db, ws.id, joiner.id))?.role).toBe('editor');
  });
});
