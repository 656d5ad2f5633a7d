/** One OpenID Connect provider the sign-in page offers, as configured by the environment. */
export type OidcProviderConfig = {
  /** Lower-case id, e.g. "ministry": in the callback URL /api/auth/callback/<id> and the database. */
  id: string;
  /** Shown on the button: "Sign in with <name>". */
  name: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
};

const ID_PATTERN = /^[a-z][a-z0-9-]{0,31}$/;
// Auth.js's own provider ids: an OIDC provider under one of these names would shadow it.
const RESERVED_IDS = new Set(['credentials', 'email', 'nodemailer', 'webauthn']);

/**
 * Reads OIDC_PROVIDERS (comma-separated ids) and, for each id, OIDC_<ID>_ISSUER, _CLIENT_ID,
 * _CLIENT_SECRET and _NAME (the id upper-cased, hyphens as underscores). Throws one error naming
 * every missing or malformed variable, so a misconfigured deployment fails at start, not at the
 * first person who clicks the button.
 */
export function oidcProvidersFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): OidcProviderConfig[] {
  const ids = (env.OIDC_PROVIDERS ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  const problems: string[] = [];
  const seen = new Set<string>();
  const providers: OidcProviderConfig[] = [];
  for (const id of ids) {
    if (!ID_PATTERN.test(id) || RESERVED_IDS.has(id)) {
      problems.push(
        `"${id}" in OIDC_PROVIDERS is not a usable id (lower-case letters, digits, hyphens; not ${[...RESERVED_IDS].join(', ')})`,
      );
      continue;
    }
    if (seen.has(id)) {
      problems.push(`"${id}" appears twice in OIDC_PROVIDERS`);
      continue;
    }
    seen.add(id);
    const prefix = `OIDC_${id.toUpperCase().replaceAll('-', '_')}_`;
    const read = (suffix: string): string => {
      const value = env[prefix + suffix]?.trim() ?? '';
      if (!value) problems.push(`${prefix}${suffix} is not set`);
      return value;
    };
    const issuer = read('ISSUER');
    const clientId = read('CLIENT_ID');
    const clientSecret = read('CLIENT_SECRET');
    const name = read('NAME');
    if (issuer && !isHttpUrl(issuer)) problems.push(`${prefix}ISSUER must be an http(s) URL`);
    providers.push({ id, name, issuer, clientId, clientSecret });
  }
  if (problems.length > 0) {
    throw new Error(`Single sign-on is misconfigured: ${problems.join('; ')}.`);
  }
  return providers;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
