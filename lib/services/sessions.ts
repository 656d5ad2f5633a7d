import type { Database } from '../../db/client';
import {
  deleteUserSession,
  deleteUserSessionsExcept,
  listLiveSessions,
  touchSession,
} from '../../db/queries/sessions';
import type { OwnSession } from '../auth/own-session';
import { describeUserAgent } from '../auth/user-agent';
import { liveDocumentsIfRunning } from '../collab/live-documents';
import { notFound } from '../errors';
import { uuidSchema } from '../validation';

export type { OwnSession };

/**
 * "Last seen" moves at most this often: a page view is not worth a write, and the sessions list
 * only needs to tell this morning from last week.
 */
export const LAST_SEEN_REFRESH_MS = 5 * 60 * 1000;

/** Who acts: a user, through one of their sessions (the one this request came with). */
export type SessionActor = { userId: string; sessionId: string };

/** My live sessions, this browser's first, then the most recently seen. */
export async function listOwnSessions(
  db: Database,
  actor: SessionActor,
  now = new Date(),
): Promise<OwnSession[]> {
  const rows = await listLiveSessions(db, actor.userId, now);
  const sessions = rows.map((row) => ({
    id: row.id,
    device: describeUserAgent(row.userAgent),
    signedInAt: row.createdAt,
    lastSeenAt: row.lastSeenAt,
    current: row.id === actor.sessionId,
  }));
  return [...sessions.filter((s) => s.current), ...sessions.filter((s) => !s.current)];
}

/**
 * Signs out one of my sessions. Someone else's session, or one that already ended, is "not
 * found": the id says nothing about whose it is. Its open documents close at once.
 */
export async function signOutSession(
  db: Database,
  actor: SessionActor,
  sessionId: unknown,
): Promise<void> {
  const id = typeof sessionId === 'string' ? sessionId : '';
  if (!uuidSchema.safeParse(id).success || !(await deleteUserSession(db, actor.userId, id))) {
    throw notFound('Session', 'sessions.signOut');
  }
  sessionsEnded(actor.userId);
}

/** Signs out every session of mine but this one; returns how many ended. */
export async function signOutOtherSessions(db: Database, actor: SessionActor): Promise<number> {
  const ended = await deleteUserSessionsExcept(db, actor.userId, actor.sessionId);
  if (ended > 0) sessionsEnded(actor.userId);
  return ended;
}

/** Ends every session of a user but `keep` (null: all), closing their open documents at once. */
export async function endSessionsOf(
  db: Database,
  userId: string,
  keep: string | null,
): Promise<number> {
  const ended = await deleteUserSessionsExcept(db, userId, keep);
  if (ended > 0) sessionsEnded(userId);
  return ended;
}

/** Notes a request made with the session, writing only when "last seen" is stale. */
export async function noteSessionSeen(
  db: Database,
  session: { sessionId: string; lastSeenAt: Date },
  now = new Date(),
): Promise<void> {
  if (now.getTime() - session.lastSeenAt.getTime() < LAST_SEEN_REFRESH_MS) return;
  await touchSession(db, session.sessionId, now, new Date(now.getTime() - LAST_SEEN_REFRESH_MS));
}

/** Open collaboration sockets of ended sessions close now, on every instance, not at the next poll. */
function sessionsEnded(userId: string): void {
  liveDocumentsIfRunning()?.notices.accessChanged({ kind: 'sessions', userId });
}
