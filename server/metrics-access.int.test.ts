import { createServer, type Server } from 'node:http';
import { networkInterfaces } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { serveMetrics } from './metrics-access';

let server: Server | undefined;

/** /metrics served as server/index.ts serves it, on a real port. */
async function start(token: string | undefined): Promise<number> {
  server = createServer((req, res) => {
    if (req.url === '/metrics' && req.method === 'GET') {
      serveMetrics(req, res, token);
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server?.listen(0, '0.0.0.0', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

const externalAddress = Object.values(networkInterfaces())
  .flat()
  .find((entry) => entry && entry.family === 'IPv4' && !entry.internal)?.address;

describe('/metrics', () => {
  it('with METRICS_TOKEN answers only the bearer of the token', async () => {
    const port = await start('s3cret-token');
    const url = `http://127.0.0.1:${port}/metrics`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const ok = await fetch(url, { headers: { authorization: 'Bearer s3cret-token' } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('nodejs_version_info');
  });

  it('without a token answers loopback only, and not through a proxy', async () => {
    const port = await start(undefined);
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(200);
    const proxied = await fetch(`http://127.0.0.1:${port}/metrics`, {
      headers: { 'x-forwarded-for': '203.0.113.9' },
    });
    expect(proxied.status).toBe(403);
    if (externalAddress) {
      expect((await fetch(`http://${externalAddress}:${port}/metrics`)).status).toBe(403);
    }
  });
});
