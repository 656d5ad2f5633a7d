import { describe, expect, it } from 'vitest';
import { isAllowedEmailDomain, signUpPolicyFromEnv } from './sign-up-policy';

describe('signUpPolicyFromEnv', () => {
  it('is open to any domain by default', () => {
    expect(signUpPolicyFromEnv({})).toEqual({ mode: 'open', emailDomains: [] });
  });

  it('reads invite-only and a domain list, normalised', () => {
    expect(
      signUpPolicyFromEnv({
        SIGN_UP: 'invite-only',
        SIGN_UP_EMAIL_DOMAINS: ' Gouv.FR, @mfa.gov.pl,',
      }),
    ).toEqual({ mode: 'invite-only', emailDomains: ['gouv.fr', 'mfa.gov.pl'] });
  });

  it('refuses a mode or a domain it cannot read', () => {
    expect(() => signUpPolicyFromEnv({ SIGN_UP: 'closed' })).toThrow(
      'SIGN_UP must be "open" or "invite-only"',
    );
    expect(() => signUpPolicyFromEnv({ SIGN_UP_EMAIL_DOMAINS: 'gouv.fr,*.gov.pl' })).toThrow(
      '*.gov.pl',
    );
  });
});

describe('isAllowedEmailDomain', () => {
  const policy = { mode: 'open' as const, emailDomains: ['gouv.fr'] };

  it('allows exactly the listed domains, in any letter case', () => {
    expect(isAllowedEmailDomain(policy, 'marie@gouv.fr')).toBe(true);
    expect(isAllowedEmailDomain(policy, 'Marie@GOUV.FR')).toBe(true);
    expect(isAllowedEmailDomain(policy, 'eve@gouv.fr.evil.example')).toBe(false);
    expect(isAllowedEmailDomain(policy, 'eve@x.gouv.fr')).toBe(false);
    expect(isAllowedEmailDomain(policy, 'eve@evilgouv.fr')).toBe(false);
  });

  it('allows any domain with an empty list', () => {
    expect(isAllowedEmailDomain({ mode: 'open', emailDomains: [] }, 'a@b.example')).toBe(true);
  });
});
