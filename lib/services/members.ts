import type { Database } from '../../db/client';
import { recordAudit } from '../../db/queries/audit';
import { revokeInvitesOfCreator } from '../../db/queries/invites';
import {
  removeMemberKeepingAnOwner,
  setMemberDelegation,
  setMemberRoleKeepingAnOwner,
} from '../../db/queries/workspaces';
import { liveDocumentsIfRunning } from '../collab/live-documents';
import { AppError, notFound } from '../errors';
import { invitableRoles } from '../permissions';
import type { Role } from '../roles';
import { delegationSchema, firstIssue, roleSchema } from '../validation';
import { badRequest, requireMember } from './access';

const LAST_OWNER = 'A working group needs at least one owner. Make someone else an owner first.';

/**
 * Revokes the live invite links `userId` made that their new role (null: no longer a member) may
 * not hand out, in the transaction that changes the role: a link never outlives the authority
 * that made it.
 */
async function revokeLinksBeyond(
  tx: Database,
  actorId: string,
  input: { workspaceId: string; userId: string },
  role: Role | null,
): Promise<void> {
  const revoked = await revokeInvitesOfCreator(tx, {
    workspaceId: input.workspaceId,
    createdBy: input.userId,
    keep: invitableRoles(role),
  });
  for (const inviteId of revoked) {
    await recordAudit(tx, {
      workspaceId: input.workspaceId,
      actorId,
      action: 'invite.revoked',
      targetType: 'invite',
      targetId: inviteId,
      details: { reason: role ? 'creator_role_changed' : 'creator_removed' },
    });
  }
}

export async function changeMemberRole(
  db: Database,
  actorId: string,
  input: { workspaceId: string; userId: string; role: unknown },
): Promise<Role> {
  await requireMember(db, actorId, input.workspaceId, 'members.manage');
  const role = roleSchema.safeParse(input.role);
  if (!role.success) throw badRequest(firstIssue(role.error), 'members.changeRole');
  await db.transaction(async (tx) => {
    const outcome = await setMemberRoleKeepingAnOwner(tx, { ...input, role: role.data });
    if (outcome === 'not_member') throw notFound('Member', 'members.changeRole');
    if (outcome === 'last_owner') throw new AppError('conflict', LAST_OWNER, 'members.changeRole');
    await revokeLinksBeyond(tx, actorId, input, role.data);
    await recordAudit(tx, {
      workspaceId: input.workspaceId,
      actorId,
      action: 'member.role_changed',
      targetType: 'user',
      targetId: input.userId,
      details: { role: role.data },
    });
  });
  liveDocumentsIfRunning()?.notices.accessChanged({
    kind: 'member',
    workspaceId: input.workspaceId,
    userId: input.userId,
  });
  return role.data;
}

/** Removes a member (owners), or lets a member leave (anyone, for themselves). */
export async function removeMember(
  db: Database,
  actorId: string,
  input: { workspaceId: string; userId: string },
): Promise<void> {
  const leaving = actorId === input.userId;
  await requireMember(
    db,
    actorId,
    input.workspaceId,
    leaving ? 'workspace.read' : 'members.manage',
  );
  await db.transaction(async (tx) => {
    const outcome = await removeMemberKeepingAnOwner(tx, input);
    if (outcome === 'not_member') throw notFound('Member', 'members.remove');
    if (outcome === 'last_owner') throw new AppError('conflict', LAST_OWNER, 'members.remove');
    await revokeLinksBeyond(tx, actorId, input, null);
    await recordAudit(tx, {
      workspaceId: input.workspaceId,
      actorId,
      action: leaving ? 'member.left' : 'member.removed',
      targetType: 'user',
      targetId: input.userId,
    });
  });
  liveDocumentsIfRunning()?.notices.accessChanged({
    kind: 'member',
    workspaceId: input.workspaceId,
    userId: input.userId,
  });
}

export async function changeMemberDelegation(
  db: Database,
  actorId: string,
  input: { workspaceId: string; userId: string; delegation: unknown },
): Promise<string | null> {
  await requireMember(db, actorId, input.workspaceId, 'members.manage');
  const delegation = delegationSchema.safeParse(input.delegation ?? '');
  if (!delegation.success) throw badRequest(firstIssue(delegation.error), 'members.delegation');
  await db.transaction(async (tx) => {
    const updated = await setMemberDelegation(tx, { ...input, delegation: delegation.data });
    if (!updated) throw notFound('Member', 'members.delegation');
    await recordAudit(tx, {
      workspaceId: input.workspaceId,
      actorId,
      action: 'member.delegation_set',
      targetType: 'user',
      targetId: input.userId,
      details: { delegation: delegation.data },
    });
  });
  return delegation.data;
}
