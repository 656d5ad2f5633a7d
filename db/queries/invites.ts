import { and, desc, eq, gt, inArray, isNull, lt, not, sql } from 'drizzle-orm';
import type { Role } from '../../lib/roles';
import type { Database } from '../client';
import { invites, memberships, type Invite } from '../schema';

export async function createInvite(
  db: Database,
  input: {
    workspaceId: string;
    tokenHash: string;
    role: Role;
    expiresAt: Date;
    maxUses: number;
    createdBy: string;
  },
): Promise<Invite> {
  const [row] = await db.insert(invites).values(input).returning();
  if (!row) throw new Error('insert returned no row');
  return row;
}

export async function findInviteByTokenHash(
  db: Database,
  tokenHash: string,
): Promise<Invite | undefined> {
  const [row] = await db.select().from(invites).where(eq(invites.tokenHash, tokenHash)).limit(1);
  return row;
}

export async function listActiveInvites(db: Database, workspaceId: string): Promise<Invite[]> {
  return db
    .select()
    .from(invites)
    .where(
      and(
        eq(invites.workspaceId, workspaceId),
        isNull(invites.revokedAt),
        gt(invites.expiresAt, new Date()),
        lt(invites.uses, invites.maxUses),
      ),
    )
    .orderBy(desc(invites.createdAt));
}

export async function revokeInvite(
  db: Database,
  input: { workspaceId: string; inviteId: string },
): Promise<boolean> {
  const rows = await db
    .update(invites)
    .set({ revokedAt: new Date() })
    .where(and(eq(invites.id, input.inviteId), eq(invites.workspaceId, input.workspaceId)))
    .returning({ id: invites.id });
  return rows.length > 0;
}

/**
 * Revokes the live invites `createdBy` made in a group for roles outside `keep`: their links
 * die with the authority that made them (a demotion keeps only what the new role may invite as,
 * a removal keeps none). Returns the revoked invites' ids.
 */
export async function revokeInvitesOfCreator(
  db: Database,
  input: { workspaceId: string; createdBy: string; keep: readonly Role[]; now?: Date },
): Promise<string[]> {
  const rows = await db
    .update(invites)
    .set({ revokedAt: input.now ?? new Date() })
    .where(
      and(
        eq(invites.workspaceId, input.workspaceId),
        eq(invites.createdBy, input.createdBy),
        isNull(invites.revokedAt),
        input.keep.length > 0 ? not(inArray(invites.role, [...input.keep])) : undefined,
      ),
    )
    .returning({ id: invites.id });
  return rows.map((row) => row.id);
}

/** The role the creator of an invite holds now in its group (null: not a member, or gone). */
export async function creatorRoleOf(db: Database, invite: Invite): Promise<Role | null> {
  if (!invite.createdBy) return null;
  const [row] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(
      and(
        eq(memberships.workspaceId, invite.workspaceId),
        eq(memberships.userId, invite.createdBy),
      ),
    )
    .limit(1);
  return row?.role ?? null;
}

/**
 * Uses one place on a live invite and adds the member, in one transaction: the use is counted only
 * if the invite is still valid at that instant, so a link cannot be used past its limit by racing.
 * `creatorMayInvite` is asked about the creator's role at that instant too (their membership row
 * is share-locked first, in the order a role change takes its locks, so a demotion either
 * precedes the redemption and refuses it, or waits for it); refused, the invite is revoked.
 */
export async function redeemInvite(
  db: Database,
  input: {
    inviteId: string;
    userId: string;
    now: Date;
    creatorMayInvite: (creatorRole: Role | null, role: Role) => boolean;
  },
): Promise<'joined' | 'already_member' | 'invalid' | 'revoked'> {
  return db.transaction(async (tx) => {
    const [known] = await tx
      .select({ workspaceId: invites.workspaceId, createdBy: invites.createdBy })
      .from(invites)
      .where(eq(invites.id, input.inviteId))
      .limit(1);
    if (!known) return 'invalid';
    const [creator] = known.createdBy
      ? await tx
          .select({ role: memberships.role })
          .from(memberships)
          .where(
            and(
              eq(memberships.workspaceId, known.workspaceId),
              eq(memberships.userId, known.createdBy),
            ),
          )
          .for('share')
          .limit(1)
      : [];
    const [invite] = await tx
      .select()
      .from(invites)
      .where(eq(invites.id, input.inviteId))
      .for('update')
      .limit(1);
    if (!invite) return 'invalid';
    if (
      invite.createdBy !== known.createdBy ||
      !input.creatorMayInvite(creator?.role ?? null, invite.role)
    ) {
      await tx
        .update(invites)
        .set({ revokedAt: input.now })
        .where(and(eq(invites.id, invite.id), isNull(invites.revokedAt)));
      return 'revoked';
    }
    const [existing] = await tx
      .select({ role: memberships.role })
      .from(memberships)
      .where(
        and(eq(memberships.workspaceId, invite.workspaceId), eq(memberships.userId, input.userId)),
      )
      .limit(1);
    if (existing) return 'already_member';
    const used = await tx
      .update(invites)
      .set({ uses: sql`${invites.uses} + 1` })
      .where(
        and(
          eq(invites.id, invite.id),
          isNull(invites.revokedAt),
          gt(invites.expiresAt, input.now),
          lt(invites.uses, invites.maxUses),
        ),
      )
      .returning({ id: invites.id });
    if (used.length === 0) return 'invalid';
    await tx
      .insert(memberships)
      .values({ workspaceId: invite.workspaceId, userId: input.userId, role: invite.role });
    return 'joined';
  });
}
