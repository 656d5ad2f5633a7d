import type { Server } from 'node:http';
import Provider, { type Configuration } from 'oidc-provider';
import { TEST_OIDC_CLIENT } from './servers';

/**
 * The person behind a login typed into the provider's login form: the login is the email, and a
 * login starting with "unverified" is an address the provider has not verified.
 */
export function personOfLogin(login: string) {
  const email = login.includes('@') ? login : `${login}@example.test`;
  return {
    email,
    email_verified: !login.startsWith('unverified'),
    name: `SSO ${email.split('@')[0]}`,
  };
}

/**
 * A real OpenID Provider (node-oidc-provider) on `port`, with its development login and consent
 * pages: enough for the product to go through the whole authorization code flow in Chromium.
 */
export async function startTestOidcProvider(
  port: number,
  productOrigins: string[],
): Promise<{ issuer: string; close: () => Promise<void> }> {
  const issuer = `http://localhost:${port}`;
  const configuration: Configuration = {
    clients: [
      {
        client_id: TEST_OIDC_CLIENT.id,
        client_secret: TEST_OIDC_CLIENT.secret,
        redirect_uris: productOrigins.map(
          (origin) => `${origin}/api/auth/callback/${TEST_OIDC_CLIENT.providerId}`,
        ),
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    // Auth.js reads the person from the ID token: put the requested claims there.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['e2e-cookie-key-not-for-production'] },
    async findAccount(_ctx, sub) {
      return {
        accountId: sub,
        async claims() {
          return { sub, ...personOfLogin(sub) };
        },
      };
    },
  };
  const provider = new Provider(issuer, configuration);
  const server: Server = await new Promise((resolve, reject) => {
    const listening = provider.listen(port, () => resolve(listening));
    listening.once('error', reject);
  });
  return {
    issuer,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
