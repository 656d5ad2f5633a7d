import type { IncomingMessage } from 'node:http';

export const CLIENT_ADDRESS_HEADER = 'x-client-address';

/**
 * Stamps the caller's address on the request for the app (sign-in rate limiting). Whatever the
 * client sent under that name is replaced, so it cannot pick its own address.
 */
export function stampClientAddress(req: IncomingMessage, trustProxy: boolean): void {
  const forwarded = req.headers['x-forwarded-for'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  req.headers[CLIENT_ADDRESS_HEADER] =
    (trustProxy && first) || req.socket.remoteAddress || 'unknown';
}
