import { rmSync } from 'node:fs';
import { startSmtpSink } from '../lib/mail/testing/smtp-sink';
import { e2eMailDir, e2eOidcPort, e2eProductOrigins, e2eSmtpPort } from './support/servers';
import { startTestOidcProvider } from './support/oidc-provider';

/**
 * Starts what the product under test is configured with: the identity provider (single sign-on)
 * and an SMTP server that writes every mail it receives to `e2eMailDir()` (password reset).
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const provider = await startTestOidcProvider(e2eOidcPort(), e2eProductOrigins());
  rmSync(e2eMailDir(), { recursive: true, force: true });
  const smtp = await startSmtpSink(e2eSmtpPort(), { dir: e2eMailDir() });
  return async () => {
    await Promise.all([provider.close(), smtp.close()]);
  };
}
