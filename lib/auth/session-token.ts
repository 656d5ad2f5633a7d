import { decode } from 'next-auth/jwt';

/** Cookie that carries the session JWT; browsers only keep the __Secure- one over HTTPS. */
export const SESSION_COOKIE_NAMES = ['__Secure-authjs.session-token', 'authjs.session-token'];

/** Lifetime of a session, in seconds (30 days, sliding). */
export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;

export type SessionClaims = { userId: string; sessionId: string };

/** Reads the session cookie from a raw Cookie header (the websocket upgrade has no Next.js). */
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
    if (whole) return { name, token: decodeURIComponent(whole) };
    const chunks: string[] = [];
    for (let i = 0; cookies.has(`${name}.${i}`); i++) chunks.push(cookies.get(`${name}.${i}`)!);
    if (chunks.length) return { name, token: decodeURIComponent(chunks.join('')) };
  }
  return null;
}

/** Verifies and decrypts a session JWT; null when invalid, expired or not ours. The caller must
 *  still check that the session row exists (a JWT alone cannot be revoked). */
export async function decodeSessionToken(
  token: string,
  cookieName: string,
  secret: string,
): Promise<SessionClaims | null> {
  try {
    const payload = await decode({ token, secret, salt: cookieName });
    if (!payload || typeof payload.sub !== 'string' || typeof payload.sid !== 'string') return null;
    return { userId: payload.sub, sessionId: payload.sid };
  } catch {
    return null;
  }
}
