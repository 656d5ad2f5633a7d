import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../../db/client';
import {
  createPasswordResetToken,
  findUsableResetToken,
  retireResetTokens,
  useResetToken,
} from '../../db/queries/password-resets';
import { deleteUserSessionsExcept } from '../../db/queries/sessions';
import {
  countSignInFailuresSince,
  findUserByEmail,
  findUserById,
  recordSignInFailure,
  updatePasswordHash,
} from '../../db/queries/users';
import { addressBucket } from '../auth/address-bucket';
import { hashPassword } from '../auth/password';
import { liveDocumentsIfRunning } from '../collab/live-documents';
import { AppError } from '../errors';
import type { Mailer } from '../mail';
import { emailSchema, firstIssue, passwordSchema } from '../validation';
import { badRequest } from './access';

/** A reset link works once, for this long. */
export const RESET_LINK_TTL_MS = 30 * 60 * 1000;
export const RESET_WINDOW_MS = 60 * 60 * 1000;
/** Reset requests from one address (IPv6: one /64) per hour: a delegation's office, not a sweep. */
export const MAX_RESET_REQUESTS_PER_ADDRESS = 10;
/** Reset mails one address receives per hour, whoever asks: nobody can flood an inbox. */
export const MAX_RESET_MAILS_PER_EMAIL = 3;

export const RESET_MESSAGES = {
  /** The one answer to every well-formed request: it never tells whether the account exists. */
  sent:
    'If an account with a password uses this email, a link to choose a new password is on its ' +
    'way. It works once, within 30 minutes.',
  unavailable: 'Password reset by email is not available on this deployment.',
  unusable: 'This reset link has expired or was already used. Ask for a new one.',
  rate_limited: (minutes: number) =>
    `Too many reset requests from your network. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
} as const;

/** Where a reset link points: `${origin}/reset-password/<token>`. */
export function resetLinkPath(token: string): string {
  return `/reset-password/${token}`;
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Asks for a reset link by email. Every well-formed request gets the same answer, whether or not
 * the email has an account (or a password: single sign-on accounts get no mail). Requests are
 * throttled per client address (`MAX_RESET_REQUESTS_PER_ADDRESS` an hour, answered as such: it
 * says nothing about the account); mails per email quietly (`MAX_RESET_MAILS_PER_EMAIL` an hour).
 * `delivery` settles when the SMTP server took the mail: the answer does not wait for it, so its
 * timing does not tell a sent mail from none.
 */
export async function requestPasswordReset(
  db: Database,
  mailer: Mailer | null,
  input: { email: unknown },
  request: { address: string | null },
  now = new Date(),
): Promise<{ message: string; delivery: Promise<void> }> {
  if (!mailer) throw new AppError('not_found', RESET_MESSAGES.unavailable, 'account.reset');
  const parsed = emailSchema.safeParse(input.email);
  if (!parsed.success) throw badRequest(firstIssue(parsed.error), 'account.reset');
  const email = parsed.data;
  const since = new Date(now.getTime() - RESET_WINDOW_MS);

  const addressKey = `reset:address:${addressBucket(request.address ?? 'unknown')}`;
  const fromAddress = await countSignInFailuresSince(db, addressKey, since);
  if (fromAddress.count >= MAX_RESET_REQUESTS_PER_ADDRESS) {
    const retryMs = (fromAddress.oldest ?? now).getTime() + RESET_WINDOW_MS - now.getTime();
    throw new AppError(
      'rate_limited',
      RESET_MESSAGES.rate_limited(Math.max(1, Math.ceil(retryMs / 60_000))),
      'account.reset',
    );
  }
  const emailKey = `reset:email:${email}`;
  const toEmail = await countSignInFailuresSince(db, emailKey, since);
  // Counted for every email alike, so the counts say nothing about who has an account.
  await recordSignInFailure(db, [addressKey, emailKey], now);

  const answer = { message: RESET_MESSAGES.sent, delivery: Promise.resolve() };
  if (toEmail.count >= MAX_RESET_MAILS_PER_EMAIL) return answer;
  const user = await findUserByEmail(db, email);
  if (!user?.passwordHash) return answer;

  const token = randomBytes(32).toString('base64url');
  await createPasswordResetToken(db, {
    userId: user.id,
    tokenHash: hashToken(token),
    expiresAt: new Date(now.getTime() + RESET_LINK_TTL_MS),
  });
  const link = `${mailer.publicOrigin}${resetLinkPath(token)}`;
  return {
    ...answer,
    delivery: mailer.send({
      to: user.email,
      subject: 'Choose a new password for the briefing workspace',
      text: [
        `Someone, probably you, asked to reset the password of the account ${user.email}.`,
        '',
        'To choose a new password, open this link within 30 minutes. It works once:',
        link,
        '',
        'Choosing a new password signs you out everywhere.',
        'If you did not ask for this, ignore this mail: your password stays as it is.',
      ].join('\n'),
    }),
  };
}

/** Whether a reset link can still be used (shown before the form); it is not used up by looking. */
export async function isUsableResetLink(
  db: Database,
  token: string,
  now = new Date(),
): Promise<boolean> {
  if (!token) return false;
  return Boolean(await findUsableResetToken(db, hashToken(token), now));
}

/**
 * Sets a new password through a reset link: the link is used up in the same statement that
 * checks it (two tabs cannot both use it), every other link of the user stops working, and every
 * session of the user ends (whoever knew the old password is out). Returns the account's email.
 */
export async function resetPassword(
  db: Database,
  input: { token: unknown; password: unknown },
  now = new Date(),
): Promise<{ email: string }> {
  // Checked before the link is used up, so a rejected password leaves the link working.
  const password = passwordSchema.safeParse(input.password);
  if (!password.success) throw badRequest(firstIssue(password.error), 'account.reset');
  const token = typeof input.token === 'string' ? input.token : '';
  const passwordHash = await hashPassword(password.data);
  const user = await db.transaction(async (tx) => {
    const used = token ? await useResetToken(tx, hashToken(token), now) : undefined;
    if (!used) return undefined;
    await updatePasswordHash(tx, used.userId, passwordHash);
    await retireResetTokens(tx, used.userId, now);
    await deleteUserSessionsExcept(tx, used.userId, null);
    return findUserById(tx, used.userId);
  });
  if (!user) throw new AppError('not_found', RESET_MESSAGES.unusable, 'account.reset');
  liveDocumentsIfRunning()?.notices.accessChanged({ kind: 'sessions', userId: user.id });
  return { email: user.email };
}
