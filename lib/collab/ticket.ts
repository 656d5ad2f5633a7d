import { createHmac, timingSafeEqual } from 'node:crypto';

/** How long a ticket opens the websocket: long enough to connect, too short to be worth stealing. */
export const TICKET_TTL_SECONDS = 60;

export type TicketClaims = { userId: string; sessionId: string; frameworkId: string };

type TicketPayload = { u: string; s: string; f: string; e: number };

// A distinct prefix so an HMAC made for anything else with the same secret never passes as a ticket.
const CONTEXT = 'briefing.collab-ticket.v1:';

function sign(payload: string, secret: string): string {
  return createHmac('sha256', secret)
    .update(CONTEXT + payload)
    .digest('base64url');
}

/**
 * A short-lived signed ticket for opening the collaboration websocket from a client that cannot
 * send the session cookie. Bound to one user, session and document; the session is still checked
 * against the database on use, so signing out revokes outstanding tickets too.
 */
export function issueTicket(claims: TicketClaims, secret: string, now = Date.now()): string {
  const payload: TicketPayload = {
    u: claims.userId,
    s: claims.sessionId,
    f: claims.frameworkId,
    e: Math.floor(now / 1000) + TICKET_TTL_SECONDS,
  };
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${sign(body, secret)}`;
}

/** The claims of a valid, unexpired ticket for `frameworkId`, or null. */
export function verifyTicket(
  ticket: string,
  frameworkId: string,
  secret: string,
  now = Date.now(),
): TicketClaims | null {
  if (ticket.length > 1024) return null;
  const dot = ticket.indexOf('.');
  if (dot <= 0) return null;
  const body = ticket.slice(0, dot);
  const given = Buffer.from(ticket.slice(dot + 1), 'base64url');
  const expected = Buffer.from(sign(body, secret), 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!isPayload(payload)) return null;
  if (payload.f !== frameworkId || payload.e * 1000 < now) return null;
  return { userId: payload.u, sessionId: payload.s, frameworkId: payload.f };
}

function isPayload(value: unknown): value is TicketPayload {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.u === 'string' &&
    typeof v.s === 'string' &&
    typeof v.f === 'string' &&
    typeof v.e === 'number'
  );
}
