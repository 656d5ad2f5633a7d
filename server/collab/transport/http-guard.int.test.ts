import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../../db/client';
import { openTestDatabase, testDatabaseConfigs } from '../../../db/testing';
import { startTestServer, stopTestServer, waitFor, type TestServer } from '../testing/test-support';

/** What a raw socket received, and after how long the server closed it (null: still open). */
type Outcome = { received: string; closedAfterMs: number | null };

/**
 * Sends an upgrade request to `path` on a plain TCP socket and waits up to `ms` for the server to
 * close it; a socket the server never answers comes back with `closedAfterMs: null`.
 */
function upgradeOnRawSocket(port: number, path: string, ms: number): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket: Socket = connect(port, '127.0.0.1');
    let received = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ received, closedAfterMs: null });
    }, ms);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ received, closedAfterMs: Date.now() - started });
    });
    socket.write(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: Upgrade\r\n` +
        'Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n' +
        `Sec-WebSocket-Key: ${Buffer.from('0123456789abcdef').toString('base64')}\r\n\r\n`,
    );
  });
}

/** Issue 19, finding 3: an upgrade the sync server does not serve is answered and closed. */
describe.each(testDatabaseConfigs())('upgrades to other paths on $name', ({ config }) => {
  let handle: DatabaseHandle;
  let server: TestServer;

  beforeAll(async () => {
    handle = await openTestDatabase(config);
    // A long head timeout: the answer must come from the upgrade itself, not from a timer.
    server = await startTestServer(handle.db, { requestHeadTimeoutMs: 30_000 });
  });
  afterAll(async () => {
    await stopTestServer(server);
    await handle.close();
  });

  it('answers an upgrade to a path other than /collab with 404 and closes the socket', async () => {
    for (const path of ['/other', '/', '/_next/webpack-hmr', '/collabx']) {
      const outcome = await upgradeOnRawSocket(server.port, path, 3_000);
      expect(outcome.received, path).toMatch(/^HTTP\/1\.1 404 /);
      expect(outcome.closedAfterMs, path).not.toBeNull();
      expect(outcome.closedAfterMs!, path).toBeLessThan(2_000);
    }
  });

  it('many such sockets from one address do not stay open', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, () => upgradeOnRawSocket(server.port, '/other', 3_000)),
    );
    expect(outcomes.filter((o) => o.closedAfterMs === null)).toHaveLength(0);
    const open = () =>
      new Promise<number>((resolve, reject) =>
        server.http.getConnections((error, count) => (error ? reject(error) : resolve(count))),
      );
    // The server's side of each socket closes as the client's does, give or take a tick.
    await waitFor(async () => (await open()) === 0, 1_000);
  });

  it('leaves an upgrade that another listener serves (Next.js HMR in development) to it', async () => {
    const dev = await startTestServer(handle.db, { requestHeadTimeoutMs: 30_000 }, [], {
      otherUpgrades: (url) => url.startsWith('/_next/'),
    });
    // Stands in for Next's own HMR listener, which answers its upgrades itself.
    dev.http.on('upgrade', (req, socket) => {
      if (!req.url?.startsWith('/_next/')) return;
      socket.end('HTTP/1.1 418 HMR\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    });
    try {
      const hmr = await upgradeOnRawSocket(dev.port, '/_next/webpack-hmr', 3_000);
      expect(hmr.received).toMatch(/^HTTP\/1\.1 418 /);
      const other = await upgradeOnRawSocket(dev.port, '/other', 3_000);
      expect(other.received).toMatch(/^HTTP\/1\.1 404 /);
    } finally {
      await stopTestServer(dev);
    }
  });
});
