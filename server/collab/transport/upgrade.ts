import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { Database } from '../../../db/client';
import { colorForUser, CloseEvents, type CloseEventName } from '../../../lib/collab/protocol';
import { metrics } from '../../metrics';
import type { CollabConfig } from '../config';
import type { LiveDocument } from '../document/live-document';
import type { DocumentRegistry } from '../document/registry';
import { Connection, type Principal } from './connection';
import { guardHttpServer, type OtherUpgrades } from './http-guard';
import { SendBudget } from './send-budget';
import { authorizeUpgrade, isCollabPath } from './upgrade-auth';

export type UpgradeOptions = {
  db: Database;
  /** Secret for session cookies and tickets. */
  secret: string;
  allowedOrigins: string[];
  /** Whether X-Forwarded-For names the client (TRUST_PROXY). */
  trustProxy: boolean;
  config: CollabConfig;
  registry: DocumentRegistry;
  log: Logger;
  /** Upgrades another listener answers (Next.js HMR in development); the rest get a 404. */
  otherUpgrades?: OtherUpgrades;
};

export type Upgrades = {
  /** Refuses new upgrades (503) and stops the HTTP guard and the pings; open sockets stay. */
  stopAccepting(): void;
  /** Cuts every socket left and closes the websocket server. */
  close(): Promise<void>;
};

/**
 * The transport of the sync server: upgrades `/collab/<documentId>` requests on an http server
 * (HTTP guard, authentication and authorisation, per-user cap), opens a Connection on the
 * document and feeds its frames to it, and pings sockets to drop dead ones. Any other upgrade is
 * answered 404 by the HTTP guard, unless `otherUpgrades` leaves it to its listener (Next.js HMR).
 */
export function serveUpgrades(httpServer: Server, options: UpgradeOptions): Upgrades {
  const { config, registry, log } = options;
  const m = metrics();

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: config.maxMessageBytes,
    // A message of a million tiny fragments costs memory per fragment, whatever its payload.
    maxFragments: config.maxFragments,
    // Compression costs memory per socket and invites zip bombs; the messages are small binary.
    perMessageDeflate: false,
  });
  const httpGuard = guardHttpServer(
    httpServer,
    config,
    log,
    options.trustProxy,
    options.otherUpgrades,
  );
  const connectionsPerUser = new Map<string, number>();
  const sendBudget = new SendBudget(config.maxBufferedTotalBytes);
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
        secret: options.secret,
        allowedOrigins: options.allowedOrigins,
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
    const { documentId, principal, schemaVersion } = decision;
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
      // Never an empty stand-in: tell the client, with a retryable code.
      closeAfterUpgrade(req, socket, head, 'unavailable');
      return;
    }
    if (socket.destroyed || closing) {
      registry.release(document);
      if (!socket.destroyed) refuse(socket, 503, 'Shutting down');
      return;
    }
    const compatibility = registry.schema.admit(schemaVersion, document);
    if (!compatibility.ok) {
      registry.release(document);
      log.info({ schemaVersion, reason: compatibility.reason }, 'collab client schema refused');
      closeAfterUpgrade(req, socket, head, 'outdated');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => openConnection(ws, document, principal));
  }

  /**
   * Upgrades only to close at once with `event`: a close code reaches the browser's websocket
   * client (which decides from it to retry or reload), where an HTTP refusal does not.
   */
  function closeAfterUpgrade(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    event: CloseEventName,
  ): void {
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('error', () => undefined);
      ws.close(CloseEvents[event].code, CloseEvents[event].reason);
    });
  }

  function openConnection(ws: WebSocket, document: LiveDocument, principal: Principal): void {
    const connection = new Connection(
      ws,
      document.id,
      principal,
      colorForUser(principal.userId),
      config,
      document.log.child({ userId: principal.userId }),
      sendBudget,
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
      sendBudget.release(connection);
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
    stopAccepting() {
      closing = true;
      httpServer.off('upgrade', onUpgrade);
      httpGuard.close();
      clearInterval(pingTimer);
    },
    async close() {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
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
