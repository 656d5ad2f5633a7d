/** Who may create an account: anyone, or only holders of an invite link; optionally by domain. */
export type SignUpPolicy = {
  mode: 'open' | 'invite-only';
  /** Lower-case email domains new accounts must belong to; empty: any domain. */
  emailDomains: string[];
};

const DOMAIN_PATTERN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * SIGN_UP: "open" (default) or "invite-only"; SIGN_UP_EMAIL_DOMAINS: comma-separated domains,
 * e.g. "gouv.fr,mfa.gov.pl". Throws on a value it cannot read rather than guessing a looser one.
 */
export function signUpPolicyFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): SignUpPolicy {
  const rawMode = (env.SIGN_UP ?? '').trim() || 'open';
  if (rawMode !== 'open' && rawMode !== 'invite-only') {
    throw new Error(`SIGN_UP must be "open" or "invite-only", not "${rawMode}".`);
  }
  const emailDomains = (env.SIGN_UP_EMAIL_DOMAINS ?? '')
    .split(',')
    .map((domain) => domain.trim().toLowerCase().replace(/^@/, ''))
    .filter(Boolean);
  const bad = emailDomains.filter((domain) => !DOMAIN_PATTERN.test(domain));
  if (bad.length > 0) {
    throw new Error(`SIGN_UP_EMAIL_DOMAINS has entries that are not domains: ${bad.join(', ')}.`);
  }
  return { mode: rawMode, emailDomains };
}

/** Whether an email belongs to an allowed domain (exactly that domain: no subdomains). */
export function isAllowedEmailDomain(policy: SignUpPolicy, email: string): boolean {
  if (policy.emailDomains.length === 0) return true;
  const domain = email.trim().toLowerCase().split('@').pop() ?? '';
  return policy.emailDomains.includes(domain);
}
