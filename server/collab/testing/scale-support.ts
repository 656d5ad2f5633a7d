import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, Socket, type Server } from 'node:net';
import { Redis } from 'ioredis';
import { TEST_SECRET, waitFor } from './test-support';

/**
 * Test-only helpers for the scale-out tests: real sync-server processes, a redis-server of the
 * test's own, and a TCP proxy that can cut a link (a real network fault, not a stand-in).
 */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Several processes share the database, so these tests need PostgreSQL (PGlite has one owner). */
export const SCALE_DATABASE_URL = requiredDatabaseUrl();

function requiredDatabaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    throw new Error(
      'The scale-out tests need PostgreSQL: set TEST_DATABASE_URL (npm test creates a scratch database).',
    );
  }
  return url;
}

/** A key and channel prefix of its own per test run, so parallel runs never hear each other. */
export function uniquePrefix(): string {
  return `test-${randomUUID().slice(0, 8)}:`;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

const children = new Set<ChildProcess>();

/** Kills every process these helpers started (afterAll: a failed test must not leave any). */
export async function killAllChildren(): Promise<void> {
  await Promise.all(
    [...children].map(async (child) => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited(child);
    }),
  );
  children.clear();
}

export function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

export type Instance = {
  child: ChildProcess;
  port: number;
  /** ws://…/collab, for the test clients. */
  url: string;
  http: string;
  stop(): Promise<void>;
};

/** Starts server/collab/standalone.ts with the given settings; resolves once it listens. */
export async function startInstance(env: Record<string, string>): Promise<Instance> {
  const port = await freePort();
  // node itself (not npx or the tsx wrapper), so that SIGKILL hits the server process.
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/collab/standalone.ts'], {
    env: {
      ...process.env,
      PORT: String(port),
      AUTH_SECRET: TEST_SECRET,
      DATABASE_URL: SCALE_DATABASE_URL,
      LOG_LEVEL: 'warn',
      COLLAB_PERSIST_DEBOUNCE_MS: '50',
      COLLAB_PERSIST_MAX_DELAY_MS: '200',
      COLLAB_RELAY_PERSIST_GRACE_MS: '1500',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(child);
  await new Promise<void>((resolve, reject) => {
    let out = '';
    let ready = false;
    child.stdout!.on('data', (chunk: Buffer) => {
      // After the ready line, the instance's log lines (warnings and errors) show in the output.
      if (ready) return void process.stderr.write(chunk);
      out += chunk.toString();
      if (out.includes('listening')) {
        ready = true;
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`instance exited with ${code}: ${out}`)));
  });
  return {
    child,
    port,
    url: `ws://127.0.0.1:${port}/collab`,
    http: `http://127.0.0.1:${port}`,
    async stop() {
      child.kill('SIGTERM');
      await exited(child);
    },
  };
}

/** A redis-server of the test's own (no persistence), which the test may kill and restart. */
export async function startRedisServer(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  children.add(child);
  const probe = new Redis(port, '127.0.0.1', { lazyConnect: true, retryStrategy: () => 50 });
  // Refused connects while the server starts are expected; waitFor reports the last one if it never comes up.
  let lastError: unknown;
  probe.on('error', (error: unknown) => (lastError = error));
  try {
    await waitFor(async () => (await probe.ping()) === 'PONG', 5_000);
  } catch (error) {
    throw lastError ?? error;
  } finally {
    probe.disconnect();
  }
  return child;
}

export type TcpProxy = { port: number; cut(): void; restore(): void; close(): Promise<void> };

/** Forwards a local port to `targetPort`; `cut` drops every link and refuses new ones. */
export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let open = true;
  const server: Server = createServer((client) => {
    if (!open) {
      client.destroy();
      return;
    }
    const upstream = new Socket();
    sockets.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    upstream.connect(targetPort, '127.0.0.1', () => {
      client.pipe(upstream);
      upstream.pipe(client);
    });
  });
  const port = await new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
  );
  return {
    port,
    cut() {
      open = false;
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    },
    restore() {
      open = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export async function getHealth(
  instance: Instance,
): Promise<{ status: number; body: { status: string; checks: Record<string, string> } }> {
  const res = await fetch(`${instance.http}/healthz`);
  return { status: res.status, body: (await res.json()) as never };
}
