import type { Database } from '../../db/client';
import { isAllowedEmailDomain, type SignUpPolicy } from '../auth/sign-up-policy';
import { previewInvite } from './invites';

export type SignUpRefusal = 'invite_only' | 'domain_not_allowed';

export const SIGN_UP_RULE_MESSAGES = {
  invite_only:
    'Accounts here are created by invitation only. Open the invite link your chair sent you.',
  domain_not_allowed: (domains: string[]) =>
    `Accounts here are for email addresses at ${domains.join(', ')}.`,
} as const;

/**
 * Whether a new account may be created for `email` under `policy`, the one rule shared by the
 * password sign-up and the first single sign-on: an allowed domain, and, when invite-only, a
 * usable invite link (one that could still be accepted now).
 */
export async function signUpRefusal(
  db: Database,
  policy: SignUpPolicy,
  email: string,
  inviteToken: string | null,
): Promise<SignUpRefusal | null> {
  if (!isAllowedEmailDomain(policy, email)) return 'domain_not_allowed';
  if (policy.mode === 'invite-only') {
    if (!inviteToken) return 'invite_only';
    if ((await previewInvite(db, inviteToken)).state !== 'valid') return 'invite_only';
  }
  return null;
}

export function signUpRefusalMessage(policy: SignUpPolicy, refusal: SignUpRefusal): string {
  return refusal === 'domain_not_allowed'
    ? SIGN_UP_RULE_MESSAGES.domain_not_allowed(policy.emailDomains)
    : SIGN_UP_RULE_MESSAGES.invite_only;
}
