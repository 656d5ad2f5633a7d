import { NextRequest } from 'next/server';
import { describe, expect, it } from 'vitest';
import { withHostOrigin } from './host-origin';

const callback = (headers: Record<string, string>) =>
  new NextRequest('http://0.0.0.0:3221/api/auth/callback/ministry?code=abc&state=xyz', {
    headers,
  });

describe('withHostOrigin', () => {
  it('addresses the request as the Host header does, keeping path and query', () => {
    const request = withHostOrigin(callback({ host: 'localhost:3221' }), {});
    expect(request.url).toBe('http://localhost:3221/api/auth/callback/ministry?code=abc&state=xyz');
  });

  it('follows a proxy’s forwarded host and protocol', () => {
    const request = withHostOrigin(
      callback({
        host: '10.0.0.5:3000',
        'x-forwarded-host': 'briefing.gouv.fr',
        'x-forwarded-proto': 'https',
      }),
      {},
    );
    expect(request.nextUrl.origin).toBe('https://briefing.gouv.fr');
  });

  it('leaves the request alone when AUTH_URL decides, or when there is no usable host', () => {
    const original = callback({ host: 'localhost:3221' });
    expect(withHostOrigin(original, { AUTH_URL: 'https://briefing.gouv.fr' })).toBe(original);
    const hostless = callback({});
    expect(withHostOrigin(hostless, {})).toBe(hostless);
    const broken = callback({ host: 'bad host name' });
    expect(withHostOrigin(broken, {}).url).toBe(broken.url);
  });
});
