import type { Database } from '../../db/client';
import {
  countSignInFailuresSince,
  createUser,
  findUserByEmail,
  recordSignInFailure,
  updateUserName,
  updateUserTimeZone,
} from '../../db/queries/users';
import { addressBucket } from '../auth/address-bucket';
import { hashPassword } from '../auth/password';
import { signUpPolicyFromEnv, type SignUpPolicy } from '../auth/sign-up-policy';
import { AppError } from '../errors';
import { isTimeZone } from '../time';
import { displayNameSchema, firstIssue, signUpSchema } from '../validation';
import { badRequest } from './access';
import { authenticate } from './sign-in';
import { signUpRefusal, signUpRefusalMessage } from './sign-up-rules';

export const SIGN_UP_WINDOW_MS = 60 * 60 * 1000;
/**
 * Sign-up attempts from one address (IPv6: one /64) per hour by default. Generous enough for a
 * delegation behind one NAT address joining together; far too few to sweep a list of emails.
 */
export const MAX_SIGN_UPS_PER_ADDRESS = 20;

/** SIGN_UP_MAX_PER_ADDRESS: sign-up attempts per address and hour (default 20). */
export function signUpLimitFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.SIGN_UP_MAX_PER_ADDRESS;
  if (raw === undefined || raw === '') return MAX_SIGN_UPS_PER_ADDRESS;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error('SIGN_UP_MAX_PER_ADDRESS must be a positive integer');
  }
  return value;
}

export const SIGN_UP_MESSAGES = {
  /** For a taken email with another password: says nothing about whether an account exists. */
  notCreated:
    'We could not create an account with these details. Check the email address, or sign in ' +
    'if you have an account.',
  rate_limited: (minutes: number) =>
    `Too many sign-ups from your network. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
} as const;

function rateLimited(retryAfterMs: number): AppError {
  const minutes = Math.max(1, Math.ceil(retryAfterMs / 60_000));
  return new AppError('rate_limited', SIGN_UP_MESSAGES.rate_limited(minutes), 'account.signUp');
}

/**
 * Creates an account and returns it. A taken email never says so: with its own password (its
 * owner signing up twice) the account is returned, to be signed in to as a fresh one would be;
 * with any other password the answer is a neutral refusal, and the attempt counts as a failed
 * sign-in (else sign-up would be a password oracle beside the throttled sign-in). Every attempt
 * from a request counts against its address, `maxPerAddress` an hour (SIGN_UP_MAX_PER_ADDRESS by
 * default). Under `policy` (SIGN_UP, SIGN_UP_EMAIL_DOMAINS by default) the email must be at an
 * allowed domain and, invite-only, `inviteToken` a usable invite link.
 */
export async function signUp(
  db: Database,
  input: { name: unknown; email: unknown; password: unknown },
  request: {
    address?: string | null;
    now?: Date;
    maxPerAddress?: number;
    policy?: SignUpPolicy;
    inviteToken?: string | null;
  } = {},
): Promise<{ id: string; email: string; name: string }> {
  const parsed = signUpSchema.safeParse(input);
  if (!parsed.success) throw badRequest(firstIssue(parsed.error), 'account.signUp');
  const { name, email, password } = parsed.data;
  const policy = request.policy ?? signUpPolicyFromEnv();
  // Before anything else, so a closed deployment answers the same whether the email is taken.
  const refusal = await signUpRefusal(db, policy, email, request.inviteToken ?? null);
  if (refusal) {
    throw new AppError('forbidden', signUpRefusalMessage(policy, refusal), 'account.signUp');
  }
  const now = request.now ?? new Date();
  const address = request.address ?? null;
  // No address: not a request (a script, a test), nothing to throttle. Requests always have one.
  if (address !== null) {
    // Sign-up attempts share the sign-in failures table (throttle events), under their own key.
    const throttleKey = `sign-up:address:${addressBucket(address)}`;
    const since = new Date(now.getTime() - SIGN_UP_WINDOW_MS);
    const { count, oldest } = await countSignInFailuresSince(db, throttleKey, since);
    if (count >= (request.maxPerAddress ?? signUpLimitFromEnv())) {
      throw rateLimited((oldest ?? now).getTime() + SIGN_UP_WINDOW_MS - now.getTime());
    }
    await recordSignInFailure(db, [throttleKey], now);
  }

  if (await findUserByEmail(db, email)) return signInInstead(db, email, password, address, now);
  const passwordHash = await hashPassword(password);
  try {
    const user = await createUser(db, { name, email, passwordHash });
    return { id: user.id, email: user.email, name: user.name };
  } catch (error) {
    // Two sign-ups racing for one email: the unique index decides.
    if (await findUserByEmail(db, email)) return signInInstead(db, email, password, address, now);
    throw error;
  }
}

/** A sign-up for a taken email: the account if the password is its own, else a neutral refusal. */
async function signInInstead(
  db: Database,
  email: string,
  password: string,
  address: string | null,
  now: Date,
): Promise<{ id: string; email: string; name: string }> {
  const result = await authenticate(db, { email, password, address }, now);
  if (result.ok) return result.user;
  if (result.reason === 'rate_limited') throw rateLimited(result.retryAfterSeconds * 1000);
  throw new AppError('bad_request', SIGN_UP_MESSAGES.notCreated, 'account.signUp');
}

/** Sets the zone the user reads times in ('' or null: the browser's). */
export async function setOwnTimeZone(
  db: Database,
  userId: string,
  zone: unknown,
): Promise<string | null> {
  if (zone !== null && zone !== undefined && typeof zone !== 'string') {
    throw badRequest('Choose a time zone from the list.', 'account.zone');
  }
  const value = (zone ?? '').trim();
  if (value === '') {
    await updateUserTimeZone(db, userId, null);
    return null;
  }
  if (!isTimeZone(value)) throw badRequest('Choose a time zone from the list.', 'account.zone');
  await updateUserTimeZone(db, userId, value);
  return value;
}

export async function renameSelf(db: Database, userId: string, name: unknown): Promise<string> {
  const parsed = displayNameSchema.safeParse(name);
  if (!parsed.success) throw badRequest(firstIssue(parsed.error), 'account.rename');
  await updateUserName(db, userId, parsed.data);
  return parsed.data;
}
