import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { databaseConfigFromEnv, openDatabase, pingDatabase } from '../../db/client';
import { ensureAuthSecret } from '../../lib/auth/secret';
import { serverConfigFromEnv } from '../config';
import { handleHealth } from '../health';
import { log } from '../../lib/log';
import { handleMetrics } from '../metrics';
import { attachCollabServer } from './index';

/**
 * The sync server alone, without Next.js: for crash-recovery tests and load benchmarks, which need
 * a process they can kill and restart in a second. Prints "listening <port>" when ready.
 */
async function main(): Promise<void> {
  ensureAuthSecret();
  const config = serverConfigFromEnv();
  const database = await openDatabase(databaseConfigFromEnv());
  const http = createServer((req, res) => {
    if (req.url === '/healthz' && req.method === 'GET') {
      void handleHealth(res, {
        pingDatabase: () => pingDatabase(database.db),
        relayStatus: () => collab.relayStatus(),
      });
    } else if (req.url === '/metrics' && req.method === 'GET') {
      void handleMetrics(res);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  const collab = attachCollabServer(http, { db: database.db, config });
  await new Promise<void>((resolve) => http.listen(config.port, '127.0.0.1', resolve));
  process.stdout.write(`listening ${(http.address() as AddressInfo).port}\n`);
  const shutdown = async () => {
    await collab.close();
    http.closeAllConnections();
    await new Promise<void>((resolve) => http.close(() => resolve()));
    await database.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown());
}

main().catch((error: unknown) => {
  log.fatal({ err: error }, 'standalone sync server failed to start');
  process.exit(1);
});
