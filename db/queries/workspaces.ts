import { and, asc, count, eq, sql } from 'drizzle-orm';
import type { Role } from '../../lib/roles';
import type { Database } from '../client';
import { memberships, users, workspaces, type Membership, type Workspace } from '../schema';

export type WorkspaceSummary = Workspace & { role: Role; memberCount: number };
export type MemberRow = {
  userId: string;
  name: string;
  email: string;
  role: Role;
  delegation: string | null;
  joinedAt: Date;
};

/** Creates a group with its creator as the first owner, atomically. */
export async function createWorkspace(
  db: Database,
  input: { name: string; ownerId: string },
): Promise<Workspace> {
  return db.transaction(async (tx) => {
    const [workspace] = await tx
      .insert(workspaces)
      .values({ name: input.name, createdBy: input.ownerId })
      .returning();
    if (!workspace) throw new Error('insert returned no row');
    await tx
      .insert(memberships)
      .values({ workspaceId: workspace.id, userId: input.ownerId, role: 'owner' });
    return workspace;
  });
}

export async function renameWorkspace(db: Database, id: string, name: string): Promise<void> {
  await db.update(workspaces).set({ name }).where(eq(workspaces.id, id));
}

export async function findWorkspace(db: Database, id: string): Promise<Workspace | undefined> {
  const [row] = await db.select().from(workspaces).where(eq(workspaces.id, id)).limit(1);
  return row;
}

export async function listWorkspacesForUser(
  db: Database,
  userId: string,
): Promise<WorkspaceSummary[]> {
  const memberCounts = db
    .select({ workspaceId: memberships.workspaceId, memberCount: count().as('member_count') })
    .from(memberships)
    .groupBy(memberships.workspaceId)
    .as('member_counts');
  const rows = await db
    .select({
      workspace: workspaces,
      role: memberships.role,
      memberCount: memberCounts.memberCount,
    })
    .from(memberships)
    .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
    .innerJoin(memberCounts, eq(memberCounts.workspaceId, workspaces.id))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(sql`lower(${workspaces.name})`));
  return rows.map((r) => ({ ...r.workspace, role: r.role, memberCount: Number(r.memberCount) }));
}

export async function findMembership(
  db: Database,
  workspaceId: string,
  userId: string,
): Promise<Membership | undefined> {
  const [row] = await db
    .select()
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)))
    .limit(1);
  return row;
}

export async function listMembers(db: Database, workspaceId: string): Promise<MemberRow[]> {
  return db
    .select({
      userId: users.id,
      name: users.name,
      email: users.email,
      role: memberships.role,
      delegation: memberships.delegation,
      joinedAt: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.workspaceId, workspaceId))
    .orderBy(asc(sql`lower(${users.name})`));
}

/** Adds a member, or leaves an existing membership untouched; returns whether a row was added. */
export async function addMember(
  db: Database,
  input: { workspaceId: string; userId: string; role: Role },
): Promise<boolean> {
  const rows = await db
    .insert(memberships)
    .values(input)
    .onConflictDoNothing()
    .returning({ userId: memberships.userId });
  return rows.length > 0;
}

export async function countOwners(db: Database, workspaceId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.role, 'owner')));
  return Number(row?.n ?? 0);
}

/**
 * Changes a member's role unless that would leave the group without an owner. The check and the
 * write happen in one statement that locks the owner rows, so two owners demoting each other at
 * once cannot both succeed.
 */
export async function setMemberRoleKeepingAnOwner(
  db: Database,
  input: { workspaceId: string; userId: string; role: Role },
): Promise<'updated' | 'last_owner' | 'not_member'> {
  const result = await db.execute<{ outcome: string }>(sql`
    with target as (
      select role from ${memberships}
      where workspace_id = ${input.workspaceId} and user_id = ${input.userId}
      for update
    ), owners as (
      select user_id from ${memberships}
      where workspace_id = ${input.workspaceId} and role = 'owner'
      for update
    ), updated as (
      update ${memberships} set role = ${input.role}::member_role
      where workspace_id = ${input.workspaceId} and user_id = ${input.userId}
        and (${input.role}::text = 'owner' or (select role from target) <> 'owner' or (select count(*) from owners) > 1)
      returning 1
    )
    select case
      when not exists (select 1 from target) then 'not_member'
      when exists (select 1 from updated) then 'updated'
      else 'last_owner' end as outcome
  `);
  return outcomeOf(result) as 'updated' | 'last_owner' | 'not_member';
}

/** Removes a member unless they are the last owner; same single-statement guard as above. */
export async function removeMemberKeepingAnOwner(
  db: Database,
  input: { workspaceId: string; userId: string },
): Promise<'removed' | 'last_owner' | 'not_member'> {
  const result = await db.execute<{ outcome: string }>(sql`
    with target as (
      select role from ${memberships}
      where workspace_id = ${input.workspaceId} and user_id = ${input.userId}
      for update
    ), owners as (
      select user_id from ${memberships}
      where workspace_id = ${input.workspaceId} and role = 'owner'
      for update
    ), deleted as (
      delete from ${memberships}
      where workspace_id = ${input.workspaceId} and user_id = ${input.userId}
        and ((select role from target) <> 'owner' or (select count(*) from owners) > 1)
      returning 1
    )
    select case
      when not exists (select 1 from target) then 'not_member'
      when exists (select 1 from deleted) then 'removed'
      else 'last_owner' end as outcome
  `);
  return outcomeOf(result) as 'removed' | 'last_owner' | 'not_member';
}

export async function setMemberDelegation(
  db: Database,
  input: { workspaceId: string; userId: string; delegation: string | null },
): Promise<boolean> {
  const rows = await db
    .update(memberships)
    .set({ delegation: input.delegation })
    .where(
      and(eq(memberships.workspaceId, input.workspaceId), eq(memberships.userId, input.userId)),
    )
    .returning({ userId: memberships.userId });
  return rows.length > 0;
}

/** postgres-js returns an array of rows, PGlite an object with `rows`. */
function outcomeOf(result: unknown): string {
  const rows = Array.isArray(result) ? result : (result as { rows: unknown[] }).rows;
  const first = rows[0] as { outcome?: string } | undefined;
  if (!first?.outcome) throw new Error('query returned no outcome');
  return first.outcome;
}

/** The delegation a user speaks for in each of their groups (groups without one are left out). */
export async function delegationsOfUser(
  db: Database,
  userId: string,
): Promise<Array<{ workspaceId: string; delegation: string }>> {
  const rows = await db
    .select({ workspaceId: memberships.workspaceId, delegation: memberships.delegation })
    .from(memberships)
    .where(eq(memberships.userId, userId));
  return rows.flatMap((r) =>
    r.delegation ? [{ workspaceId: r.workspaceId, delegation: r.delegation }] : [],
  );
}
