import type { IncomingMessage } from 'node:http';

export const CLIENT_ADDRESS_HEADER = 'x-client-address';

/**
 * Stamps the caller's address on the request for the app (sign-in rate limiting). Whatever the
 * client sent under that name is replaced, so it cannot pick its own address.
 */
export function stampClientAddress(req: IncomingMessage, trustProxy: boolean): void {
  req.headers[CLIENT_ADDRESS_HEADER] =
    (trustProxy && proxiedClientAddress(req)) || req.socket.remoteAddress || 'unknown';
}

/**
 * The address the trusted proxy saw: the last entry of the last X-Forwarded-For header. Earlier
 * entries are whatever the client wrote before the proxy appended its own, so they prove nothing.
 */
export function proxiedClientAddress(req: IncomingMessage): string | null {
  const header = req.headersDistinct['x-forwarded-for'];
  const last = header?.[header.length - 1]?.split(',').pop()?.trim();
  return last ? last : null;
}
