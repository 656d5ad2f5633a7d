import { redirect } from 'next/navigation';
import { getDb } from '@/db/client';
import { findSessionUser } from '@/db/queries/users';
import { auth } from './auth';
import { safeReturnPath } from '@/lib/auth/return-path';

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
  const user = await findSessionUser(await getDb(), sessionId);
  if (!user || user.id !== session.user?.id) return null;
  return { ...user, sessionId };
}

/** The signed-in user, or a redirect to sign-in that comes back to `returnTo` afterwards. */
export async function requireUser(returnTo: string): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(safeReturnPath(returnTo))}`);
  return user;
}
