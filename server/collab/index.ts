import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { Database } from '../../db/client';
import { onAccessChange, publishAccessChange, type AccessChange } from '../../lib/access-events';
import { colorForUser, CloseEvents } from '../../lib/collab/protocol';
import { log as rootLog } from '../../lib/log';
import { addGaugeSource, metrics } from '../metrics';
import { AccessMonitor } from './transport/access-monitor';
import { collabConfigFromEnv, type CollabConfig } from './config';
import { Connection, type Principal } from './transport/connection';
import type { CollabExtension } from './hooks/extension';
import { guardHttpServer } from './transport/http-guard';
import { limitsExtension } from './hooks/limits';
import type { LiveDocument } from './document/live-document';
import { persistenceExtension } from './hooks/persistence/persistence';
import { DocumentRegistry } from './document/registry';
import { RedisRelay, redisConfigFromEnv } from './hooks/relay/redis-relay';
import { noopRelay, type DocumentRelay, type RelayStatus } from './hooks/relay/relay';
import { relayExtension } from './hooks/relay/relay-extension';
import { authorizeUpgrade, isCollabPath } from './transport/upgrade-auth';
import { registerLiveDocuments, unregisterLiveDocuments } from '../../lib/collab/live-documents';
import { silenceCheckMsFromEnv, startSilenceScheduler } from '../review/silence-scheduler';
import { authorityExtension } from './hooks/authority';
import { liveDocumentsOf, type ServerLiveDocuments } from './direct/direct-connection';

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
  /** How often due silence procedures are looked for; REVIEW_SILENCE_CHECK_MS by default. */
  silenceCheckMs?: number;
  /** Where the sync server logs; the process logger by default (tests read what it wrote). */
  log?: Logger;
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
  /** The app's way into open documents (review workflow, comment notifications). */
  readonly live: ServerLiveDocuments;
  /** Runs one silence-deadline round now (tests). */
  expireSilences(): Promise<void>;
};

/**
 * Serves `/collab/<documentId>` websockets on an http server. Everything else that asks for an
 * upgrade (Next.js HMR) is left alone.
 */
