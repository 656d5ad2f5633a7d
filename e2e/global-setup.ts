import { e2eOidcPort, e2eProductOrigins } from './support/servers';
import { startTestOidcProvider } from './support/oidc-provider';

/** Starts the identity provider the product under test is configured with (single sign-on). */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const provider = await startTestOidcProvider(e2eOidcPort(), e2eProductOrigins());
  return provider.close;
}
