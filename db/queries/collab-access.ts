import { and, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Role } from '../../lib/roles';
import { meetsSecondFactorRequirement } from '../../lib/second-factor';
import type { Database } from '../client';
import {
  authSessions,
  frameworks,
  memberships,
  totpAuthenticators,
  users,
  workspaces,
} from '../schema';

// A member's standing toward a second factor, selected beside their membership.
const hasPassword = sql<boolean>`${users.passwordHash} is not null`;
const totpEnabled = sql<boolean>`${totpAuthenticators.enabledAt} is not null`;

export type FrameworkAccess = {
  workspaceId: string;
  archived: boolean;
  /** Role of each asked-for user in the framework's group; absent users are not members. */
  roles: Map<string, Role>;
  /** Members the group's second-factor requirement refuses (lib/second-factor.ts). */
  secondFactorMissing: Set<string>;
};

/**
 * The framework's group and archived flag with the roles of the given users there, in one
 * query; undefined when the framework does not exist. Used at the upgrade and when an access
 * change names one framework or user (the periodic re-check uses findFrameworksAccess).
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
      required: workspaces.requireSecondFactor,
      userId: memberships.userId,
      role: memberships.role,
      hasPassword,
      totpEnabled,
    })
    .from(frameworks)
    .innerJoin(workspaces, eq(workspaces.id, frameworks.workspaceId))
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
    .leftJoin(users, eq(users.id, memberships.userId))
    .leftJoin(totpAuthenticators, eq(totpAuthenticators.userId, memberships.userId))
    .where(eq(frameworks.id, frameworkId));
  const first = rows[0];
  if (!first) return undefined;
  const roles = new Map<string, Role>();
  const secondFactorMissing = new Set<string>();
  for (const row of rows) {
    if (!row.userId || !row.role) continue;
    roles.set(row.userId, row.role);
    if (!meetsSecondFactorRequirement(row.required, row)) secondFactorMissing.add(row.userId);
  }
  return {
    workspaceId: first.workspaceId,
    archived: first.archivedAt !== null,
    roles,
    secondFactorMissing,
  };
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

/** Ids per statement, well under PostgreSQL's 65,535 bind parameters. */
const CHUNK = 5_000;

/**
 * The access of many frameworks at once (the periodic re-check of every loaded document): for
 * each asked framework, its group and archived flag and the roles there of the users it lists.
 * Two queries per chunk of frameworks, whatever their number. Absent frameworks are absent.
 */
export async function findFrameworksAccess(
  db: Database,
  usersByFramework: Map<string, string[]>,
): Promise<Map<string, FrameworkAccess>> {
  const result = new Map<string, FrameworkAccess>();
  const ids = [...usersByFramework.keys()];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const found = await db
      .select({
        id: frameworks.id,
        workspaceId: frameworks.workspaceId,
        archivedAt: frameworks.archivedAt,
        required: workspaces.requireSecondFactor,
      })
      .from(frameworks)
      .innerJoin(workspaces, eq(workspaces.id, frameworks.workspaceId))
      .where(inArray(frameworks.id, chunk));
    const workspaceIds = [...new Set(found.map((f) => f.workspaceId))];
    const userIds = [...new Set(chunk.flatMap((id) => usersByFramework.get(id) ?? []))];
    const roles = new Map<string, Map<string, Role>>();
    const standings = new Map<string, { hasPassword: boolean; totpEnabled: boolean }>();
    for (let w = 0; w < workspaceIds.length && userIds.length > 0; w += CHUNK) {
      for (let u = 0; u < userIds.length; u += CHUNK) {
        const rows = await db
          .select({
            workspaceId: memberships.workspaceId,
            userId: memberships.userId,
            role: memberships.role,
            hasPassword,
            totpEnabled,
          })
          .from(memberships)
          .innerJoin(users, eq(users.id, memberships.userId))
          .leftJoin(totpAuthenticators, eq(totpAuthenticators.userId, memberships.userId))
          .where(
            and(
              inArray(memberships.workspaceId, workspaceIds.slice(w, w + CHUNK)),
              inArray(memberships.userId, userIds.slice(u, u + CHUNK)),
            ),
          );
        for (const row of rows) {
          let byUser = roles.get(row.workspaceId);
          if (!byUser) roles.set(row.workspaceId, (byUser = new Map()));
          byUser.set(row.userId, row.role);
          standings.set(row.userId, row);
        }
      }
    }
    for (const framework of found) {
      const inWorkspace = roles.get(framework.workspaceId);
      const asked = usersByFramework.get(framework.id) ?? [];
      const frameworkRoles = new Map<string, Role>();
      const secondFactorMissing = new Set<string>();
      for (const userId of asked) {
        const role = inWorkspace?.get(userId);
        if (!role) continue;
        frameworkRoles.set(userId, role);
        const standing = standings.get(userId);
        if (standing && !meetsSecondFactorRequirement(framework.required, standing)) {
          secondFactorMissing.add(userId);
        }
      }
      result.set(framework.id, {
        workspaceId: framework.workspaceId,
        archived: framework.archivedAt !== null,
        roles: frameworkRoles,
        secondFactorMissing,
      });
    }
  }
  return result;
}

/** What the websocket upgrade needs to know, from one query (see findUpgradeAccess). */
export type UpgradeAccess = {
  user: { id: string; name: string };
  /** Undefined when the framework does not exist. */
  framework: { workspaceId: string; archived: boolean } | undefined;
  /** The user's role in the framework's group; undefined when not a member. */
  role: Role | undefined;
  /** The delegation the member speaks for in that group (null: none). */
  delegation: string | null;
  /** False when the group requires a second factor the user does not have. */
  meetsSecondFactor: boolean;
};

/**
 * The live session's user with their role in a framework's group, in one round trip (every
 * upgrade asks; two queries cost twice the driver work and latency). Undefined when the session
 * is gone or expired.
 */
export async function findUpgradeAccess(
  db: Database,
  sessionId: string,
  frameworkId: string,
): Promise<UpgradeAccess | undefined> {
  const [row] = await db
    .select({
      userId: users.id,
      name: users.name,
      workspaceId: frameworks.workspaceId,
      archivedAt: frameworks.archivedAt,
      role: memberships.role,
      delegation: memberships.delegation,
      required: workspaces.requireSecondFactor,
      hasPassword,
      totpEnabled,
    })
    .from(authSessions)
    .innerJoin(users, eq(users.id, authSessions.userId))
    .leftJoin(totpAuthenticators, eq(totpAuthenticators.userId, users.id))
    .leftJoin(frameworks, eq(frameworks.id, frameworkId))
    .leftJoin(workspaces, eq(workspaces.id, frameworks.workspaceId))
    .leftJoin(
      memberships,
      and(eq(memberships.workspaceId, frameworks.workspaceId), eq(memberships.userId, users.id)),
    )
    .where(and(eq(authSessions.id, sessionId), gt(authSessions.expiresAt, new Date())))
    .limit(1);
  if (!row) return undefined;
  return {
    user: { id: row.userId, name: row.name },
    framework:
      row.workspaceId === null
        ? undefined
        : { workspaceId: row.workspaceId, archived: row.archivedAt !== null },
    role: row.role ?? undefined,
    delegation: row.delegation ?? null,
    meetsSecondFactor: meetsSecondFactorRequirement(row.required ?? false, row),
  };
}
