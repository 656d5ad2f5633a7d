import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseEncoding, createStaticAssets } from './static-assets';

const script = 'export const greeting = "hello";\n'.repeat(500);
let dir: string;
let server: Server;
let base: string;
let fallbacks: string[];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'static-assets-'));
  mkdirSync(path.join(dir, 'static', 'chunks'), { recursive: true });
  writeFileSync(path.join(dir, 'static', 'chunks', 'app.js'), script);
  writeFileSync(path.join(dir, 'secret.txt'), 'not served');
  const assets = createStaticAssets({
    distDir: dir,
    headers: [{ key: 'X-Content-Type-Options', value: 'nosniff' }],
  });
  fallbacks = [];
  server = createServer((req, res) =>
    assets.handle(req, res, () => {
      fallbacks.push(req.url ?? '');
      res.writeHead(404).end('from next');
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

/** A raw request (fetch would decode the body and normalise the path). */
function get(pathname: string, headers: Record<string, string> = {}, method = 'GET') {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>(
    (resolve, reject) => {
      const req = request(`${base}${pathname}`, { method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      });
      req.on('error', reject);
      req.end();
    },
  );
}

describe('the build files, compressed once', () => {
  it('sends brotli when accepted, with the type, immutable caching and the given headers', async () => {
    const res = await get('/_next/static/chunks/app.js', { 'accept-encoding': 'gzip, br' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toBe('application/javascript; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['vary']).toBe('Accept-Encoding');
    expect(Number(res.headers['content-length'])).toBe(res.body.length);
    expect(res.body.length).toBeLessThan(script.length / 10);
    expect(brotliDecompressSync(res.body).toString()).toBe(script);
  });

  it('sends gzip, or the file as is, to clients that accept only that', async () => {
    const zipped = await get('/_next/static/chunks/app.js', { 'accept-encoding': 'gzip' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(zipped.body).toString()).toBe(script);
    const plain = await get('/_next/static/chunks/app.js', { 'accept-encoding': 'br;q=0' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(script);
  });

  it('answers HEAD with the headers only', async () => {
    const res = await get('/_next/static/chunks/app.js', { 'accept-encoding': 'br' }, 'HEAD');
    expect(res.status).toBe(200);
    expect(Number(res.headers['content-length'])).toBeGreaterThan(0);
    expect(res.body.length).toBe(0);
  });

  it('leaves to Next.js what is missing, outside the folder, or not a build file', async () => {
    fallbacks.length = 0;
    for (const url of [
      '/_next/static/chunks/gone.js',
      '/_next/static/../secret.txt',
      '/_next/static/%2e%2e/secret.txt',
      '/_next/static/chunks%5c..%5c..%5csecret.txt',
      '/_next/static/%E0%A4%A.js',
      '/_next/static/chunks/app.exe',
      '/signin',
    ]) {
      const res = await get(url);
      expect(res.status, url).toBe(404);
      expect(res.body.toString(), url).toBe('from next');
    }
    expect(fallbacks).toHaveLength(7);
  });

  it('picks the best accepted encoding', () => {
    expect(chooseEncoding('gzip, deflate, br, zstd')).toBe('br');
    expect(chooseEncoding('gzip;q=1.0, br;q=0')).toBe('gzip');
    expect(chooseEncoding(undefined)).toBe('identity');
    expect(chooseEncoding('identity')).toBe('identity');
  });
});
