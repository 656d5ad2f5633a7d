import { canInviteAs } from '../../lib/permissions';
import { describe, expect, it } from 'vitest';
import { pingDatabase } from '../client';
import { insertTestUser, testDatabaseConfigs, useTestDatabase } from '../testing';
import { listAudit, recordAudit } from './audit';
import { appendDocumentUpdates, listDocumentUpdates } from './documents';
import {
  createFramework,
  deleteFramework,
  findFramework,
  findFrameworkInWorkspace,
  listFrameworks,
  renameFramework,
  setFrameworkArchived,
} from './frameworks';
import {
  createInvite,
  findInviteByTokenHash,
  listActiveInvites,
  redeemInvite,
  revokeInvite,
} from './invites';
import {
  clearSignInFailures,
  countSignInFailuresSince,
  createAuthSession,
  createUser,
  deleteAuthSession,
  findSessionUser,
  findUserByEmail,
  findUserById,
  pruneSignInFailures,
  recordSignInFailure,
  updateUserName,
} from './users';
import {
  addMember,
  countOwners,
  createWorkspace,
  findMembership,
  findWorkspace,
  listMembers,
  listWorkspacesForUser,
  removeMemberKeepingAnOwner,
  renameWorkspace,
  setMemberDelegation,
  setMemberRoleKeepingAnOwner,
} from './workspaces';

