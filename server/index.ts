import { createServer } from 'node:http';
import next from 'next';
import { closeDatabase, getDatabaseHandle, pingDatabase } from '../db/client';
import { ensureAuthSecret } from '../lib/auth/secret';
import { mailConfigFromEnv } from '../lib/mail/config';
import { stampClientAddress } from './client-address';
import { attachCollabServer } from './collab/index';
import { serverConfigFromEnv } from './config';
import { handleHealth } from './health';
import { log } from '../lib/log';
import { serveMetrics } from './metrics-access';
import { securityHeaders } from '../lib/security-headers';
import { createStaticAssets } from './static-assets';

async function main(): Promise<void> {
  const config = serverConfigFromEnv();
  // Broken mail settings stop the start, not the first person who asks for a reset link.
  mailConfigFromEnv();
  ensureAuthSecret();
  // Open and migrate the database before serving: a broken database fails the start, loudly.
  const database = await getDatabaseHandle();
  log.info({ database: database.kind }, 'database ready');

  const httpServer = createServer();
  const app = next({ dev: config.dev, hostname: config.hostname, port: config.port, httpServer });
  const handle = app.getRequestHandler();
  await app.prepare();
  // The build's immutable files, compressed once (static-assets.ts); development serves its own.
  const staticAssets = config.dev
    ? null
    : createStaticAssets({
        distDir: process.env.NEXT_DIST_DIR ?? '.next',
        headers: securityHeaders(false),
      });

  httpServer.on('request', (req, res) => {
    if (req.url === '/healthz' && req.method === 'GET') {
      void handleHealth(res, {
        pingDatabase: () => pingDatabase(database.db),
        relayStatus: () => collab.relayStatus(),
      });
      return;
    }
    if (req.url === '/metrics' && req.method === 'GET') {
      serveMetrics(req, res, config.metricsToken);
      return;
    }
    stampClientAddress(req, config.trustProxy);
    const toNext = () =>
      handle(req, res).catch((error: unknown) => {
        log.error({ err: error, url: req.url }, 'request failed');
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    if (staticAssets) staticAssets.handle(req, res, () => void toNext());
    else void toNext();
  });

  const collab = attachCollabServer(httpServer, {
    db: database.db,
    config,
    // Next.js attaches its own upgrade listener to httpServer (on the first request) for its HMR
    // websocket under /_next/ in development; in production nothing but /collab upgrades.
    otherUpgrades: config.dev ? (url) => url.startsWith('/_next/') : undefined,
  });

  await new Promise<void>((resolve) => httpServer.listen(config.port, config.hostname, resolve));
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  log.info({ port, dev: config.dev }, `ready on http://localhost:${port}`);
  staticAssets?.warm().catch((error: unknown) => log.warn({ err: error }, 'warming assets failed'));

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const forced = setTimeout(() => process.exit(1), 15_000);
    forced.unref();
    httpServer.closeIdleConnections();
    // Flush every open document before the database closes.
    await collab.close();
    await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    await app.close();
    await closeDatabase();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  log.fatal({ err: error }, 'failed to start');
  process.exit(1);
});
