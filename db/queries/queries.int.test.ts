import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../client';
import { pingDatabase } from '../client';
import { insertTestUser, openTestDatabase, testDatabaseConfigs } from '../testing';
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
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await openTestDatabase(config);
  });
  afterAll(async () => {
    await handle.close();
  });

  it('answers the health ping', async () => {
    expect(await pingDatabase(handle.db)).toBe(true);
  });

  it('creates users, finds them by email case-insensitively, and renames them', async () => {
    const email = `Mixed.Case.${Date.now()}@Example.test`;
    const user = await createUser(handle.db, { email, name: 'Ana', passwordHash: 'h' });
    expect((await findUserByEmail(handle.db, email.toLowerCase()))?.id).toBe(user.id);
    await updateUserName(handle.db, user.id, 'Ana Maria');
    expect((await findUserById(handle.db, user.id))?.name).toBe('Ana Maria');
    await expect(
      createUser(handle.db, { email: email.toUpperCase(), name: 'Dup', passwordHash: 'h' }),
    ).rejects.toThrow();
  });

  it('opens, resolves and revokes sessions, and ignores expired ones', async () => {
    const user = await insertTestUser(handle.db, 'Session Owner');
    const live = await createAuthSession(handle.db, user.id, new Date(Date.now() + 60_000));
    const expired = await createAuthSession(handle.db, user.id, new Date(Date.now() - 1_000));
    expect(await findSessionUser(handle.db, live)).toEqual({
      id: user.id,
      email: user.email,
      name: user.name,
    });
    expect(await findSessionUser(handle.db, expired)).toBeUndefined();
    await deleteAuthSession(handle.db, live);
    expect(await findSessionUser(handle.db, live)).toBeUndefined();
  });

  it('counts, clears and prunes sign-in failures per key', async () => {
    const key = `account:${Date.now()}@example.test`;
    const start = new Date(Date.now() - 1000);
    await recordSignInFailure(handle.db, [key, `${key}-other`]);
    await recordSignInFailure(handle.db, [key]);
    const counted = await countSignInFailuresSince(handle.db, key, start);
    expect(counted.count).toBe(2);
    expect(counted.oldest).toBeInstanceOf(Date);
    expect(
      (await countSignInFailuresSince(handle.db, key, new Date(Date.now() + 60_000))).count,
    ).toBe(0);
    await clearSignInFailures(handle.db, key);
    expect((await countSignInFailuresSince(handle.db, key, start)).count).toBe(0);
    await pruneSignInFailures(handle.db, new Date(Date.now() + 60_000));
    expect((await countSignInFailuresSince(handle.db, `${key}-other`, start)).count).toBe(0);
  });

  it('creates a group with its owner, lists, renames and counts members', async () => {
    const owner = await insertTestUser(handle.db, 'Owner');
    const other = await insertTestUser(handle.db, 'Other');
    const ws = await createWorkspace(handle.db, { name: 'Zulu group', ownerId: owner.id });
    expect((await findMembership(handle.db, ws.id, owner.id))?.role).toBe('owner');
    expect(
      await addMember(handle.db, { workspaceId: ws.id, userId: other.id, role: 'viewer' }),
    ).toBe(true);
    expect(
      await addMember(handle.db, { workspaceId: ws.id, userId: other.id, role: 'editor' }),
    ).toBe(false);
    expect((await findMembership(handle.db, ws.id, other.id))?.role).toBe('viewer');
    await renameWorkspace(handle.db, ws.id, 'Alpha group');
    expect((await findWorkspace(handle.db, ws.id))?.name).toBe('Alpha group');
    const mine = await listWorkspacesForUser(handle.db, other.id);
    expect(mine).toEqual([expect.objectContaining({ id: ws.id, role: 'viewer', memberCount: 2 })]);
    expect((await listMembers(handle.db, ws.id)).map((m) => m.name)).toEqual(['Other', 'Owner']);
    expect(await countOwners(handle.db, ws.id)).toBe(1);
  });

  it('never demotes or removes the last owner, and reports non-members', async () => {
    const a = await insertTestUser(handle.db, 'A');
    const b = await insertTestUser(handle.db, 'B');
    const stranger = await insertTestUser(handle.db, 'Stranger');
    const ws = await createWorkspace(handle.db, { name: 'Guarded', ownerId: a.id });
    const input = { workspaceId: ws.id, userId: a.id };
    expect(await setMemberRoleKeepingAnOwner(handle.db, { ...input, role: 'editor' })).toBe(
      'last_owner',
    );
    expect(await removeMemberKeepingAnOwner(handle.db, input)).toBe('last_owner');
    expect(
      await setMemberRoleKeepingAnOwner(handle.db, {
        workspaceId: ws.id,
        userId: stranger.id,
        role: 'viewer',
      }),
    ).toBe('not_member');
    expect(
      await removeMemberKeepingAnOwner(handle.db, { workspaceId: ws.id, userId: stranger.id }),
    ).toBe('not_member');

    await addMember(handle.db, { workspaceId: ws.id, userId: b.id, role: 'editor' });
    expect(
      await setMemberRoleKeepingAnOwner(handle.db, {
        workspaceId: ws.id,
        userId: b.id,
        role: 'owner',
      }),
    ).toBe('updated');
    expect(await setMemberRoleKeepingAnOwner(handle.db, { ...input, role: 'commenter' })).toBe(
      'updated',
    );
    expect(await removeMemberKeepingAnOwner(handle.db, { workspaceId: ws.id, userId: b.id })).toBe(
      'last_owner',
    );
    expect(await removeMemberKeepingAnOwner(handle.db, input)).toBe('removed');
    expect(await findMembership(handle.db, ws.id, a.id)).toBeUndefined();
    expect(await countOwners(handle.db, ws.id)).toBe(1);
  });

  it('keeps an owner when two owners demote each other at the same moment', async () => {
    const a = await insertTestUser(handle.db, 'A');
    const b = await insertTestUser(handle.db, 'B');
    const ws = await createWorkspace(handle.db, { name: 'Race', ownerId: a.id });
    await addMember(handle.db, { workspaceId: ws.id, userId: b.id, role: 'owner' });
    const outcomes = await Promise.all([
      setMemberRoleKeepingAnOwner(handle.db, { workspaceId: ws.id, userId: a.id, role: 'editor' }),
      setMemberRoleKeepingAnOwner(handle.db, { workspaceId: ws.id, userId: b.id, role: 'editor' }),
    ]);
    expect(outcomes.sort()).toEqual(['last_owner', 'updated']);
    expect(await countOwners(handle.db, ws.id)).toBe(1);
  });

  it('sets and clears a delegation', async () => {
    const a = await insertTestUser(handle.db, 'A');
    const ws = await createWorkspace(handle.db, { name: 'Delegations', ownerId: a.id });
    expect(
      await setMemberDelegation(handle.db, {
        workspaceId: ws.id,
        userId: a.id,
        delegation: 'France',
      }),
    ).toBe(true);
    expect((await findMembership(handle.db, ws.id, a.id))?.delegation).toBe('France');
    expect(
      await setMemberDelegation(handle.db, { workspaceId: ws.id, userId: a.id, delegation: null }),
    ).toBe(true);
    expect((await findMembership(handle.db, ws.id, a.id))?.delegation).toBeNull();
    const stranger = await insertTestUser(handle.db, 'S');
    expect(
      await setMemberDelegation(handle.db, {
        workspaceId: ws.id,
        userId: stranger.id,
        delegation: 'EU',
      }),
    ).toBe(false);
  });

  it('redeems an invite up to its limit only, and lists and revokes invites', async () => {
    const owner = await insertTestUser(handle.db, 'Owner');
    const ws = await createWorkspace(handle.db, { name: 'Invites', ownerId: owner.id });
    const tokenHash = `hash-${Date.now()}-${Math.random()}`;
    const invite = await createInvite(handle.db, {
      workspaceId: ws.id,
      tokenHash,
      role: 'commenter',
      expiresAt: new Date(Date.now() + 3600_000),
      maxUses: 2,
      createdBy: owner.id,
    });
    expect((await findInviteByTokenHash(handle.db, tokenHash))?.id).toBe(invite.id);
    expect((await listActiveInvites(handle.db, ws.id)).map((i) => i.id)).toEqual([invite.id]);
    const [u1, u2, u3] = await Promise.all(
      [1, 2, 3].map((n) => insertTestUser(handle.db, `Joiner ${n}`)),
    );
    const now = new Date();
    const outcomes = await Promise.all(
      [u1!, u2!, u3!].map((u) =>
        redeemInvite(handle.db, { inviteId: invite.id, userId: u.id, now }),
      ),
    );
    expect(outcomes.filter((o) => o === 'joined')).toHaveLength(2);
    expect(outcomes.filter((o) => o === 'invalid')).toHaveLength(1);
    expect((await findInviteByTokenHash(handle.db, tokenHash))?.uses).toBe(2);
    expect(await listActiveInvites(handle.db, ws.id)).toEqual([]);
    const joined = [u1!, u2!].find((u) => outcomes[[u1!, u2!, u3!].indexOf(u)] === 'joined')!;
    expect(await redeemInvite(handle.db, { inviteId: invite.id, userId: joined.id, now })).toBe(
      'already_member',
    );

    const second = await createInvite(handle.db, {
      workspaceId: ws.id,
      tokenHash: `${tokenHash}-2`,
      role: 'viewer',
      expiresAt: new Date(Date.now() + 3600_000),
      maxUses: 5,
      createdBy: owner.id,
    });
    const other = await createWorkspace(handle.db, { name: 'Other', ownerId: owner.id });
    expect(await revokeInvite(handle.db, { workspaceId: other.id, inviteId: second.id })).toBe(
      false,
    );
    expect(await revokeInvite(handle.db, { workspaceId: ws.id, inviteId: second.id })).toBe(true);
    const late = await insertTestUser(handle.db, 'Late');
    expect(await redeemInvite(handle.db, { inviteId: second.id, userId: late.id, now })).toBe(
      'invalid',
    );
  });

  it('refuses an expired invite', async () => {
    const owner = await insertTestUser(handle.db, 'Owner');
    const ws = await createWorkspace(handle.db, { name: 'Expired', ownerId: owner.id });
    const invite = await createInvite(handle.db, {
      workspaceId: ws.id,
      tokenHash: `expired-${Date.now()}-${Math.random()}`,
      role: 'viewer',
      expiresAt: new Date(Date.now() - 1000),
      maxUses: 1,
      createdBy: owner.id,
    });
    const user = await insertTestUser(handle.db, 'Late');
    expect(
      await redeemInvite(handle.db, { inviteId: invite.id, userId: user.id, now: new Date() }),
    ).toBe('invalid');
    expect(await findMembership(handle.db, ws.id, user.id)).toBeUndefined();
  });

  it('creates, scopes, renames, archives and deletes frameworks', async () => {
    const owner = await insertTestUser(handle.db, 'Owner');
    const ws = await createWorkspace(handle.db, { name: 'Frameworks', ownerId: owner.id });
    const other = await createWorkspace(handle.db, { name: 'Elsewhere', ownerId: owner.id });
    const f = await createFramework(handle.db, {
      workspaceId: ws.id,
      title: 'Draft',
      template: 'blank',
      createdBy: owner.id,
    });
    expect((await findFramework(handle.db, f.id))?.title).toBe('Draft');
    expect(await findFrameworkInWorkspace(handle.db, other.id, f.id)).toBeUndefined();
    await renameFramework(handle.db, f.id, 'Draft 2');
    const listed = await listFrameworks(handle.db, ws.id, { archived: false });
    expect(listed).toEqual([
      expect.objectContaining({ id: f.id, title: 'Draft 2', createdByName: 'Owner' }),
    ]);
    await setFrameworkArchived(handle.db, f.id, true);
    expect(await listFrameworks(handle.db, ws.id, { archived: false })).toEqual([]);
    expect((await listFrameworks(handle.db, ws.id, { archived: true })).map((x) => x.id)).toEqual([
      f.id,
    ]);
    await deleteFramework(handle.db, f.id);
    expect(await findFramework(handle.db, f.id)).toBeUndefined();
  });

  it('appends log rows of several documents in one statement, bytes exact, ids in order', async () => {
    const owner = await insertTestUser(handle.db, 'Logger');
    const ws = await createWorkspace(handle.db, { name: 'Logs', ownerId: owner.id });
    const newFramework = async () =>
      (
        await createFramework(handle.db, {
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
    const ids = await appendDocumentUpdates(handle.db, rows);
    expect(ids).toHaveLength(3);
    expect([...ids].sort((x, y) => x - y)).toEqual(ids);
    const logA = await listDocumentUpdates(handle.db, a);
    expect(logA.map((r) => r.id)).toEqual([ids[0], ids[2]]);
    expect(Buffer.from(logA[0]!.update)).toEqual(Buffer.from(tricky));
    expect(Buffer.from(logA[1]!.update)).toEqual(Buffer.from(rows[2]!.update));
    expect((await listDocumentUpdates(handle.db, b)).map((r) => [...r.update])).toEqual([[1]]);
    // Another row count is the same statement; an empty list writes nothing.
    expect(await appendDocumentUpdates(handle.db, [rows[1]!])).toHaveLength(1);
    expect(await appendDocumentUpdates(handle.db, [])).toEqual([]);
  });

  it('records audit entries with the names of actor and member, newest first', async () => {
    const owner = await insertTestUser(handle.db, 'Owner');
    const member = await insertTestUser(handle.db, 'Member');
    const ws = await createWorkspace(handle.db, { name: 'Audited', ownerId: owner.id });
    await recordAudit(handle.db, {
      workspaceId: ws.id,
      actorId: owner.id,
      action: 'first',
      targetType: 'workspace',
      targetId: ws.id,
    });
    await recordAudit(handle.db, {
      workspaceId: ws.id,
      actorId: owner.id,
      action: 'member.role_changed',
      targetType: 'user',
      targetId: member.id,
      details: { role: 'editor' },
    });
    const entries = await listAudit(handle.db, ws.id);
    expect(entries.map((e) => [e.action, e.actorName, e.targetUserName, e.details])).toEqual([
      ['member.role_changed', 'Owner', 'Member', { role: 'editor' }],
      ['first', 'Owner', null, {}],
    ]);
  });
});
