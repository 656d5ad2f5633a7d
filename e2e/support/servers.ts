import path from 'node:path';

/** The one client the product under test is registered as. */
export const TEST_OIDC_CLIENT = {
  id: 'briefing-workspace-e2e',
  secret: 'e2e-client-secret-not-for-production',
  providerId: 'testidp',
  name: 'Test Ministry',
};

/** The product's port under test (E2E_PORT, 3210 by default). */
export function e2eProductPort(): number {
  return Number(process.env.E2E_PORT ?? 3210);
}

/** The test identity provider's port: E2E_OIDC_PORT, else 1000 above the product's. */
export function e2eOidcPort(): number {
  return Number(process.env.E2E_OIDC_PORT ?? e2eProductPort() + 1000);
}

/** A second product server for the invite-only spec (E2E_PORT + 2000). */
export function e2eInviteOnlyPort(): number {
  return e2eProductPort() + 2000;
}

/** Where Chromium reaches the product: the callback URLs the identity provider accepts. */
export function e2eProductOrigins(): string[] {
  return [e2eProductPort(), e2eInviteOnlyPort()].flatMap((port) => [
    `http://localhost:${port}`,
    `http://127.0.0.1:${port}`,
  ]);
}

/** The product's environment for the test identity provider. */
export function e2eOidcEnv(): Record<string, string> {
  const prefix = `OIDC_${TEST_OIDC_CLIENT.providerId.toUpperCase()}_`;
  return {
    OIDC_PROVIDERS: TEST_OIDC_CLIENT.providerId,
    [`${prefix}ISSUER`]: `http://localhost:${e2eOidcPort()}`,
    [`${prefix}CLIENT_ID`]: TEST_OIDC_CLIENT.id,
    [`${prefix}CLIENT_SECRET`]: TEST_OIDC_CLIENT.secret,
    [`${prefix}NAME`]: TEST_OIDC_CLIENT.name,
  };
}

/** The test SMTP server's port: E2E_SMTP_PORT, else 25 above the product's. */
export function e2eSmtpPort(): number {
  return Number(process.env.E2E_SMTP_PORT ?? e2eProductPort() + 25);
}

/** Where the test SMTP server writes each message it receives (`<n>.eml`), for the specs to read. */
export function e2eMailDir(): string {
  return path.resolve('.data', `e2e-mail-${e2eSmtpPort()}`);
}

/** The product's environment for the test SMTP server; links in mail point at `origin`. */
export function e2eMailEnv(origin: string): Record<string, string> {
  return {
    SMTP_URL: `smtp://127.0.0.1:${e2eSmtpPort()}`,
    MAIL_FROM: 'Briefing workspace <briefing@example.test>',
    PUBLIC_URL: origin,
  };
}
