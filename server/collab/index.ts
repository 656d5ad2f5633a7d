import type { Server } from 'node:http';
import type { Logger } from 'pino';
import type { Database } from '../../db/client';
import { log as rootLog } from '../../lib/log';
import { addGaugeSource } from '../metrics';
import { AccessMonitor } from './transport/access-monitor';
import { collabConfigFromEnv, type CollabConfig } from './config';
import type { CollabExtension } from './hooks/extension';
import { limitsExtension } from './hooks/limits';
import { persistenceExtension } from './hooks/persistence/persistence';
import { DocumentRegistry } from './document/registry';
import { SchemaGate } from './document/schema-gate';
import type { Migration } from '../../lib/framework';
import { RedisRelay, redisConfigFromEnv } from './hooks/relay/redis-relay';
import { noopRelay, type DocumentRelay, type RelayStatus } from './hooks/relay/relay';
import { relayExtension } from './hooks/relay/relay-extension';
import { registerLiveDocuments, unregisterLiveDocuments } from '../../lib/collab/live-documents';
import { authorityExtension } from './hooks/authority';
import { DirectConnection } from './direct/direct-connection';
import { serveUpgrades } from './transport/upgrade';
import type { OtherUpgrades } from './transport/http-guard';

export type CollabServerOptions = {
  db: Database;
  /** The server's settings; `allowedOrigins` and `trustProxy` (TRUST_PROXY) are read here. */
  config: { allowedOrigins: string[]; trustProxy?: boolean };
  /** Overrides of the COLLAB_* settings (tests use small limits and short delays). */
  collab?: Partial<CollabConfig>;
  /** Secret for session cookies and tickets; defaults to AUTH_SECRET. */
  secret?: string;
  /** Cross-instance relay; by default Redis when REDIS_URL is set, else none (one instance). */
  relay?: DocumentRelay;
  /** Where the sync server logs; the process logger by default (tests read what it wrote). */
  log?: Logger;
  /** The document migrations this server applies and checks clients against (tests add some). */
  migrations?: readonly Migration[];
  /**
   * Upgrades another listener on `httpServer` answers: Next.js's HMR websocket in development.
   * Every other upgrade that is not `/collab/...` is answered 404 and closed.
   */
  otherUpgrades?: OtherUpgrades;
};

export type CollabServer = {
  /** Stops accepting, closes every connection, flushes every document; resolves when stored. */
  close(): Promise<void>;
  /** For tests and diagnostics: the open documents. */
  readonly registry: DocumentRegistry;
  /** Runs a role and session re-check of every open connection now. */
  recheckAccess(): Promise<void>;
  /** The link to the other instances, for /healthz. */
  relayStatus(): RelayStatus;
  /** The server side of the one door to live documents (registered for the app on start). */
  readonly live: DirectConnection;
};

/**
 * Serves `/collab/<documentId>` websockets on an http server: the sync server's composition root,
 * which wires the hooks (in order), the document registry, the access monitor, the direct
 * connection and the transport (transport/upgrade.ts) together.
 */
export function attachCollabServer(httpServer: Server, options: CollabServerOptions): CollabServer {
  const config = collabConfigFromEnv(process.env, options.collab);
  const log = (options.log ?? rootLog).child({ module: 'collab' });
  const secret = options.secret ?? process.env.AUTH_SECRET;
  if (!secret) throw new Error('AUTH_SECRET is not set');

  // The concerns of the server, in order. Authentication and authorisation happen at the
  // upgrade (transport/upgrade.ts, upgrade-auth.ts) and continue in the access monitor; authority
  // rules on content are a hook before persistence, so a refused change is undone before it is
  // stored.
  const redis = options.relay ? undefined : redisConfigFromEnv();
  const relay =
    options.relay ??
    (redis ? new RedisRelay(redis.url, redis.prefix, log.child({ module: 'relay' })) : noopRelay);
  const persistence = persistenceExtension(options.db, config, log);
  const relaying = relayExtension(relay, persistence);
  const extensions: CollabExtension[] = [
    limitsExtension(config),
    // Review rules undo a refused change before persistence and the relay see the transaction end.
    authorityExtension(),
    // Persistence and the relay both read who made a change, and its number, from the change
    // context the document hands every hook (document/change-context.ts): their order is free.
    persistence,
    relaying,
  ];
  const registry = new DocumentRegistry(
    options.db,
    extensions,
    config,
    log,
    new SchemaGate(options.migrations),
  );
  const monitor = new AccessMonitor(options.db, registry, config.accessRecheckMs, log);
  monitor.start();
  const live = new DirectConnection({
    registry,
    flush: async (documentId) => await persistence.writerOf(documentId)?.flush(),
    publishComments: relaying.publishComments,
    recheckAccess: (change) => void monitor.changed(change),
    publishAccessChange: (change) => relay.publishAccessChange(change),
  });
  registerLiveDocuments(live);
  // Access changes made on other instances reach this instance's connections too.
  const stopAccessRelay = relay.onAccessChange((change) => void monitor.changed(change));
  const gauges = [
    addGaugeSource('documents', () => registry.documents.size),
    addGaugeSource('connections', () =>
      [...registry.documents.values()].reduce((n, d) => n + d.connections.size, 0),
    ),
    addGaugeSource('relayConnected', () => (relay.status() === 'connected' ? 1 : 0)),
  ];
  const upgrades = serveUpgrades(httpServer, {
    db: options.db,
    secret,
    allowedOrigins: options.config.allowedOrigins,
    trustProxy: options.config.trustProxy ?? false,
    config,
    registry,
    log,
    otherUpgrades: options.otherUpgrades,
  });
  let closing = false;

  return {
    registry,
    recheckAccess: () => monitor.round(),
    relayStatus: () => relay.status(),
    live,
    async close() {
      if (closing) return;
      closing = true;
      upgrades.stopAccepting();
      unregisterLiveDocuments(live);
      monitor.stop();
      stopAccessRelay();
      for (const remove of gauges) remove();
      for (const document of registry.documents.values()) {
        for (const connection of [...document.connections]) {
          connection.close('shuttingDown');
          document.removeConnection(connection);
        }
      }
      const failed = await registry.unloadAll();
      if (failed.length > 0) {
        // Clients still hold these changes and push them when they reconnect to a new instance.
        log.error({ documents: failed }, 'collab shutdown: some documents could not be flushed');
      }
      for (const extension of extensions) await extension.close?.();
      await upgrades.close();
    },
  };
}
