import type { Database } from '../../db/client';
import { findSsoAccountUser, linkSsoAccount } from '../../db/queries/sso-accounts';
import { createUser, findUserByEmail } from '../../db/queries/users';
import type { SignUpPolicy } from '../auth/sign-up-policy';
import { displayNameSchema, emailSchema } from '../validation';
import { signUpRefusalMessage, signUpRefusal, type SignUpRefusal } from './sign-up-rules';

/** What an OpenID provider said about the person, as received (nothing trusted yet). */
export type SsoIdentity = {
  provider: string;
  subject: string;
  email: unknown;
  emailVerified: unknown;
  name: unknown;
};

export type SsoRefusal = 'no_email' | 'unverified_email' | SignUpRefusal;

export type SsoSignInResult =
  | { ok: true; user: { id: string; email: string; name: string }; created: boolean }
  | { ok: false; reason: SsoRefusal; message: string };

export const SSO_MESSAGES = {
  no_email:
    'Your identity provider did not share an email address, so we cannot find your account.',
  unverified_email:
    'Your identity provider has not verified your email address. Verify it there, then sign in again.',
} as const;

/**
 * Resolves a single sign-on to a user. A known identity (provider + subject) is its linked user;
 * otherwise the identity is linked by its VERIFIED email to the account holding that email, or a
 * new account without a password is created, if the sign-up rules allow one. An unverified email
 * links to nothing: anyone can claim any address at a provider that does not check.
 */
export async function resolveSsoSignIn(
  db: Database,
  identity: SsoIdentity,
  policy: SignUpPolicy,
  inviteToken: string | null = null,
): Promise<SsoSignInResult> {
  const linked = await findSsoAccountUser(db, identity.provider, identity.subject);
  if (linked) return { ok: true, user: linked, created: false };

  const email = emailSchema.safeParse(identity.email);
  if (!email.success) return refuse('no_email', SSO_MESSAGES.no_email);
  // Some providers send the claim as the string "true"; anything else is not a verification.
  if (identity.emailVerified !== true && identity.emailVerified !== 'true') {
    return refuse('unverified_email', SSO_MESSAGES.unverified_email);
  }

  const existing = await findUserByEmail(db, email.data);
  if (existing) return link(db, identity, existing, false);

  const refusal = await signUpRefusal(db, policy, email.data, inviteToken);
  if (refusal) return refuse(refusal, signUpRefusalMessage(policy, refusal));
  const name = displayNameSchema.safeParse(identity.name);
  try {
    const user = await createUser(db, {
      email: email.data,
      name: name.success ? name.data : (email.data.split('@')[0] ?? email.data),
      passwordHash: null,
    });
    return link(db, identity, user, true);
  } catch (error) {
    // Two first sign-ins racing for one email: the unique index decides, both link to the winner.
    const winner = await findUserByEmail(db, email.data);
    if (winner) return link(db, identity, winner, false);
    throw error;
  }
}

async function link(
  db: Database,
  identity: SsoIdentity,
  user: { id: string; email: string; name: string },
  created: boolean,
): Promise<SsoSignInResult> {
  await linkSsoAccount(db, {
    provider: identity.provider,
    subject: identity.subject,
    userId: user.id,
  });
  // A concurrent sign-in of the same identity may have linked it first: its link stands.
  const linked = await findSsoAccountUser(db, identity.provider, identity.subject);
  if (!linked) throw new Error('single sign-on link vanished');
  return { ok: true, user: linked, created: created && linked.id === user.id };
}

function refuse(reason: SsoRefusal, message: string): SsoSignInResult {
  return { ok: false, reason, message };
}

const SSO_FAILED = 'Single sign-on did not complete. Try again, or ask your administrator.';

/**
 * The sign-in page's words for the ?error= a failed single sign-on comes back with: a refusal of
 * ours, or any Auth.js error code (never echoed, since the query string is anyone's to write).
 */
export function ssoErrorMessage(code: string | undefined, policy: SignUpPolicy): string | null {
  if (!code) return null;
  if (code === 'no_email' || code === 'unverified_email') return SSO_MESSAGES[code];
  if (code === 'invite_only' || code === 'domain_not_allowed') {
    return signUpRefusalMessage(policy, code);
  }
  return SSO_FAILED;
}
