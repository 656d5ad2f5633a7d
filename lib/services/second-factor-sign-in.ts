import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../../db/client';
import {
  consumeSignInChallenge,
  countChallengeAttempt,
  createSignInChallenge,
  findLiveSignInChallenge,
} from '../../db/queries/second-factor';
import { clearSignInFailures, findUserById, recordSignInFailure } from '../../db/queries/users';
import { addressBucket } from '../auth/address-bucket';
import {
  authenticate,
  lockedOutFor,
  MAX_FAILURES_PER_ACCOUNT,
  MAX_FAILURES_PER_ADDRESS,
  type AuthenticateResult,
} from './sign-in';
import { hasSecondFactor, verifySecondFactor } from './second-factor';

/** How long the second step may wait after the password: enough to open an app and type. */
export const CHALLENGE_TTL_MS = 5 * 60 * 1000;
/** Wrong codes one challenge takes before it is dropped and the password is asked again. */
export const MAX_CHALLENGE_ATTEMPTS = 5;

export const SECOND_STEP_MESSAGES = {
  invalid: 'That code is not right. Enter the current code from your app, or a recovery code.',
  expired: 'This sign-in has expired. Enter your email and password again.',
} as const;

export type PasswordStepResult =
  AuthenticateResult | { ok: false; reason: 'second_factor'; challengeToken: string };

export type SecondStepResult =
  | Extract<AuthenticateResult, { ok: true }>
  | { ok: false; reason: 'invalid' | 'expired' }
  | { ok: false; reason: 'rate_limited'; retryAfterSeconds: number };

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * The password step of a sign-in. A user with a second factor gets no session from it: a
 * challenge instead, a random token the browser keeps and the server knows only by its hash,
 * naming the user and expiring in minutes. Only the second step turns it into a session.
 */
export async function signInWithPassword(
  db: Database,
  input: { email: string; password: string; address: string | null },
  now = new Date(),
): Promise<PasswordStepResult> {
  const result = await authenticate(db, input, now);
  if (!result.ok || !(await hasSecondFactor(db, result.user.id))) return result;
  const challengeToken = randomBytes(32).toString('base64url');
  const address = input.address ? addressBucket(input.address) : 'unknown';
  await createSignInChallenge(db, {
    tokenHash: hashToken(challengeToken),
    userId: result.user.id,
    // Wrong codes count on their own key: a right password (which clears the password
    // failures) must not buy more guesses at the code.
    throttleKey: `second-factor:${result.user.id}|from:${address}`,
    expiresAt: new Date(now.getTime() + CHALLENGE_TTL_MS),
  });
  return { ok: false, reason: 'second_factor', challengeToken };
}

/**
 * The second step: the challenge from the password step and a code (TOTP or recovery). Wrong
 * codes are throttled like wrong passwords (per account and address, and per address); a
 * challenge is single use and dies after a few wrong codes.
 */
export async function completeSecondStep(
  db: Database,
  input: { challengeToken: string; code: string; address: string | null },
  now = new Date(),
): Promise<SecondStepResult> {
  const tokenHash = hashToken(input.challengeToken);
  const challenge = await findLiveSignInChallenge(db, tokenHash, now);
  if (!challenge) return { ok: false, reason: 'expired' };
  const address = input.address ? addressBucket(input.address) : null;
  const addressKey = address ? `address:${address}` : null;
  const limits: Array<[string, number]> = [[challenge.throttleKey, MAX_FAILURES_PER_ACCOUNT]];
  if (addressKey) limits.push([addressKey, MAX_FAILURES_PER_ADDRESS]);
  const retryAfterSeconds = await lockedOutFor(db, limits, now);
  if (retryAfterSeconds !== null) return { ok: false, reason: 'rate_limited', retryAfterSeconds };

  if (!(await verifySecondFactor(db, challenge.userId, input.code, now))) {
    await recordSignInFailure(
      db,
      addressKey ? [challenge.throttleKey, addressKey] : [challenge.throttleKey],
      now,
    );
    if ((await countChallengeAttempt(db, tokenHash)) >= MAX_CHALLENGE_ATTEMPTS) {
      await consumeSignInChallenge(db, tokenHash);
    }
    return { ok: false, reason: 'invalid' };
  }
  // Two requests with one challenge: only the one that removes it signs in.
  if (!(await consumeSignInChallenge(db, tokenHash))) return { ok: false, reason: 'expired' };
  await clearSignInFailures(db, challenge.throttleKey);
  const user = await findUserById(db, challenge.userId);
  if (!user) return { ok: false, reason: 'expired' };
  return { ok: true, user: { id: user.id, email: user.email, name: user.name } };
}
