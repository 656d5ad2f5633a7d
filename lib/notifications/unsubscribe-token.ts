import { createHmac, timingSafeEqual } from 'node:crypto';

// HMAC over the user id under AUTH_SECRET: anyone holding a mail can turn that one user's mail
// off, nobody can make a token for another user. No expiry: an old mail's link keeps working.
const PURPOSE = 'notifications.unsubscribe.v1';

function mac(userId: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(`${PURPOSE}:${userId}`).digest();
}

/** The token of a user's unsubscribe link. */
export function unsubscribeToken(userId: string, secret: string): string {
  return `${Buffer.from(userId).toString('base64url')}.${mac(userId, secret).toString('base64url')}`;
}

/** The user a token was made for, or null when it was not made under `secret`. */
export function userOfUnsubscribeToken(token: string, secret: string): string | null {
  const [idPart, macPart, extra] = token.split('.');
  if (!idPart || !macPart || extra !== undefined) return null;
  const userId = Buffer.from(idPart, 'base64url').toString('utf8');
  const given = Buffer.from(macPart, 'base64url');
  const expected = mac(userId, secret);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return userId;
}

/** Where an unsubscribe link points, under the public origin. */
export function unsubscribePath(token: string): string {
  return `/unsubscribe/${token}`;
}
