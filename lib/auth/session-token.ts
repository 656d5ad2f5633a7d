import { decode } from 'next-auth/jwt';

/** Cookie that carries the session JWT; browsers only keep the __Secure- one over HTTPS. */
export const SESSION_COOKIE_NAMES = ['__Secure-authjs.session-token', 'authjs.session-token'];

/** Lifetime of a session, in seconds (30 days, sliding). */
export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;

export type SessionClaims = { userId: string; sessionId: string };

/**
 * Reads the session cookie from a raw Cookie header (the websocket upgrade has no Next.js). A
 * value that is not valid percent-encoding is no session (the caller answers 401), never an
 * exception.
 */
export function sessionTokenFromCookieHeader(
  header: string | undefined,
): { name: string; token: string } | null {
  if (!header) return null;
  const cookies = new Map<string, string>();
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    cookies.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  for (const name of SESSION_COOKIE_NAMES) {
    // Large JWTs are split into name.0, name.1, ...; ours are small, but accept both.
    const whole = cookies.get(name);
    const chunks: string[] = [];
    for (let i = 0; cookies.has(`${name}.${i}`); i++) chunks.push(cookies.get(`${name}.${i}`)!);
    const raw = whole || chunks.join('');
    if (!raw) continue;
    const token = decodeCookieValue(raw);
    if (token !== null) return { name, token };
  }
  return null;
}

function decodeCookieValue(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    // URIError: a malformed escape, from a tampered or broken cookie.
    return null;
  }
}

/** Verifies and decrypts a session JWT; null when invalid, expired or not ours. The caller must
 *  still check that the session row exists (a JWT alone cannot be revoked). */
export async function decodeSessionToken(
  token: string,
  cookieName: string,
  secret: string,
): Promise<SessionClaims | null> {
  return (await decodeWithExpiry(token, cookieName, secret))?.claims ?? null;
}

async function decodeWithExpiry(
  token: string,
  cookieName: string,
  secret: string,
): Promise<{ claims: SessionClaims; expiresAtMs: number } | null> {
  try {
    const payload = await decode({ token, secret, salt: cookieName });
    if (!payload || typeof payload.sub !== 'string' || typeof payload.sid !== 'string') return null;
    const expiresAtMs = typeof payload.exp === 'number' ? payload.exp * 1000 : Date.now();
    return { claims: { userId: payload.sub, sessionId: payload.sid }, expiresAtMs };
  } catch {
    return null;
  }
}

/** Decoded tokens kept, at most this many and this long (the oldest go first). */
const CACHE_SIZE = 1_000;
const CACHE_MS = 5 * 60_000;
const decoded = new Map<string, { claims: SessionClaims; untilMs: number }>();

/**
 * decodeSessionToken for the websocket upgrade, remembering recent results: decrypting a token
 * (key derivation and JWE) costs about a millisecond of CPU, and a browser presents the same
 * cookie for every document it opens and on every reconnect. The result is a pure function of
 * token, cookie name and secret, kept no longer than the token's own expiry; refusals are not
 * kept. The caller still checks the session row on every upgrade.
 */
export async function decodeSessionTokenCached(
  token: string,
  cookieName: string,
  secret: string,
): Promise<SessionClaims | null> {
  const key = `${secret}\0${cookieName}\0${token}`;
  const now = Date.now();
  const hit = decoded.get(key);
  if (hit && hit.untilMs > now) return hit.claims;
  if (hit) decoded.delete(key);
  const result = await decodeWithExpiry(token, cookieName, secret);
  if (!result) return null;
  const untilMs = Math.min(result.expiresAtMs, now + CACHE_MS);
  if (untilMs > now) {
    if (decoded.size >= CACHE_SIZE) decoded.delete(decoded.keys().next().value!);
    decoded.set(key, { claims: result.claims, untilMs });
  }
  return result.claims;
}
