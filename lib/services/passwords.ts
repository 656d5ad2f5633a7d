import type { Database } from '../../db/client';
import {
  countSignInFailuresSince,
  findUserById,
  recordSignInFailure,
  updatePasswordHash,
} from '../../db/queries/users';
import { retireResetTokens } from '../../db/queries/password-resets';
import { hashPassword, verifyPassword } from '../auth/password';
import { AppError } from '../errors';
import { firstIssue, passwordSchema } from '../validation';
import { badRequest } from './access';
import { endSessionsOf, type SessionActor } from './sessions';
import { MAX_FAILURES_PER_ACCOUNT, SIGN_IN_WINDOW_MS } from './sign-in';

export const PASSWORD_MESSAGES = {
  noPassword: 'Your account signs in through single sign-on and has no password here to change.',
  wrongCurrent: 'Your current password is not right.',
  sameAsCurrent: 'Choose a new password that differs from the current one.',
  rate_limited: (minutes: number) =>
    `Too many wrong current passwords. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
} as const;

/**
 * Changes my password: the current one is required (a session left open on a shared computer
 * must not be enough to take the account), the new one follows the sign-up rules, and every other
 * session of mine ends, this one stays. Wrong current passwords are throttled like sign-ins.
 * An account without a password (single sign-on only) has nothing to change and is refused.
 */
export async function changeOwnPassword(
  db: Database,
  actor: SessionActor,
  input: { current: unknown; next: unknown },
  now = new Date(),
): Promise<{ sessionsEnded: number }> {
  const user = await findUserById(db, actor.userId);
  if (!user) throw new AppError('unauthorized', 'Sign in first.', 'account.password');
  if (!user.passwordHash)
    throw new AppError('forbidden', PASSWORD_MESSAGES.noPassword, 'account.password');
  const next = passwordSchema.safeParse(input.next);
  if (!next.success) throw badRequest(firstIssue(next.error), 'account.password');

  const throttleKey = `password-change:user:${user.id}`;
  const since = new Date(now.getTime() - SIGN_IN_WINDOW_MS);
  const { count, oldest } = await countSignInFailuresSince(db, throttleKey, since);
  if (count >= MAX_FAILURES_PER_ACCOUNT) {
    const minutes = Math.max(
      1,
      Math.ceil(((oldest ?? now).getTime() + SIGN_IN_WINDOW_MS - now.getTime()) / 60_000),
    );
    throw new AppError('rate_limited', PASSWORD_MESSAGES.rate_limited(minutes), 'account.password');
  }
  const current = typeof input.current === 'string' ? input.current : '';
  if (!(await verifyPassword(user.passwordHash, current))) {
    await recordSignInFailure(db, [throttleKey], now);
    throw new AppError('forbidden', PASSWORD_MESSAGES.wrongCurrent, 'account.password');
  }
  if (current === next.data) throw badRequest(PASSWORD_MESSAGES.sameAsCurrent, 'account.password');

  await updatePasswordHash(db, user.id, await hashPassword(next.data));
  // A reset link asked for before the change must not undo it.
  await retireResetTokens(db, user.id, now);
  return { sessionsEnded: await endSessionsOf(db, user.id, actor.sessionId) };
}

/** Whether the user has a password (else they sign in only through single sign-on). */
export async function hasPassword(db: Database, userId: string): Promise<boolean> {
  return Boolean((await findUserById(db, userId))?.passwordHash);
}
