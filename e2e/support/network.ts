import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';

/**
 * A non-loopback IPv4 address of this machine: the product seen from it is another client address
 * than localhost, and a page from it over plain http is not a secure context.
 */
export function lanAddress(): string | undefined {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === 'IPv4' && !address.internal) return address.address;
    }
  }
  return undefined;
}

/**
 * The machine's LAN address for a test that needs a second client address. Without one the test
 * fails naming what it needs: a test that cannot run is reported, never silently skipped.
 */
export function lanAddressOrFail(reason: string): string {
  const lan = lanAddress();
  if (lan) return lan;
  throw new Error(`${reason}: this test needs a non-loopback IPv4 address on the machine`);
}

/**
 * Sends a websocket upgrade request for `path` on a plain TCP socket and waits up to `ms` for the
 * server to close it: what came back, and when it closed (null: still open after `ms`).
 */
export function rawUpgrade(
  port: number,
  path: string,
  ms: number,
): Promise<{ received: string; closedAfterMs: number | null }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
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
