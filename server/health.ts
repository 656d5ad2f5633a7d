import type { ServerResponse } from 'node:http';
import type { RelayStatus } from './collab/hooks/relay/relay';
import { log } from '../lib/log';

export type HealthSources = {
  /** Resolves when the database answers a trivial query. */
  pingDatabase(): Promise<unknown>;
  /** The Redis relay, when several instances are configured. */
  relayStatus?(): RelayStatus;
};

/**
 * GET /healthz: 503 when the database does not answer (the instance can neither load nor store a
 * document). Redis is reported but does not fail the check: without it the instance still
 * serves its own clients, and taking every instance out of the load balancer would stop all.
 */
export async function handleHealth(res: ServerResponse, sources: HealthSources): Promise<void> {
  const checks: Record<string, string> = {};
  try {
    await withTimeout(sources.pingDatabase(), 2000);
    checks.database = 'ok';
  } catch (error) {
    log.warn({ err: error }, 'health check: database unreachable');
    checks.database = 'fail';
  }
  const relay = sources.relayStatus?.() ?? 'disabled';
  if (relay !== 'disabled') checks.redis = relay === 'connected' ? 'ok' : 'fail';
  const healthy = checks.database === 'ok';
  const status = !healthy ? 'unhealthy' : checks.redis === 'fail' ? 'degraded' : 'ok';
  res.writeHead(healthy ? 200 : 503, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
  });
  res.end(JSON.stringify({ status, checks }));
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e: unknown) => (clearTimeout(timer), reject(e)),
    );
  });
}
