import { and, desc, eq, gt, isNull, lt, sql } from 'drizzle-orm';
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
 * Uses one place on a live invite and adds the member, in one transaction: the use is counted only
 * if the invite is still valid at that instant, so a link cannot be used past its limit by racing.
 */
export async function redeemInvite(
  db: Database,
  input: { inviteId: string; userId: string; now: Date },
): Promise<'joined' | 'already_member' | 'invalid'> {
  return db.transaction(async (tx) => {
    const [invite] = await tx
      .select()
      .from(invites)
      .where(eq(invites.id, input.inviteId))
      .for('update')
      .limit(1);
    if (!invite) return 'invalid';
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
