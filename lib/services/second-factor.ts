import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../../db/client';
import {
  claimTotpStep,
  countUnusedRecoveryCodes,
  deleteTotp,
  enableTotp,
  findSecondFactorStanding,
  findTotpAuthenticator,
  savePendingTotp,
  spendRecoveryCode,
} from '../../db/queries/second-factor';
import { ensureAuthSecret } from '../auth/secret';
import { openTotpSecret, sealTotpSecret } from '../auth/totp-secret-box';
import { matchTotpStep, newTotpSecret, totpUri } from '../auth/totp';
import { AppError } from '../errors';
import type { SecondFactorStatus } from '../second-factor';

export type { SecondFactorStatus };

export const RECOVERY_CODE_COUNT = 8;

const WRONG_CODE = 'That code is not right. Enter the current code from your authenticator app.';

function badCode(where: string): AppError {
  return new AppError('bad_request', WRONG_CODE, where);
}

/** Recovery codes are random, so a plain SHA-256 is enough (nothing to brute-force). */
export function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(normalizeRecoveryCode(code)).digest('hex');
}

function normalizeRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Ten characters from a 32-letter alphabet (50 bits), shown as "xxxxx-xxxxx". */
function newRecoveryCode(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(10);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

async function standingOf(db: Database, userId: string) {
  const standing = await findSecondFactorStanding(db, userId);
  if (!standing) throw new AppError('unauthorized', 'Sign in first.');
  return standing;
}

export async function secondFactorStatus(
  db: Database,
  user: { id: string; email: string },
  authSecret = ensureAuthSecret(),
): Promise<SecondFactorStatus> {
  const standing = await standingOf(db, user.id);
  if (!standing.hasPassword) return { kind: 'single-sign-on' };
  const authenticator = await findTotpAuthenticator(db, user.id);
  if (!authenticator) return { kind: 'off' };
  if (authenticator.enabledAt) {
    return { kind: 'on', recoveryCodesLeft: await countUnusedRecoveryCodes(db, user.id) };
  }
  const secret = openTotpSecret(authenticator.secretBox, authSecret);
  // Sealed under an earlier AUTH_SECRET: the pending enrolment is simply started again.
  if (!secret) return { kind: 'off' };
  return { kind: 'pending', secret, uri: totpUri(secret, user.email) };
}

/**
 * Starts an enrolment: a new secret, kept server-side (sealed) and not yet in force. Accounts
 * without a password sign in through their identity provider, which is their second factor.
 */
export async function startTotpEnrolment(
  db: Database,
  user: { id: string; email: string },
  authSecret = ensureAuthSecret(),
): Promise<{ secret: string; uri: string }> {
  const standing = await standingOf(db, user.id);
  if (!standing.hasPassword) {
    throw new AppError(
      'conflict',
      'You sign in through single sign-on: your identity provider is your second factor.',
      'secondFactor.start',
    );
  }
  if (standing.totpEnabled) {
    throw new AppError('conflict', 'Your second factor is already on.', 'secondFactor.start');
  }
  const secret = newTotpSecret();
  await savePendingTotp(db, user.id, sealTotpSecret(secret, authSecret));
  return { secret, uri: totpUri(secret, user.email) };
}

/** Whether `code` is a current TOTP code not used before; the step is spent when it is. */
async function spendTotpCode(
  db: Database,
  userId: string,
  secretBox: string,
  code: string,
  now: Date,
  authSecret: string,
): Promise<boolean> {
  const secret = openTotpSecret(secretBox, authSecret);
  if (!secret) return false;
  const step = matchTotpStep(secret, code, now);
  return step !== null && (await claimTotpStep(db, userId, step));
}

/**
 * Turns the second factor on once the user proves their app has the secret with a current code;
 * answers the recovery codes, shown once. The user's other sessions end (they had only the
 * password); this one stays, as it has just shown a code.
 */
export async function confirmTotpEnrolment(
  db: Database,
  user: { id: string; sessionId: string },
  code: string,
  now = new Date(),
  authSecret = ensureAuthSecret(),
): Promise<string[]> {
  const authenticator = await findTotpAuthenticator(db, user.id);
  if (!authenticator) {
    throw new AppError(
      'conflict',
      'Start again: turn on the second factor.',
      'secondFactor.confirm',
    );
  }
  if (authenticator.enabledAt) {
    throw new AppError('conflict', 'Your second factor is already on.', 'secondFactor.confirm');
  }
  if (!(await spendTotpCode(db, user.id, authenticator.secretBox, code, now, authSecret))) {
    throw badCode('secondFactor.confirm');
  }
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  const enabled = await enableTotp(
    db,
    {
      userId: user.id,
      recoveryCodeHashes: codes.map(hashRecoveryCode),
      keepSessionId: user.sessionId,
    },
    now,
  );
  if (!enabled)
    throw new AppError('conflict', 'Your second factor is already on.', 'secondFactor.confirm');
  return codes;
}

/** Turns the second factor off; a current code is needed, so a borrowed session cannot. */
export async function disableTotp(
  db: Database,
  userId: string,
  code: string,
  now = new Date(),
  authSecret = ensureAuthSecret(),
): Promise<void> {
  const authenticator = await findTotpAuthenticator(db, userId);
  if (!authenticator?.enabledAt) {
    throw new AppError('conflict', 'Your second factor is not on.', 'secondFactor.disable');
  }
  if (!(await spendTotpCode(db, userId, authenticator.secretBox, code, now, authSecret))) {
    throw badCode('secondFactor.disable');
  }
  await deleteTotp(db, userId);
}

/**
 * Checks the second step of a sign-in: a current TOTP code (each step accepted once) or an
 * unused recovery code (then spent). False when the user has no second factor on.
 */
export async function verifySecondFactor(
  db: Database,
  userId: string,
  code: string,
  now = new Date(),
  authSecret = ensureAuthSecret(),
): Promise<boolean> {
  const authenticator = await findTotpAuthenticator(db, userId);
  if (!authenticator?.enabledAt) return false;
  if (/^\s*\d[\d\s]*$/.test(code)) {
    return spendTotpCode(db, userId, authenticator.secretBox, code, now, authSecret);
  }
  if (normalizeRecoveryCode(code).length !== 10) return false;
  return spendRecoveryCode(db, userId, hashRecoveryCode(code), now);
}

/** Whether the user's password sign-ins need the second step. */
export async function hasSecondFactor(db: Database, userId: string): Promise<boolean> {
  return (await findSecondFactorStanding(db, userId))?.totpEnabled ?? false;
}
