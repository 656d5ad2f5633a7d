import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { isCollabPath } from './upgrade-auth';
import { proxiedClientAddress } from '../../client-address';

export type HttpGuardLimits = {
  requestHeadTimeoutMs: number;
  maxHttpConnections: number;
  maxPendingPerAddress: number;
};

/**
 * Whether another upgrade listener on the same server answers an upgrade to this request target
 * (Next.js's HMR websocket in development); every other non-collaboration upgrade gets a 404.
 */
export type OtherUpgrades = (url: string) => boolean;

export type HttpGuard = {
  /**
   * Whether a collaboration upgrade may go on to authentication: false (and the socket answered
   * with 429) when its address already has `maxPendingPerAddress` sockets pending.
   */
  admitUpgrade(req: IncomingMessage, socket: Socket): boolean;
  /** The upgrade on `socket` is authenticated (or finished): it no longer counts as pending. */
  settled(socket: Socket): void;
  /** Removes the guard from the server. */
  close(): void;
};

/**
 * Protects the HTTP port the sync server shares with the app from connections that never ask
 * for anything (slowloris, or thousands of idle TCP connections): a connection must send its
 * first complete request head within `requestHeadTimeoutMs`, and at most `maxHttpConnections`
 * are open at once (Node drops the rest on accept). Later requests on a kept-alive connection
 * are bounded by Node's own keepAliveTimeout and headersTimeout.
 *
 * The global cap alone lets one address that floods take every place, refusing honest users too.
 * So a socket is also counted against its client address while it is pending (from accept until
 * its request head, and for a collaboration upgrade until it is authenticated); past
 * `maxPendingPerAddress` that address's new connections are dropped at once. Only pending
 * sockets count: a whole ministry behind one NAT address keeps any number of open editors.
 *
 * With `trustProxy` every connection comes from the load balancer, so the address is only known
 * from the request: accepted connections are not counted (idle ones still time out), and an
 * upgrade counts against the last X-Forwarded-For entry, the one the trusted proxy wrote (the
 * entries before it are whatever the client sent).
 *
 * An upgrade to any other path than the sync server's is answered 404 and closed at once, unless
 * `otherUpgrades` says another listener serves it: left alone, such a socket would never be
 * answered, timed or counted, and one client could hold every place with them.
 */
export function guardHttpServer(
  server: Server,
  limits: HttpGuardLimits,
  log: Logger,
  trustProxy = false,
  otherUpgrades: OtherUpgrades = () => false,
): HttpGuard {
  const waiting = new Map<Socket, NodeJS.Timeout>();
  /** Pending sockets and the address each counts against. */
  const pending = new Map<Socket, string>();
  const pendingByAddress = new Map<string, number>();
  const drops = { global: 0, address: 0, lastLog: 0 };
  const previousMax = server.maxConnections;
  server.maxConnections = limits.maxHttpConnections;
  server.headersTimeout = Math.min(server.headersTimeout, limits.requestHeadTimeoutMs);

  const count = (socket: Socket, address: string): boolean => {
    const held = pendingByAddress.get(address) ?? 0;
    if (held >= limits.maxPendingPerAddress) return false;
    pendingByAddress.set(address, held + 1);
    pending.set(socket, address);
    return true;
  };
  const release = (socket: Socket) => {
    const address = pending.get(socket);
    if (address === undefined) return;
    pending.delete(socket);
    const left = (pendingByAddress.get(address) ?? 1) - 1;
    if (left > 0) pendingByAddress.set(address, left);
    else pendingByAddress.delete(address);
  };
  const logDrop = (kind: 'global' | 'address', address?: string) => {
    drops[kind] += 1;
    // A flood would flood the log too: one line per second at most, with the counts.
    const now = Date.now();
    if (now - drops.lastLog < 1_000) return;
    drops.lastLog = now;
    log.warn(
      {
        droppedOverGlobalCap: drops.global,
        droppedOverAddressCap: drops.address,
        max: limits.maxHttpConnections,
        maxPendingPerAddress: limits.maxPendingPerAddress,
        remote: address,
      },
      'http connections over a cap dropped',
    );
  };

  const onConnection = (socket: Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    if (!trustProxy && !count(socket, address)) {
      logDrop('address', address);
      socket.destroy();
      return;
    }
    const timer = setTimeout(() => {
      waiting.delete(socket);
      log.info({ remote: address }, 'http connection sent no request in time');
      socket.destroy();
    }, limits.requestHeadTimeoutMs);
    timer.unref();
    waiting.set(socket, timer);
    socket.once('close', () => {
      stopTimer(socket);
      release(socket);
    });
  };
  const stopTimer = (socket: Socket) => {
    const timer = waiting.get(socket);
    if (timer === undefined) return;
    clearTimeout(timer);
    waiting.delete(socket);
  };
  const onRequest = (req: IncomingMessage) => {
    stopTimer(req.socket);
    // The app's requests are bounded by Node's own timeouts from here.
    release(req.socket);
  };
  const onUpgrade = (req: IncomingMessage, socket: Socket) => {
    stopTimer(socket);
    // A collaboration upgrade stays pending until authenticated (see admitUpgrade / settled).
    if (isCollabPath(req.url)) return;
    // Another listener's (Next.js HMR in development) is not ours to count.
    release(socket);
    if (otherUpgrades(req.url ?? '')) return;
    socket.on('error', () => undefined);
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    setTimeout(() => socket.destroy(), 1_000).unref();
  };
  const onDrop = () => logDrop('global');

  server.on('connection', onConnection);
  server.on('request', onRequest);
  server.on('upgrade', onUpgrade);
  server.on('drop', onDrop);
  return {
    admitUpgrade(req, socket) {
      if (!trustProxy) return true; // counted since accept
      const address = proxiedClientAddress(req) ?? socket.remoteAddress ?? 'unknown';
      if (count(socket, address)) return true;
      logDrop('address', address);
      socket.end(
        'HTTP/1.1 429 Too Many Requests\r\nConnection: close\r\nContent-Length: 0\r\n\r\n',
      );
      setTimeout(() => socket.destroy(), 1_000).unref();
      return false;
    },
    settled: release,
    close() {
      server.off('connection', onConnection);
      server.off('request', onRequest);
      server.off('upgrade', onUpgrade);
      server.off('drop', onDrop);
      for (const timer of waiting.values()) clearTimeout(timer);
      waiting.clear();
      pending.clear();
      pendingByAddress.clear();
      server.maxConnections = previousMax;
    },
  };
}
