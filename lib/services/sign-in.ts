import type { Database } from '../../db/client';
import {
  clearSignInFailures,
  countSignInFailuresSince,
  findUserByEmail,
  recordSignInFailure,
} from '../../db/queries/users';
import { addressBucket } from '../auth/address-bucket';
import { dummyPasswordHash, verifyPassword } from '../auth/password';

export const SIGN_IN_WINDOW_MS = 15 * 60 * 1000;
/** Failures on one account from one address (IPv6: one /64) before that address is locked out. */
export const MAX_FAILURES_PER_ACCOUNT = 5;
/** Failures from one address across all accounts before it is locked out of every account. */
export const MAX_FAILURES_PER_ADDRESS = 20;

export type AuthenticateResult =
  | { ok: true; user: { id: string; email: string; name: string } }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'rate_limited'; retryAfterSeconds: number };

export const SIGN_IN_MESSAGES = {
  invalid: 'Email or password is incorrect.',
  rate_limited: (minutes: number) =>
    `Too many failed sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
} as const;

/**
 * Seconds until the first of the given failure keys that is past its limit unlocks; null when
 * none is. Shared by the password and the second-factor steps, so both throttle alike.
 */
export async function lockedOutFor(
  db: Database,
  limits: Array<[key: string, max: number]>,
  now: Date,
): Promise<number | null> {
  const since = new Date(now.getTime() - SIGN_IN_WINDOW_MS);
  for (const [key, max] of limits) {
    const { count, oldest } = await countSignInFailuresSince(db, key, since);
    if (count >= max) {
      const unlocksAt = (oldest ?? now).getTime() + SIGN_IN_WINDOW_MS;
      return Math.max(1, Math.ceil((unlocksAt - now.getTime()) / 1000));
    }
  }
  return null;
}

/**
 * Checks an email and password, counting failures per account from each address and per
 * address: past the limit the answer is "rate limited" before the password is even looked at, so
 * guessing stops paying. A lockout binds the address that guessed, never the account as such:
 * whoever guesses wrong five times cannot shut the owner out from their own address.
 * A missing account, an account without a password (single sign-on only) and a wrong password
 * answer the same, in the same time: the form never tells who has an account, or how they sign in.
 */
export async function authenticate(
  db: Database,
  input: { email: string; password: string; address: string | null },
  now = new Date(),
): Promise<AuthenticateResult> {
  const address = input.address ? addressBucket(input.address) : null;
  // No known address (no proxy stamp): such attempts share one bucket per account.
  const accountKey = `account:${input.email.trim().toLowerCase()}|from:${address ?? 'unknown'}`;
  const addressKey = address ? `address:${address}` : null;
  const limits: Array<[string, number]> = [[accountKey, MAX_FAILURES_PER_ACCOUNT]];
  if (addressKey) limits.push([addressKey, MAX_FAILURES_PER_ADDRESS]);
  const retryAfterSeconds = await lockedOutFor(db, limits, now);
  if (retryAfterSeconds !== null) return { ok: false, reason: 'rate_limited', retryAfterSeconds };

  const user = await findUserByEmail(db, input.email);
  const valid = await verifyPassword(
    user?.passwordHash ?? (await dummyPasswordHash()),
    input.password,
  );
  if (!user || !valid) {
    await recordSignInFailure(db, addressKey ? [accountKey, addressKey] : [accountKey]);
    return { ok: false, reason: 'invalid' };
  }
  await clearSignInFailures(db, accountKey);
  return { ok: true, user: { id: user.id, email: user.email, name: user.name } };
}
