import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { CLIENT_ADDRESS_HEADER, stampClientAddress } from './client-address';

function request(forwarded: string[] | undefined, remote = '10.0.0.5'): IncomingMessage {
  const headers: Record<string, string | string[]> = { [CLIENT_ADDRESS_HEADER]: '1.2.3.4' };
  if (forwarded) headers['x-forwarded-for'] = forwarded.join(', ');
  return {
    headers,
    headersDistinct: forwarded ? { 'x-forwarded-for': forwarded } : {},
    socket: { remoteAddress: remote },
  } as unknown as IncomingMessage;
}

describe('stampClientAddress', () => {
  it('behind a trusted proxy, takes the entry the proxy appended, not one the client wrote', () => {
    const req = request(['6.6.6.6, 203.0.113.9']);
    stampClientAddress(req, true);
    expect(req.headers[CLIENT_ADDRESS_HEADER]).toBe('203.0.113.9');
  });

  it('reads the last of several X-Forwarded-For headers', () => {
    const req = request(['6.6.6.6', '198.51.100.7']);
    stampClientAddress(req, true);
    expect(req.headers[CLIENT_ADDRESS_HEADER]).toBe('198.51.100.7');
  });

  it('without a trusted proxy, ignores X-Forwarded-For and replaces a forged stamp', () => {
    const req = request(['6.6.6.6']);
    stampClientAddress(req, false);
    expect(req.headers[CLIENT_ADDRESS_HEADER]).toBe('10.0.0.5');
  });
});