describe.each(testDatabaseConfigs())('query functions on $name', ({ config }) => {
  const fx = useTestDatabase(config);

  it('answers the health ping', async () => {
    expect(await pingDatabase(fx.db)).toBe(true);
  });

  it('creates users, finds them by email case-insensitively, and renames them', async () => {
    const email = `Mixed.Case.${Date.now()}@Example.test`;
    const user = await createUser(fx.db, { email, name: 'Ana', passwordHash: 'h' });
    expect((await findUserByEmail(fx.db, email.toLowerCase()))?.id).toBe(user.id);
    await updateUserName(fx.db, user.id, 'Ana Maria');
    expect((await findUserById(fx.db, user.id))?.name).toBe('Ana Maria');
    await expect(
      createUser(fx.db, { email: email.toUpperCase(), name: 'Dup', passwordHash: 'h' }),
    ).rejects.toThrow();
  });

  it('opens, resolves and revokes sessions, and ignores expired ones', async () => {
    const user = await insertTestUser(fx.db, 'Session Owner');
    const live = await createAuthSession(fx.db, user.id, new Date(Date.now() + 60_000));
    const expired = await createAuthSession(fx.db, user.id, new Date(Date.now() - 1_000));
    expect(await findSessionUser(fx.db, live)).toEqual({
      id: user.id,
      email: user.email,
      name: user.name,
      timeZone: null,
      // A new session counts as seen when it was opened.
      sessionLastSeenAt: expect.any(Date),
    });
    expect(await findSessionUser(fx.db, expired)).toBeUndefined();
    await deleteAuthSession(fx.db, live);
    expect(await findSessionUser(fx.db, live)).toBeUndefined();
  });

  it('counts, clears and prunes sign-in failures per key', async () => {
    const key = `account:${Date.now()}@example.test`;
    const start = new Date(Date.now() - 1000);
    await recordSignInFailure(fx.db, [key, `${key}-other`]);
    await recordSignInFailure(fx.db, [key]);
    const counted = await countSignInFailuresSince(fx.db, key, start);
    expect(counted.count).toBe(2);
    expect(counted.oldest).toBeInstanceOf(Date);
    expect((await countSignInFailuresSince(fx.db, key, new Date(Date.now() + 60_000))).count).toBe(
      0,
    );
    await clearSignInFailures(fx.db, key);
    expect((await countSignInFailuresSince(fx.db, key, start)).count).toBe(0);
    await pruneSignInFailures(fx.db, new Date(Date.now() + 60_000));
    expect((await countSignInFailuresSince(fx.db, `${key}-other`, start)).count).toBe(0);
  });

  it('creates a group with its owner, lists, renames and counts members', async () => {
    const owner = await insertTestUser(fx.db, 'Owner');
    const other = await insertTestUser(fx.db, 'Other');
    const ws = await createWorkspace(fx.db, { name: 'Zulu group', ownerId: owner.id });
    expect((await findMembership(fx.db, ws.id, owner.id))?.role).toBe('owner');
    expect(await addMember(fx.db, { workspaceId: ws.id, userId: other.id, role: 'viewer' })).toBe(
      true,
    );
    expect(await addMember(fx.db, { workspaceId: ws.id, userId: other.id, role: 'editor' })).toBe(
      false,
    );
    expect((await findMembership(fx.db, ws.id, other.id))?.role).toBe('viewer');
    await renameWorkspace(fx.db, ws.id, 'Alpha group');
    expect((await findWorkspace(fx.db, ws.id))?.name).toBe('Alpha group');
    const mine = await listWorkspacesForUser(fx.db, other.id);
    expect(mine).toEqual([expect.objectContaining({ id: ws.id, role: 'viewer', memberCount: 2 })]);
    expect((await listMembers(fx.db, ws.id)).map((m) => m.name)).toEqual(['Other', 'Owner']);
    expect(await countOwners(fx.db, ws.id)).toBe(1);
  });

  it('never demotes or removes the last owner, and reports non-members', async () => {
    const a = await insertTestUser(fx.db, 'A');
    const b = await insertTestUser(fx.db, 'B');
    const stranger = await insertTestUser(fx.db, 'Stranger');
    const ws = await createWorkspace(fx.db, { name: 'Guarded', ownerId: a.id });
    const input = { workspaceId: ws.id, userId: a.id };
    expect(await setMemberRoleKeepingAnOwner(fx.db, { ...input, role: 'editor' })).toBe(
      'last_owner',
    );
    expect(await removeMemberKeepingAnOwner(fx.db, input)).toBe('last_owner');
    expect(
      await setMemberRoleKeepingAnOwner(fx.db, {
        workspaceId: ws.id,
        userId: stranger.id,
        role: 'viewer',
      }),
    ).toBe('not_member');
    expect(
      await removeMemberKeepingAnOwner(fx.db, { workspaceId: ws.id, userId: stranger.id }),
    ).toBe('not_member');

    await addMember(fx.db, { workspaceId: ws.id, userId: b.id, role: 'editor' });
    expect(
      await setMemberRoleKeepingAnOwner(fx.db, {
        workspaceId: ws.id,
        userId: b.id,
        role: 'owner',
      }),
    ).toBe('updated');
    expect(await setMemberRoleKeepingAnOwner(fx.db, { ...input, role: 'commenter' })).toBe(
      'updated',
    );
    expect(await removeMemberKeepingAnOwner(fx.db, { workspaceId: ws.id, userId: b.id })).toBe(
      'last_owner',
    );
    expect(await removeMemberKeepingAnOwner(fx.db, input)).toBe('removed');
    expect(await findMembership(fx.db, ws.id, a.id)).toBeUndefined();
    expect(await countOwners(fx.db, ws.id)).toBe(1);
  });

  it('keeps an owner when two owners demote each other at the same moment', async () => {
    const a = await insertTestUser(fx.db, 'A');
    const b = await insertTestUser(fx.db, 'B');
    const ws = await createWorkspace(fx.db, { name: 'Race', ownerId: a.id });
    await addMember(fx.db, { workspaceId: ws.id, userId: b.id, role: 'owner' });
    const outcomes = await Promise.all([
      setMemberRoleKeepingAnOwner(fx.db, { workspaceId: ws.id, userId: a.id, role: 'editor' }),
      setMemberRoleKeepingAnOwner(fx.db, { workspaceId: ws.id, userId: b.id, role: 'editor' }),
    ]);
    expect(outcomes.sort()).toEqual(['last_owner', 'updated']);
    expect(await countOwners(fx.db, ws.id)).toBe(1);
  });

  it('sets and clears a delegation', async () => {
    const a = await insertTestUser(fx.db, 'A');
    const ws = await createWorkspace(fx.db, { name: 'Delegations', ownerId: a.id });
    expect(
      await setMemberDelegation(fx.db, {
        workspaceId: ws.id,
        userId: a.id,
        delegation: 'France',
      }),
    ).toBe(true);
    expect((await findMembership(fx.db, ws.id, a.id))?.delegation).toBe('France');
    expect(
      await setMemberDelegation(fx.db, { workspaceId: ws.id, userId: a.id, delegation: null }),
    ).toBe(true);
    expect((await findMembership(fx.db, ws.id, a.id))?.delegation).toBeNull();
    const stranger = await insertTestUser(fx.db, 'S');
    expect(
      await setMemberDelegation(fx.db, {
        workspaceId: ws.id,
        userId: stranger.id,
        delegation: 'EU',
      }),
    ).toBe(false);
  });

  it('redeems an invite up to its limit only, and lists and revokes invites', async () => {
    const owner = await insertTestUser(fx.db, 'Owner');
    const ws = await createWorkspace(fx.db, { name: 'Invites', ownerId: owner.id });
    const tokenHash = `hash-${Date.now()}-${Math.random()}`;
    const invite = await createInvite(fx.db, {
      workspaceId: ws.id,
      tokenHash,
      role: 'commenter',
      expiresAt: new Date(Date.now() + 3600_000),
      maxUses: 2,
      createdBy: owner.id,
    });
    expect((await findInviteByTokenHash(fx.db, tokenHash))?.id).toBe(invite.id);
    expect((await listActiveInvites(fx.db, ws.id)).map((i) => i.id)).toEqual([invite.id]);
    const [u1, u2, u3] = await Promise.all(
      [1, 2, 3].map((n) => insertTestUser(fx.db, `Joiner ${n}`)),
    );
    const now = new Date();
    const outcomes = await Promise.all(
      [u1!, u2!, u3!].map((u) =>
        redeemInvite(fx.db, {
          inviteId: invite.id,
          userId: u.id,
          now,
          creatorMayInvite: canInviteAs,
        }),
      ),
    );
    expect(outcomes.filter((o) => o === 'joined')).toHaveLength(2);
    expect(outcomes.filter((o) => o === 'invalid')).toHaveLength(1);
    expect((await findInviteByTokenHash(fx.db, tokenHash))?.uses).toBe(2);
    expect(await listActiveInvites(fx.db, ws.id)).toEqual([]);
    const joined = [u1!, u2!].find((u) => outcomes[[u1!, u2!, u3!].indexOf(u)] === 'joined')!;
    expect(
      await redeemInvite(fx.db, {
        inviteId: invite.id,
        userId: joined.id,
        now,
        creatorMayInvite: canInviteAs,
      }),
    ).toBe('already_member');

    const second = await createInvite(fx.db, {
      workspaceId: ws.id,
      tokenHash: `${tokenHash}-2`,
      role: 'viewer',
      expiresAt: new Date(Date.now() + 3600_000),
      maxUses: 5,
      createdBy: owner.id,
    });
    const other = await createWorkspace(fx.db, { name: 'Other', ownerId: owner.id });
    expect(await revokeInvite(fx.db, { workspaceId: other.id, inviteId: second.id })).toBe(false);
    expect(await revokeInvite(fx.db, { workspaceId: ws.id, inviteId: second.id })).toBe(true);
    const late = await insertTestUser(fx.db, 'Late');
    expect(
      await redeemInvite(fx.db, {
        inviteId: second.id,
        userId: late.id,
        now,
        creatorMayInvite: canInviteAs,
      }),
    ).toBe('invalid');
  });

  it('refuses an expired invite', async () => {
    const owner = await insertTestUser(fx.db, 'Owner');
    const ws = await createWorkspace(fx.db, { name: 'Expired', ownerId: owner.id });
    const invite = await createInvite(fx.db, {
      workspaceId: ws.id,
      tokenHash: `expired-${Date.now()}-${Math.random()}`,
      role: 'viewer',
      expiresAt: new Date(Date.now() - 1000),
      maxUses: 1,
      createdBy: owner.id,
    });
    const user = await insertTestUser(fx.db, 'Late');
    expect(
      await redeemInvite(fx.db, {
        inviteId: invite.id,
        userId: user.id,
        now: new Date(),
        creatorMayInvite: canInviteAs,
      }),
    ).toBe('invalid');
    expect(await findMembership(fx.db, ws.id, user.id)).toBeUndefined();
  });

  it('creates, scopes, renames, archives and deletes frameworks', async () => {
    const owner = await insertTestUser(fx.db, 'Owner');
    const ws = await createWorkspace(fx.db, { name: 'Frameworks', ownerId: owner.id });
    const other = await createWorkspace(fx.db, { name: 'Elsewhere', ownerId: owner.id });
    const f = await createFramework(fx.db, {
      workspaceId: ws.id,
      title: 'Draft',
      template: 'blank',
      createdBy: owner.id,
    });
    expect((await findFramework(fx.db, f.id))?.title).toBe('Draft');
    expect(await findFrameworkInWorkspace(fx.db, other.id, f.id)).toBeUndefined();
    await renameFramework(fx.db, f.id, 'Draft 2');
    const listed = await listFrameworks(fx.db, ws.id, { archived: false });
    expect(listed).toEqual([
      expect.objectContaining({ id: f.id, title: 'Draft 2', createdByName: 'Owner' }),
    ]);
    await setFrameworkArchived(fx.db, f.id, true);
    expect(await listFrameworks(fx.db, ws.id, { archived: false })).toEqual([]);
    expect((await listFrameworks(fx.db, ws.id, { archived: true })).map((x) => x.id)).toEqual([
      f.id,
    ]);
    await deleteFramework(fx.db, f.id);
    expect(await findFramework(fx.db, f.id)).toBeUndefined();
  });

  it('appends log rows of several documents in one statement, bytes exact, ids in order', async () => {
    const owner = await insertTestUser(fx.db, 'Logger');
    const ws = await createWorkspace(fx.db, { name: 'Logs', ownerId: owner.id });
    const newFramework = async () =>
      (
        await createFramework(fx.db, {
          workspaceId: ws.id,
          title: 'Log',
          template: 'blank',
          createdBy: owner.id,
        })
      ).id;
    const [a, b] = [await newFramework(), await newFramework()];
    // Bytes that an escaping slip would change: NUL, backslash, quote, comma, brace, 0xff.
    const tricky = new Uint8Array([0, 92, 34, 44, 123, 125, 255, 0]);
    const rows = [
      { frameworkId: a, userId: owner.id, update: tricky },
      { frameworkId: b, userId: null, update: new Uint8Array([1]) },
      { frameworkId: a, userId: null, update: new Uint8Array(70_000).fill(7) },
    ];
    const ids = await appendDocumentUpdates(fx.db, rows);
    expect(ids).toHaveLength(3);
    expect([...ids].sort((x, y) => x - y)).toEqual(ids);
    const logA = await listDocumentUpdates(fx.db, a);
    expect(logA.map((r) => r.id)).toEqual([ids[0], ids[2]]);
    expect(Buffer.from(logA[0]!.update)).toEqual(Buffer.from(tricky));
    expect(Buffer.from(logA[1]!.update)).toEqual(Buffer.from(rows[2]!.update));
    expect((await listDocumentUpdates(fx.db, b)).map((r) => [...r.update])).toEqual([[1]]);
    // Another row count is the same statement; an empty list writes nothing.
    expect(await appendDocumentUpdates(fx.db, [rows[1]!])).toHaveLength(1);
    expect(await appendDocumentUpdates(fx.db, [])).toEqual([]);
  });

  it('records audit entries with the names of actor and member, newest first', async () => {
    const owner = await insertTestUser(fx.db, 'Owner');
    const member = await insertTestUser(fx.db, 'Member');
    const ws = await createWorkspace(fx.db, { name: 'Audited', ownerId: owner.id });
    await recordAudit(fx.db, {
      workspaceId: ws.id,
      actorId: owner.id,
      action: 'first',
      targetType: 'workspace',
      targetId: ws.id,
    });
    await recordAudit(fx.db, {
      workspaceId: ws.id,
      actorId: owner.id,
      action: 'member.role_changed',
      targetType: 'user',
      targetId: member.id,
      details: { role: 'editor' },
    });
    const entries = await listAudit(fx.db, ws.id);
    expect(entries.map((e) => [e.action, e.actorName, e.targetUserName, e.details])).toEqual([
      ['member.role_changed', 'Owner', 'Member', { role: 'editor' }],
      ['first', 'Owner', null, {}],
    ]);
  });
});
