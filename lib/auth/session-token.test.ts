import { encode } from 'next-auth/jwt';
import { describe, expect, it, vi } from 'vitest';
import {
  decodeSessionToken,
  decodeSessionTokenCached,
  sessionTokenFromCookieHeader,
} from './session-token';

const secret = 'test-secret-of-sufficient-length-0123456789';
const cookieName = 'authjs.session-token';

describe('session token', () => {
  it('finds the session cookie among others, whole or chunked', () => {
    expect(sessionTokenFromCookieHeader(`a=1; ${cookieName}=abc; b=2`)).toEqual({
      name: cookieName,
      token: 'abc',
    });
    expect(sessionTokenFromCookieHeader(`${cookieName}.0=ab; ${cookieName}.1=cd`)).toEqual({
      name: cookieName,
      token: 'abcd',
    });
    expect(sessionTokenFromCookieHeader('a=1')).toBeNull();
    // A malformed percent-escape is no session, never an exception.
    expect(sessionTokenFromCookieHeader(`${cookieName}=%E0%A4%A`)).toBeNull();
    expect(sessionTokenFromCookieHeader(`${cookieName}.0=%; ${cookieName}.1=x`)).toBeNull();
    expect(sessionTokenFromCookieHeader(undefined)).toBeNull();
  });

  it('decodes a token it issued and refuses a tampered or foreign one', async () => {
    const token = await encode({
      token: { sub: 'user-1', sid: 'session-1' },
      secret,
      salt: cookieName,
    });
    expect(await decodeSessionToken(token, cookieName, secret)).toEqual({
      userId: 'user-1',
      sessionId: 'session-1',
    });
    const tampered = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect(await decodeSessionToken(tampered, cookieName, secret)).toBeNull();
    expect(
      await decodeSessionToken(token, cookieName, 'another-secret-of-sufficient-length'),
    ).toBeNull();
    expect(await decodeSessionToken(token, '__Secure-authjs.session-token', secret)).toBeNull();
  });

  it('refuses a token without a session id', async () => {
    const token = await encode({ token: { sub: 'user-1' }, secret, salt: cookieName });
    expect(await decodeSessionToken(token, cookieName, secret)).toBeNull();
  });

  it('the cached decoder answers like the plain one and never serves an expired token', async () => {
    const token = await encode({
      token: { sub: 'user-2', sid: 'session-2' },
      secret,
      salt: cookieName,
    });
    const claims = { userId: 'user-2', sessionId: 'session-2' };
    expect(await decodeSessionTokenCached(token, cookieName, secret)).toEqual(claims);
    expect(await decodeSessionTokenCached(token, cookieName, secret)).toEqual(claims);
    expect(
      await decodeSessionTokenCached(token, cookieName, 'another-secret-of-sufficient-length'),
    ).toBeNull();
    expect(
      await decodeSessionTokenCached(token, '__Secure-authjs.session-token', secret),
    ).toBeNull();
    const shortLived = await encode({
      token: { sub: 'user-3', sid: 'session-3' },
      secret,
      salt: cookieName,
      maxAge: 1,
    });
    expect(await decodeSessionTokenCached(shortLived, cookieName, secret)).not.toBeNull();
    // Past its expiry (and the decoder's clock tolerance): refused, not served from the cache.
    vi.useFakeTimers({ now: Date.now() + 60_000 });
    try {
      expect(await decodeSessionToken(shortLived, cookieName, secret)).toBeNull();
      expect(await decodeSessionTokenCached(shortLived, cookieName, secret)).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });
});
