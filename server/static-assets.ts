import { readdir, readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';

/**
 * The build's files under /_next/static/ have content-hashed names and never change, yet Next.js
 * compresses each one again on every request, on this process's one thread: about 50 ms for the
 * editor's largest script, so the ten scripts of the editor page queued for some 300 ms behind
 * one another. Here each file is compressed once, in libuv's thread pool (off the event loop),
 * kept in memory and sent as is. Anything this does not know is left to Next.js.
 */

const PREFIX = '/_next/static/';
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** What may be kept compressed in memory; past it, files are still served, compressed each time. */
const CACHE_LIMIT_BYTES = 64 * 1024 * 1024;

const TYPES: Record<string, { type: string; compress: boolean }> = {
  '.js': { type: 'application/javascript; charset=utf-8', compress: true },
  '.css': { type: 'text/css; charset=utf-8', compress: true },
  '.map': { type: 'application/json; charset=utf-8', compress: true },
  '.json': { type: 'application/json; charset=utf-8', compress: true },
  '.txt': { type: 'text/plain; charset=utf-8', compress: true },
  '.svg': { type: 'image/svg+xml', compress: true },
  '.woff2': { type: 'font/woff2', compress: false },
  '.woff': { type: 'font/woff', compress: false },
  '.png': { type: 'image/png', compress: false },
  '.ico': { type: 'image/x-icon', compress: false },
};

type Encoding = 'br' | 'gzip' | 'identity';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

function encode(body: Buffer, encoding: Encoding): Promise<Buffer> {
  if (encoding === 'br') {
    return brotli(body, {
      params: {
        [zlib.BROTLI_PARAM_QUALITY]: 9,
        [zlib.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    });
  }
  if (encoding === 'gzip') return gzipAsync(body, { level: 9 });
  return Promise.resolve(body);
}

/** The best encoding the client accepts (q=0 refuses one). */
export function chooseEncoding(acceptEncoding: string | undefined): Encoding {
  const accepted = new Set(
    (acceptEncoding ?? '')
      .split(',')
      .map((part) => part.trim().toLowerCase())
      .filter((part) => !/;\s*q=0(\.0*)?$/.test(part))
      .map((part) => part.split(';')[0]!.trim()),
  );
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip')) return 'gzip';
  return 'identity';
}

export interface StaticAssets {
  /** Serves the request if it is for a build file this knows; otherwise calls `fallback`. */
  handle(req: IncomingMessage, res: ServerResponse, fallback: () => void): void;
  /** Compresses every script and stylesheet ahead of the first request for it. */
  warm(): Promise<void>;
}

export function createStaticAssets(options: {
  /** The Next.js build folder (`.next`, or NEXT_DIST_DIR). */
  distDir: string;
  /** Headers every answer carries (the browser security headers of lib/security-headers.ts). */
  headers: { key: string; value: string }[];
}): StaticAssets {
  const root = path.resolve(options.distDir, 'static');
  const cache = new Map<string, Promise<Buffer>>();
  let cachedBytes = 0;

  /** The file a URL names, or null when it is not a plain path inside the static folder. */
  const fileOf = (url: string): string | null => {
    const pathname = url.split('?')[0]!;
    if (!pathname.startsWith(PREFIX)) return null;
    let relative: string;
    try {
      relative = decodeURIComponent(pathname.slice(PREFIX.length));
    } catch {
      return null;
    }
    if (!relative || relative.includes('\0') || relative.includes('\\')) return null;
    const file = path.resolve(root, relative);
    return file.startsWith(root + path.sep) ? file : null;
  };

  const encoded = (file: string, encoding: Encoding): Promise<Buffer> => {
    const key = `${encoding}:${file}`;
    const hit = cache.get(key);
    if (hit) return hit;
    const pending = readFile(file).then((body) => encode(body, encoding));
    cache.set(key, pending);
    pending.then(
      (body) => {
        cachedBytes += body.length;
        if (cachedBytes > CACHE_LIMIT_BYTES) {
          cache.delete(key);
          cachedBytes -= body.length;
        }
      },
      () => cache.delete(key),
    );
    return pending;
  };

  return {
    handle(req, res, fallback) {
      const file = req.method === 'GET' || req.method === 'HEAD' ? fileOf(req.url ?? '') : null;
      const kind = file ? TYPES[path.extname(file)] : undefined;
      if (!file || !kind) {
        fallback();
        return;
      }
      const encoding = kind.compress ? chooseEncoding(req.headers['accept-encoding']) : 'identity';
      encoded(file, encoding).then(
        (body) => {
          for (const { key, value } of options.headers) res.setHeader(key, value);
          res.setHeader('Content-Type', kind.type);
          res.setHeader('Cache-Control', IMMUTABLE);
          res.setHeader('Content-Length', body.length);
          if (kind.compress) res.setHeader('Vary', 'Accept-Encoding');
          if (encoding !== 'identity') res.setHeader('Content-Encoding', encoding);
          res.writeHead(200);
          res.end(req.method === 'HEAD' ? undefined : body);
        },
        // Not there (an old build's file, a typo): Next.js answers it, with its 404.
        () => fallback(),
      );
    },
    async warm() {
      const files = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
      for (const entry of files) {
        if (!entry.isFile() || !['.js', '.css'].includes(path.extname(entry.name))) continue;
        const file = path.join(entry.parentPath, entry.name);
        // One at a time: warming must not crowd out the requests that arrive meanwhile.
        await encoded(file, 'br').catch(() => undefined);
        await encoded(file, 'gzip').catch(() => undefined);
      }
    },
  };
}
