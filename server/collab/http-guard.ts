import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';

/**
 * Protects the HTTP port the sync server shares with the app from connections that never ask
 * for anything (slowloris, or thousands of idle TCP connections): a connection must send its
 * first complete request head within `requestHeadTimeoutMs`, and at most `maxHttpConnections`
 * are open at once (Node drops the rest on accept). Later requests on a kept-alive connection
 * are bounded by Node's own keepAliveTimeout and headersTimeout. Returns the undo function.
 */
export function guardHttpServer(
  server: Server,
  limits: { requestHeadTimeoutMs: number; maxHttpConnections: number },
  log: Logger,
): () => void {
  const waiting = new Map<Socket, NodeJS.Timeout>();
  let dropped = 0;
  let lastDropLog = 0;
  const previousMax = server.maxConnections;
  server.maxConnections = limits.maxHttpConnections;
  server.headersTimeout = Math.min(server.headersTimeout, limits.requestHeadTimeoutMs);

  const onConnection = (socket: Socket) => {
    const timer = setTimeout(() => {
      waiting.delete(socket);
      log.info({ remote: socket.remoteAddress }, 'http connection sent no request in time');
      socket.destroy();
    }, limits.requestHeadTimeoutMs);
    timer.unref();
    waiting.set(socket, timer);
    socket.once('close', () => settle(socket));
  };
  const settle = (socket: Socket) => {
    const timer = waiting.get(socket);
    if (timer === undefined) return;
    clearTimeout(timer);
    waiting.delete(socket);
  };
  const onRequest = (req: IncomingMessage) => settle(req.socket);
  const onDrop = () => {
    dropped += 1;
    // A flood would flood the log too: one line per second at most, with the count.
    const now = Date.now();
    if (now - lastDropLog < 1_000) return;
    lastDropLog = now;
    log.warn({ dropped, max: limits.maxHttpConnections }, 'http connections over the cap dropped');
  };

  server.on('connection', onConnection);
  server.on('request', onRequest);
  server.on('upgrade', onRequest);
  server.on('drop', onDrop);
  return () => {
    server.off('connection', onConnection);
    server.off('request', onRequest);
    server.off('upgrade', onRequest);
    server.off('drop', onDrop);
    for (const timer of waiting.values()) clearTimeout(timer);
    waiting.clear();
    server.maxConnections = previousMax;
  };
}
