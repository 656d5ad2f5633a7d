import { redirect } from 'next/navigation';
import { getDb } from '@/db/client';
import { findSessionUser } from '@/db/queries/users';
import { auth } from './auth';
import { safeReturnPath } from '@/lib/auth/return-path';
import { log } from '@/lib/log';
import { noteSessionSeen } from '@/lib/services/sessions';

export { safeReturnPath };

export type CurrentUser = {
  id: string;
  email: string;
  name: string;
  /** The time zone chosen in the profile; null: the browser's. */
  timeZone: string | null;
  sessionId: string;
};

/** The signed-in user, checked against the session table (a signed-out JWT is not enough). */
export async function getCurrentUser(): Promise<CurrentUser | null> {
  const session = await auth();
  const sessionId = session?.sessionId;
  if (!sessionId) return null;
  const db = await getDb();
  const found = await findSessionUser(db, sessionId);
  if (!found || found.id !== session.user?.id) return null;
  const { sessionLastSeenAt, ...user } = found;
  // "Last seen" for the sessions list; writes at most every few minutes, never fails the page.
  noteSessionSeen(db, { sessionId, lastSeenAt: sessionLastSeenAt }).catch((error: unknown) =>
    log.warn({ err: error }, 'session last seen not recorded'),
  );
  return { ...user, sessionId };
}

/** The signed-in user, or a redirect to sign-in that comes back to `returnTo` afterwards. */
export async function requireUser(returnTo: string): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(safeReturnPath(returnTo))}`);
  return user;
}
