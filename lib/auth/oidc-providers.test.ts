import { describe, expect, it } from 'vitest';
import { oidcProvidersFromEnv } from './oidc-providers';

const ministry = {
  OIDC_MINISTRY_ISSUER: 'https://id.diplomatie.gouv.fr',
  OIDC_MINISTRY_CLIENT_ID: 'briefing',
  OIDC_MINISTRY_CLIENT_SECRET: 's3cret',
  OIDC_MINISTRY_NAME: 'France Diplomatie',
};

describe('oidcProvidersFromEnv', () => {
  it('offers no provider when OIDC_PROVIDERS is unset or blank', () => {
    expect(oidcProvidersFromEnv({})).toEqual([]);
    expect(oidcProvidersFromEnv({ OIDC_PROVIDERS: ' , ' })).toEqual([]);
  });

  it('reads each listed provider from its own prefix', () => {
    expect(
      oidcProvidersFromEnv({
        OIDC_PROVIDERS: 'ministry, mfa-pl',
        ...ministry,
        OIDC_MFA_PL_ISSUER: 'https://login.mfa.gov.pl/realms/staff',
        OIDC_MFA_PL_CLIENT_ID: 'ws',
        OIDC_MFA_PL_CLIENT_SECRET: 'x',
        OIDC_MFA_PL_NAME: 'MSZ',
      }),
    ).toEqual([
      {
        id: 'ministry',
        name: 'France Diplomatie',
        issuer: 'https://id.diplomatie.gouv.fr',
        clientId: 'briefing',
        clientSecret: 's3cret',
      },
      {
        id: 'mfa-pl',
        name: 'MSZ',
        issuer: 'https://login.mfa.gov.pl/realms/staff',
        clientId: 'ws',
        clientSecret: 'x',
      },
    ]);
  });

  it('names every missing variable at once', () => {
    expect(() =>
      oidcProvidersFromEnv({
        OIDC_PROVIDERS: 'ministry',
        OIDC_MINISTRY_ISSUER: 'https://id.example',
      }),
    ).toThrow(
      'OIDC_MINISTRY_CLIENT_ID is not set; OIDC_MINISTRY_CLIENT_SECRET is not set; OIDC_MINISTRY_NAME is not set',
    );
  });

  it('refuses an issuer that is not an http(s) URL', () => {
    expect(() =>
      oidcProvidersFromEnv({
        OIDC_PROVIDERS: 'ministry',
        ...ministry,
        OIDC_MINISTRY_ISSUER: 'id.diplomatie.gouv.fr',
      }),
    ).toThrow('OIDC_MINISTRY_ISSUER must be an http(s) URL');
  });

  it('refuses unusable, reserved and repeated ids', () => {
    expect(() => oidcProvidersFromEnv({ OIDC_PROVIDERS: 'Ministry' })).toThrow(/"Ministry"/);
    expect(() => oidcProvidersFromEnv({ OIDC_PROVIDERS: 'credentials' })).toThrow(/"credentials"/);
    expect(() =>
      oidcProvidersFromEnv({ OIDC_PROVIDERS: 'ministry,ministry', ...ministry }),
    ).toThrow('appears twice');
  });
});
