import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../../db/client';
import { recordAudit } from '../../db/queries/audit';
import {
  createInvite,
  creatorRoleOf,
  findInviteByTokenHash,
  redeemInvite,
  revokeInvite,
} from '../../db/queries/invites';
import { findWorkspace } from '../../db/queries/workspaces';
import type { Invite } from '../../db/schema';
import { AppError, forbidden, notFound } from '../errors';
import { canInviteAs } from '../permissions';
import type { Role } from '../roles';
import { firstIssue, inviteSchema } from '../validation';
import { badRequest, requireMember } from './access';

export type InviteState = 'valid' | 'expired' | 'used_up' | 'revoked' | 'invalid';

export const INVITE_MESSAGES: Record<Exclude<InviteState, 'valid'>, string> = {
  expired: 'This invite link has expired. Ask an owner of the group for a new one.',
  used_up: 'This invite link has already been used. Ask an owner of the group for a new one.',
  revoked: 'This invite link was withdrawn. Ask an owner of the group for a new one.',
  invalid: 'This invite link is not valid. Check that you copied all of it.',
};

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Makes an invite link secret; only its hash is stored, so a database leak yields no links. */
export async function createInviteLink(
  db: Database,
  actorId: string,
  workspaceId: string,
  input: { role: unknown; expiresInDays: unknown; maxUses: unknown },
  now = new Date(),
): Promise<{ token: string; invite: Invite }> {
  const membership = await requireMember(db, actorId, workspaceId, 'invites.manage');
  const parsed = inviteSchema.safeParse(input);
  if (!parsed.success) throw badRequest(firstIssue(parsed.error), 'invites.create');
  if (!canInviteAs(membership.role, parsed.data.role)) {
    throw forbidden('You cannot invite people with a role above your own.', 'invites.create');
  }
  const token = randomBytes(32).toString('base64url');
  return db.transaction(async (tx) => {
    const invite = await createInvite(tx, {
      workspaceId,
      tokenHash: hashToken(token),
      role: parsed.data.role,
      expiresAt: new Date(now.getTime() + parsed.data.expiresInDays * 24 * 3600 * 1000),
      maxUses: parsed.data.maxUses,
      createdBy: actorId,
    });
    await recordAudit(tx, {
      workspaceId,
      actorId,
      action: 'invite.created',
      targetType: 'invite',
      targetId: invite.id,
      details: {
        role: invite.role,
        maxUses: invite.maxUses,
        expiresAt: invite.expiresAt.toISOString(),
      },
    });
    return { token, invite };
  });
}

export async function revokeInviteLink(
  db: Database,
  actorId: string,
  workspaceId: string,
  inviteId: string,
): Promise<void> {
  await requireMember(db, actorId, workspaceId, 'invites.manage');
  await db.transaction(async (tx) => {
    if (!(await revokeInvite(tx, { workspaceId, inviteId }))) throw notFound('Invite');
    await recordAudit(tx, {
      workspaceId,
      actorId,
      action: 'invite.revoked',
      targetType: 'invite',
      targetId: inviteId,
    });
  });
}

function stateOf(invite: Invite | undefined, now: Date): InviteState {
  if (!invite) return 'invalid';
  if (invite.revokedAt) return 'revoked';
  if (invite.expiresAt.getTime() <= now.getTime()) return 'expired';
  if (invite.uses >= invite.maxUses) return 'used_up';
  return 'valid';
}

/** What the invite page shows before anyone signs in: the group's name only if the link works. */
export async function previewInvite(
  db: Database,
  token: string,
  now = new Date(),
): Promise<
  { state: 'valid'; workspaceName: string; role: Role } | { state: Exclude<InviteState, 'valid'> }
> {
  if (!TOKEN_PATTERN.test(token)) return { state: 'invalid' };
  const invite = await findInviteByTokenHash(db, hashToken(token));
  const state = stateOf(invite, now);
  if (state !== 'valid' || !invite) return { state: state === 'valid' ? 'invalid' : state };
  // The link is only as good as its creator's authority now (acceptInvite decides under lock).
  if (!canInviteAs(await creatorRoleOf(db, invite), invite.role)) return { state: 'revoked' };
  const workspace = await findWorkspace(db, invite.workspaceId);
  if (!workspace) return { state: 'invalid' };
  return { state: 'valid', workspaceName: workspace.name, role: invite.role };
}

/** Joins the group of a valid invite; joining a group one already belongs to changes nothing. */
export async function acceptInvite(
  db: Database,
  userId: string,
  token: string,
  now = new Date(),
): Promise<{ workspaceId: string; joined: boolean }> {
  const invite = TOKEN_PATTERN.test(token)
    ? await findInviteByTokenHash(db, hashToken(token))
    : undefined;
  const state = stateOf(invite, now);
  if (!invite || state !== 'valid') {
    throw new AppError(
      'bad_request',
      INVITE_MESSAGES[state === 'valid' ? 'invalid' : state],
      'invites.accept',
    );
  }
  const outcome = await redeemInvite(db, {
    inviteId: invite.id,
    userId,
    now,
    creatorMayInvite: canInviteAs,
  });
  if (outcome === 'revoked') {
    // Its creator was removed or demoted since: the link went with their authority.
    throw new AppError('bad_request', INVITE_MESSAGES.revoked, 'invites.accept');
  }
  if (outcome === 'invalid') {
    // Someone else took the last use between our read and our write.
    throw new AppError('bad_request', INVITE_MESSAGES.used_up, 'invites.accept');
  }
  if (outcome === 'joined') {
    await recordAudit(db, {
      workspaceId: invite.workspaceId,
      actorId: userId,
      action: 'member.joined',
      targetType: 'invite',
      targetId: invite.id,
      details: { role: invite.role },
    });
  }
  return { workspaceId: invite.workspaceId, joined: outcome === 'joined' };
}
