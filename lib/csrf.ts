/**
 * The cross-site request rule for the JSON API: a state-changing request from a browser must come
 * from this site. Browsers send `Origin` on every cross-origin POST/PATCH/DELETE (and
 * `Sec-Fetch-Site`), so a foreign page cannot ride the session cookie; clients that are not
 * browsers send neither and have no cookie to abuse. Bodies must be declared JSON, so a
 * `text/plain` form post (a "simple" request that skips CORS preflight) is refused too.
 */

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** ALLOWED_ORIGINS: other origins trusted like this site's own (comma-separated), for the
 * collaboration websocket and the JSON API alike. */
export function allowedOriginsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.ALLOWED_ORIGINS ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
}

export type RequestFacts = {
  method: string;
  /** The Host header the server received (behind a proxy, as the proxy forwards it). */
  host: string | null;
  origin: string | null;
  secFetchSite: string | null;
  contentType: string | null;
  contentLength: string | null;
  /** Origins trusted besides the request's own host (ALLOWED_ORIGINS). */
  allowedOrigins?: readonly string[];
};

/** Why this request is refused as cross-site, or null when it may go on. */
export function crossSiteRefusal(facts: RequestFacts): string | null {
  if (SAFE_METHODS.has(facts.method.toUpperCase())) return null;
  const trusted = facts.origin !== null && (facts.allowedOrigins ?? []).includes(facts.origin);
  if (!trusted && facts.secFetchSite && !['same-origin', 'none'].includes(facts.secFetchSite)) {
    return 'Cross-site requests are refused.';
  }
  if (facts.origin !== null && !trusted) {
    let originHost: string | null = null;
    try {
      originHost = facts.origin === 'null' ? null : new URL(facts.origin).host;
    } catch {
      originHost = null;
    }
    if (originHost === null || facts.host === null || originHost !== facts.host) {
      return 'Cross-site requests are refused.';
    }
  }
  const hasBody = facts.contentLength !== null && facts.contentLength !== '0';
  const type = facts.contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  if (hasBody && type !== 'application/json') return 'Send the body as application/json.';
  return null;
}