export function attachCollabServer(httpServer: Server, options: CollabServerOptions): CollabServer {
  const config = collabConfigFromEnv(process.env, options.collab);
  const log = (options.log ?? rootLog).child({ module: 'collab' });
  const secret = options.secret ?? process.env.AUTH_SECRET;
  if (!secret) throw new Error('AUTH_SECRET is not set');

  // The concerns of the server, in order. Authentication and authorisation happen at the
  // upgrade (transport/upgrade-auth.ts) and continue in the access monitor; authority rules on content
  // are an extension before persistence, so a refused change is undone before it is stored.
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
  const registry = new DocumentRegistry(options.db, extensions, config, log);
  const monitor = new AccessMonitor(options.db, registry, config.accessRecheckMs, log);
  monitor.start();
  const live = liveDocumentsOf(
    registry,
    relaying.publishComments,
    async (documentId) => await persistence.writerOf(documentId)?.flush(),
  );
  registerLiveDocuments(live);
  const silences = startSilenceScheduler(
    options.db,
    live,
    options.silenceCheckMs ?? silenceCheckMsFromEnv(),
    log.child({ module: 'silence' }),
  );
  const stopAccessBridge = bridgeAccessChanges(relay);
  const gauges = [
    addGaugeSource('documents', () => registry.documents.size),
    addGaugeSource('connections', () =>
      [...registry.documents.values()].reduce((n, d) => n + d.connections.size, 0),
    ),
    addGaugeSource('relayConnected', () => (relay.status() === 'connected' ? 1 : 0)),
  ];
  const m = metrics();

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: config.maxMessageBytes,
    // A message of a million tiny fragments costs memory per fragment, whatever its payload.
    maxFragments: config.maxFragments,
    // Compression costs memory per socket and invites zip bombs; the messages are small binary.
    perMessageDeflate: false,
  });
  const httpGuard = guardHttpServer(httpServer, config, log, options.config.trustProxy ?? false);
  const connectionsPerUser = new Map<string, number>();
  const alive = new WeakMap<WebSocket, boolean>();
  let closing = false;

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!isCollabPath(req.url)) return;
    socket.on('error', (error) => log.debug({ err: error }, 'collab upgrade socket error'));
    if (closing) {
      refuse(socket, 503, 'Shutting down');
      return;
    }
    // Upgrades are sockets (ws needs one); the per-address cap answers 429 itself.
    if (!httpGuard.admitUpgrade(req, socket as Socket)) return;
    void handleUpgrade(req, socket, head).catch((error: unknown) => {
      m.errors.inc({ kind: 'upgrade' });
      log.error({ err: error }, 'collab upgrade failed');
      refuse(socket, 500, 'Server error');
    });
  };

  async function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    let timedOut = false;
    const timeout = setTimeout(() => {
      timedOut = true;
      refuse(socket, 408, 'Timed out');
    }, config.authTimeoutMs);
    let decision;
    try {
      decision = await authorizeUpgrade(req, {
        db: options.db,
        secret: secret!,
        allowedOrigins: options.config.allowedOrigins,
      });
    } finally {
      clearTimeout(timeout);
    }
    if (timedOut || socket.destroyed) return;
    if (!decision.ok) {
      log.info({ status: decision.status, url: req.url?.slice(0, 200) }, 'collab upgrade refused');
      refuse(socket, decision.status, decision.message);
      return;
    }
    const { documentId, principal } = decision;
    // Authenticated: from here the per-user cap applies, no longer the per-address one.
    httpGuard.settled(socket as Socket);
    if ((connectionsPerUser.get(principal.userId) ?? 0) >= config.maxConnectionsPerUser) {
      refuse(socket, 429, 'Too many connections');
      return;
    }
    let document: LiveDocument;
    try {
      document = await registry.acquire(documentId);
    } catch {
      m.errors.inc({ kind: 'load' });
      // Never an empty stand-in: upgrade only to tell the client, with a retryable code.
      wss.handleUpgrade(req, socket, head, (ws) => {
        ws.on('error', () => undefined);
        ws.close(CloseEvents.unavailable.code, CloseEvents.unavailable.reason);
      });
      return;
    }
    if (socket.destroyed || closing) {
      registry.release(document);
      if (!socket.destroyed) refuse(socket, 503, 'Shutting down');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => openConnection(ws, document, principal));
  }

  function openConnection(ws: WebSocket, document: LiveDocument, principal: Principal): void {
    const connection = new Connection(
      ws,
      document.id,
      principal,
      colorForUser(principal.userId),
      config,
      document.log.child({ userId: principal.userId }),
    );
    connectionsPerUser.set(principal.userId, (connectionsPerUser.get(principal.userId) ?? 0) + 1);
    alive.set(ws, true);
    m.connectionsOpened.inc();
    countSends(ws);
    const syncTimer = setTimeout(() => {
      if (!connection.synced) connection.close('timeout');
    }, config.syncTimeoutMs);
    let released = false;

    ws.on('error', (error) => {
      // ws reports oversized and invalid frames here and then closes the socket (1009/1002).
      connection.log.warn({ err: error.message }, 'collab socket error');
    });
    ws.on('pong', () => alive.set(ws, true));
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (!isBinary) {
        connection.log.warn('text frame on collab socket');
        connection.close('badMessage', 'text frame');
        return;
      }
      m.messagesIn.inc();
      document.receive(connection, toBytes(data));
    });
    ws.on('close', (code: number) => {
      m.closes.inc({ code: String(code) });
      connection.closed = true;
      clearTimeout(syncTimer);
      document.removeConnection(connection);
      if (!released) {
        released = true;
        registry.release(document);
      }
      const left = (connectionsPerUser.get(principal.userId) ?? 1) - 1;
      if (left > 0) connectionsPerUser.set(principal.userId, left);
      else connectionsPerUser.delete(principal.userId);
    });
    document.addConnection(connection);
    connection.log.debug({ role: principal.role }, 'collab connection open');
  }

  const pingTimer = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.get(ws)) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, config.pingIntervalMs);
  pingTimer.unref();

  httpServer.on('upgrade', onUpgrade);

  return {
    registry,
    recheckAccess: () => monitor.round(),
    relayStatus: () => relay.status(),
    live,
    expireSilences: () => silences.round(),
    async close() {
      if (closing) return;
      closing = true;
      silences.stop();
      unregisterLiveDocuments(live);
      httpServer.off('upgrade', onUpgrade);
      httpGuard.close();
      monitor.stop();
      stopAccessBridge();
      for (const remove of gauges) remove();
      clearInterval(pingTimer);
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
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/**
 * Carries access changes between instances: the app publishes them in-process (lib/access-events)
 * on whichever instance served the request, and every instance's access monitor must hear them.
 */
function bridgeAccessChanges(relay: DocumentRelay): () => void {
  // Changes this bridge re-emits locally, so that it does not publish them back.
  const fromRelay = new WeakSet<AccessChange>();
  const offLocal = onAccessChange((change) => {
    if (!fromRelay.has(change)) relay.publishAccessChange(change);
  });
  const offRemote = relay.onAccessChange((change) => {
    fromRelay.add(change);
    publishAccessChange(change);
  });
  return () => {
    offLocal();
    offRemote();
  };
}

/** Counts messages sent to a client (Connection sends through ws.send). */
function countSends(ws: WebSocket): void {
  const counter = metrics().messagesOut;
  const send = ws.send.bind(ws);
  // Wrapped per socket rather than in Connection, which another module owns; same signature.
  ws.send = ((...args: Parameters<WebSocket['send']>) => {
    counter.inc();
    return send(...args);
  }) as WebSocket['send'];
}

/** Answers an upgrade request with a plain HTTP error and drops the socket. */
function refuse(socket: Duplex, status: number, message: string): void {
  if (socket.destroyed) return;
  const body = JSON.stringify({ error: message });
  socket.end(
    `HTTP/1.1 ${status} ${statusText(status)}\r\nConnection: close\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  setTimeout(() => socket.destroy(), 1_000).unref();
}

function statusText(status: number): string {
  const texts: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    408: 'Request Timeout',
    429: 'Too Many Requests',
    500: 'Internal Server Error',
    503: 'Service Unavailable',
  };
  return texts[status] ?? 'Error';
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
