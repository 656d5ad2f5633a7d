import type { ServerResponse } from 'node:http';
import { getDb, pingDatabase } from '../db/client';
import { log } from './log';

/** GET /healthz: 200 when the database answers, 503 otherwise. */
export async function handleHealth(res: ServerResponse): Promise<void> {
  const checks: Record<string, 'ok' | 'fail'> = {};
  try {
    const db = await getDb();
    await withTimeout(pingDatabase(db), 2000);
    checks.database = 'ok';
  } catch (error) {
    log.warn({ err: error }, 'health check: database unreachable');
    checks.database = 'fail';
  }
  const healthy = Object.values(checks).every((c) => c === 'ok');
  res.writeHead(healthy ? 200 : 503, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
  });
  res.end(JSON.stringify({ status: healthy ? 'ok' : 'unhealthy', checks }));
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
