import { and, eq, gt, inArray } from 'drizzle-orm';
import type { Role } from '../../lib/roles';
import type { Database } from '../client';
import { authSessions, frameworks, memberships } from '../schema';

export type FrameworkAccess = {
  workspaceId: string;
  archived: boolean;
  /** Role of each asked-for user in the framework's group; absent users are not members. */
  roles: Map<string, Role>;
};

/**
 * The framework's group and archived flag with the roles of the given users there, in one
 * query; undefined when the framework does not exist. Used at the upgrade and by the periodic
 * re-check of open connections (one call per loaded document).
 */
export async function findFrameworkAccess(
  db: Database,
  frameworkId: string,
  userIds: string[],
): Promise<FrameworkAccess | undefined> {
  const rows = await db
    .select({
      workspaceId: frameworks.workspaceId,
      archivedAt: frameworks.archivedAt,
      userId: memberships.userId,
      role: memberships.role,
    })
    .from(frameworks)
    .leftJoin(
      memberships,
      and(
        eq(memberships.workspaceId, frameworks.workspaceId),
        inArray(
          memberships.userId,
          userIds.length ? userIds : ['00000000-0000-0000-0000-000000000000'],
        ),
      ),
    )
    .where(eq(frameworks.id, frameworkId));
  const first = rows[0];
  if (!first) return undefined;
  const roles = new Map<string, Role>();
  for (const row of rows) if (row.userId && row.role) roles.set(row.userId, row.role);
  return { workspaceId: first.workspaceId, archived: first.archivedAt !== null, roles };
}

/** Which of the given sessions are still live (not signed out, not expired). */
export async function findLiveSessionIds(db: Database, sessionIds: string[]): Promise<Set<string>> {
  if (sessionIds.length === 0) return new Set();
  const rows = await db
    .select({ id: authSessions.id })
    .from(authSessions)
    .where(and(inArray(authSessions.id, sessionIds), gt(authSessions.expiresAt, new Date())));
  return new Set(rows.map((r) => r.id));
}
