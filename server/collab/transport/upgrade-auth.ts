import type { IncomingMessage } from 'node:http';
import type { Database } from '../../../db/client';
import { findUpgradeAccess } from '../../../db/queries/collab-access';
import {
  decodeSessionTokenCached,
  sessionTokenFromCookieHeader,
} from '../../../lib/auth/session-token';
import { COLLAB_PATH_PREFIX, SCHEMA_VERSION_PARAM } from '../../../lib/collab/protocol';
import { verifyTicket } from '../../../lib/collab/ticket';
import { can } from '../../../lib/permissions';
import { SECOND_FACTOR_REQUIRED_MESSAGE } from '../../../lib/second-factor';
import type { Principal } from './connection';

// Matched on the raw request target: lowercase canonical UUID, optional query, nothing else. No
// decoding happens, so %2F, "..", a trailing slash, upper case or NUL never name a document.
const COLLAB_PATH =
  /^\/collab\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:\?([^#]*))?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** True for every request target the sync server owns (all of /collab/...). */
export function isCollabPath(url: string | undefined): boolean {
  return (
    !!url && (url === '/collab' || url.startsWith(COLLAB_PATH_PREFIX) || url.startsWith('/collab?'))
  );
}

export type UpgradeTarget = {
  documentId: string;
  ticket: string | null;
  /** The schema version the client's code announces; null when it announces none, NaN if bad. */
  schemaVersion: number | null;
};

export function parseCollabTarget(url: string): UpgradeTarget | null {
  const match = COLLAB_PATH.exec(url);
  if (!match) return null;
  const params = new URLSearchParams(match[2] ?? '');
  const schema = params.get(SCHEMA_VERSION_PARAM);
  const schemaVersion = schema === null ? null : /^\d{1,6}$/.test(schema) ? Number(schema) : NaN;
  return { documentId: match[1]!, ticket: params.get('ticket'), schemaVersion };
}

/**
 * Cross-site websocket hijacking guard: browsers send cookies on cross-origin upgrades but always
 * send Origin, so a browser upgrade must come from this host or a configured origin. A request
 * without Origin is not from a browser page; it still needs a session cookie or a ticket.
 */
export function isOriginAllowed(
  origin: string | undefined,
  host: string | undefined,
  allowedOrigins: string[],
): boolean {
  if (origin === undefined) return true;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (host && parsed.host === host.toLowerCase()) return true;
  return allowedOrigins.some((allowed) => {
    try {
      return new URL(allowed).origin === parsed.origin;
    } catch {
      return false;
    }
  });
}

export type UpgradeDecision =
  | { ok: true; documentId: string; principal: Principal; schemaVersion: number | null }
  | { ok: false; status: 400 | 401 | 403 | 404; message: string };

/**
 * Decides an upgrade from the database: who is asking (ticket or session cookie, the session row
 * must still exist) and whether they may read this document. Non-members get the same 404 as a
 * missing document, so ids of other groups' documents cannot be probed.
 */
export async function authorizeUpgrade(
  req: IncomingMessage,
  deps: { db: Database; secret: string; allowedOrigins: string[] },
): Promise<UpgradeDecision> {
  const target = parseCollabTarget(req.url ?? '');
  if (!target) return { ok: false, status: 404, message: 'Not found' };
  if (Number.isNaN(target.schemaVersion)) {
    return { ok: false, status: 400, message: 'Bad schema version' };
  }
  if (!isOriginAllowed(req.headers.origin, req.headers.host, deps.allowedOrigins)) {
    return { ok: false, status: 403, message: 'Origin not allowed' };
  }

  let userId: string;
  let sessionId: string;
  if (target.ticket !== null) {
    const claims = verifyTicket(target.ticket, target.documentId, deps.secret);
    if (!claims) return { ok: false, status: 401, message: 'Invalid or expired ticket' };
    ({ userId, sessionId } = claims);
  } else {
    const cookie = sessionTokenFromCookieHeader(req.headers.cookie);
    const claims =
      cookie && (await decodeSessionTokenCached(cookie.token, cookie.name, deps.secret));
    if (!claims) return { ok: false, status: 401, message: 'Not signed in' };
    ({ userId, sessionId } = claims);
  }
  if (!UUID.test(sessionId) || !UUID.test(userId)) {
    return { ok: false, status: 401, message: 'Not signed in' };
  }
  const access = await findUpgradeAccess(deps.db, sessionId, target.documentId);
  if (!access || access.user.id !== userId) {
    return { ok: false, status: 401, message: 'Session ended' };
  }
  const { framework, role } = access;
  if (!framework || !can(role, 'framework.read') || !role) {
    return { ok: false, status: 404, message: 'Not found' };
  }
  if (!access.meetsSecondFactor) {
    return { ok: false, status: 403, message: SECOND_FACTOR_REQUIRED_MESSAGE };
  }
  return {
    ok: true,
    documentId: target.documentId,
    schemaVersion: target.schemaVersion,
    principal: {
      userId,
      name: access.user.name,
      sessionId,
      role,
      archived: framework.archived,
      delegation: access.delegation,
    },
  };
}
