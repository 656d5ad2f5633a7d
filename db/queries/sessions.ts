import { and, eq, gt, lt, ne, sql } from 'drizzle-orm';
import type { Database } from '../client';
import { authSessions } from '../schema';

export type SessionRow = {
  id: string;
  userAgent: string | null;
  createdAt: Date;
  lastSeenAt: Date;
};

/** A user's live sessions (not signed out, not expired), most recently seen first. */
export async function listLiveSessions(
  db: Database,
  userId: string,
  now: Date,
): Promise<SessionRow[]> {
  return db
    .select({
      id: authSessions.id,
      userAgent: authSessions.userAgent,
      createdAt: authSessions.createdAt,
      lastSeenAt: authSessions.lastSeenAt,
    })
    .from(authSessions)
    .where(and(eq(authSessions.userId, userId), gt(authSessions.expiresAt, now)))
    .orderBy(sql`${authSessions.lastSeenAt} desc`, sql`${authSessions.createdAt} desc`);
}

/** Ends one session if it is the user's; false when it is not (someone else's, or gone). */
export async function deleteUserSession(
  db: Database,
  userId: string,
  sessionId: string,
): Promise<boolean> {
  const rows = await db
    .delete(authSessions)
    .where(and(eq(authSessions.id, sessionId), eq(authSessions.userId, userId)))
    .returning({ id: authSessions.id });
  return rows.length > 0;
}

/** Ends every session of the user but `keepSessionId` (null: every one); returns how many. */
export async function deleteUserSessionsExcept(
  db: Database,
  userId: string,
  keepSessionId: string | null,
): Promise<number> {
  const rows = await db
    .delete(authSessions)
    .where(
      keepSessionId
        ? and(eq(authSessions.userId, userId), ne(authSessions.id, keepSessionId))
        : eq(authSessions.userId, userId),
    )
    .returning({ id: authSessions.id });
  return rows.length;
}

/** Moves a session's "last seen" to `now` unless it was already moved after `staleBefore`. */
export async function touchSession(
  db: Database,
  sessionId: string,
  now: Date,
  staleBefore: Date,
): Promise<void> {
  await db
    .update(authSessions)
    .set({ lastSeenAt: now })
    .where(and(eq(authSessions.id, sessionId), lt(authSessions.lastSeenAt, staleBefore)));
}
