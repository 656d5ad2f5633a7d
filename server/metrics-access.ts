import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleMetrics } from './metrics';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * Whether a request may read /metrics (Node version, connection and document counts are a map
 * for an attacker). With METRICS_TOKEN set: only `Authorization: Bearer <token>`. Without: only
 * from the machine itself, and not through a proxy on it (a request carrying X-Forwarded-For came
 * from somewhere else).
 */
export function mayReadMetrics(req: IncomingMessage, token: string | undefined): boolean {
  if (token) {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer (.+)$/.exec(header);
    if (!match?.[1]) return false;
    // Compare digests so neither the length nor the content leaks through timing.
    const digest = (value: string) => createHash('sha256').update(value).digest();
    return timingSafeEqual(digest(match[1]), digest(token));
  }
  if (req.headers['x-forwarded-for'] !== undefined) return false;
  return LOOPBACK.has(req.socket.remoteAddress ?? '');
}

/** Answers GET /metrics: the metrics to a caller `mayReadMetrics` admits, else 401 or 403. */
export function serveMetrics(
  req: IncomingMessage,
  res: ServerResponse,
  token: string | undefined,
): void {
  if (!mayReadMetrics(req, token)) {
    res.writeHead(token ? 401 : 403).end();
    return;
  }
  void handleMetrics(res);
}
