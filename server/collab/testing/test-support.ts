import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encode } from 'next-auth/jwt';
import type { Logger } from 'pino';
import type { Migration } from '../../../lib/framework';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { Database } from '../../../db/client';
import { createFramework } from '../../../db/queries/frameworks';
import { createAuthSession, createUser } from '../../../db/queries/users';
import { addMember, createWorkspace } from '../../../db/queries/workspaces';
import { MessageType } from '../../../lib/collab/protocol';
import type { Role } from '../../../lib/roles';
import type { CollabConfig } from '../config';
import { attachCollabServer, type CollabServer } from '../index';
import type { OtherUpgrades } from '../transport/http-guard';

/** Test-only helpers: a real server on port 0, users with session cookies, Node clients. */
export const TEST_SECRET = 'test-secret-for-collab-integration-tests-000000';

export type TestServer = { http: Server; collab: CollabServer; url: string; port: number };

export type TestServerOptions = {
  /** Where the sync server logs (a test reads the lines); the process logger by default. */
  log?: Logger;
  /** As TRUST_PROXY: client addresses come from X-Forwarded-For. */
  trustProxy?: boolean;
  /** Document migrations instead of the code's own (schema tests). */
  migrations?: readonly Migration[];
  /** Upgrades another listener answers (as Next.js HMR in development). */
  otherUpgrades?: OtherUpgrades;
};

export async function startTestServer(
  db: Database,
  collab: Partial<CollabConfig> = {},
  allowedOrigins: string[] = [],
  options: TestServerOptions = {},
): Promise<TestServer> {
  const http = createServer((_req, res) => {
    res.writeHead(404);
    res.end();
  });
  const server = attachCollabServer(http, {
    db,
    config: { allowedOrigins, trustProxy: options.trustProxy ?? false },
    secret: TEST_SECRET,
    log: options.log,
    migrations: options.migrations,
    otherUpgrades: options.otherUpgrades,
    collab: { persistDebounceMs: 20, persistMaxDelayMs: 100, ...collab },
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;
  return { http, collab: server, url: `ws://127.0.0.1:${port}/collab`, port };
}

export async function stopTestServer(server: TestServer): Promise<void> {
  await server.collab.close();
  server.http.closeAllConnections();
  await new Promise<void>((resolve) => server.http.close(() => resolve()));
}

export type TestUser = { id: string; name: string; sessionId: string; cookie: string };

let counter = 0;

/** A signed-in user; `passwordHash: null` makes a single sign-on only account. */
export async function createTestUser(
  db: Database,
  name = 'User',
  { passwordHash = 'not-used' }: { passwordHash?: string | null } = {},
): Promise<TestUser> {
  counter += 1;
  const user = await createUser(db, {
    email: `${name.toLowerCase()}-${counter}-${Date.now()}@example.test`,
    name,
    passwordHash,
  });
  return signInAgain(db, { id: user.id, name });
}

/** Another signed-in session (another browser) of the same user. */
export async function signInAgain(
  db: Database,
  user: { id: string; name: string },
): Promise<TestUser> {
  const sessionId = await createAuthSession(db, user.id, new Date(Date.now() + 3600_000));
  const token = await encode({
    token: { sub: user.id, sid: sessionId },
    secret: TEST_SECRET,
    salt: 'authjs.session-token',
  });
  return { id: user.id, name: user.name, sessionId, cookie: `authjs.session-token=${token}` };
}

/** A group owned by `owner` with one framework, plus the given members. */
export async function createTestFramework(
  db: Database,
  owner: TestUser,
  members: Array<[TestUser, Role]> = [],
): Promise<{ workspaceId: string; frameworkId: string }> {
  const workspace = await createWorkspace(db, { name: 'Coalition', ownerId: owner.id });
  for (const [user, role] of members) {
    await addMember(db, { workspaceId: workspace.id, userId: user.id, role });
  }
  const framework = await createFramework(db, {
    workspaceId: workspace.id,
    title: 'Framework',
    template: 'blank',
    createdBy: owner.id,
  });
  return { workspaceId: workspace.id, frameworkId: framework.id };
}

/** A `ws` WebSocket class that sends the user's cookie (and optionally an Origin). */
export function webSocketFor(
  user: TestUser | null,
  headers: Record<string, string> = {},
  localAddress?: string,
) {
  return class extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, {
        headers: { ...(user ? { cookie: user.cookie } : {}), ...headers },
        // Another loopback address (127.0.0.2) stands for a second client machine.
        ...(localAddress ? { localAddress } : {}),
      });
    }
  };
}

export function connectProvider(
  server: TestServer,
  frameworkId: string,
  user: TestUser,
  doc = new Y.Doc(),
): WebsocketProvider {
  const provider = new WebsocketProvider(server.url, frameworkId, doc, {
    // ws's class is API-compatible with the browser WebSocket that the provider types expect.
    WebSocketPolyfill: webSocketFor(user) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 300,
  });
  // The server's own messages (saved, access, review) are ignored unless a test listens for them
  // (lib/collab installs its handlers over these); without one, y-websocket logs each of them.
  const handlers = provider.messageHandlers as unknown as Array<() => void>;
  for (const type of [
    MessageType.saved,
    MessageType.access,
    MessageType.refused,
    MessageType.commentsChanged,
  ]) {
    handlers[type] ??= () => undefined;
  }
  return provider;
}

/** Polls until `check` holds (it may throw meanwhile); fails with the last error after `ms`. */
export async function waitFor<T>(check: () => T | Promise<T>, ms = 5_000): Promise<T> {
  const deadline = Date.now() + ms;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== false) return value;
      lastError = new Error('condition still false');
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw lastError;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function waitForSync(provider: WebsocketProvider): Promise<void> {
  if (provider.synced) return Promise.resolve();
  return new Promise((resolve) => {
    const onSync = (synced: boolean) => {
      if (!synced) return;
      provider.off('sync', onSync);
      resolve();
    };
    provider.on('sync', onSync);
  });
}

export type RawSocket = WebSocket & { received: Uint8Array[] };

/**
 * Opens a raw socket that records every message from the first byte (the server's first frames
 * can arrive with the upgrade response); resolves once open, or rejects with the refusal status.
 */
export function openRawSocket(
  url: string,
  user: TestUser | null,
  headers: Record<string, string> = {},
  localAddress?: string,
): Promise<RawSocket> {
  const Ws = webSocketFor(user, headers, localAddress);
  const ws = Object.assign(new Ws(url), { received: [] as Uint8Array[] });
  ws.on('message', (data: Buffer) => ws.received.push(new Uint8Array(data)));
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => {
      reject(new UpgradeRefused(res.statusCode ?? 0));
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

/** The TCP socket under a `ws` client: tests write raw frames and pause reading on it. */
export function rawSocket(ws: RawSocket): import('node:net').Socket {
  // ws keeps its socket in a private field; there is no public way to pause a client's reads.
  return (ws as unknown as { _socket: import('node:net').Socket })._socket;
}

export class UpgradeRefused extends Error {
  constructor(readonly status: number) {
    super(`upgrade refused with ${status}`);
  }
}

/** Resolves with the close code and reason of a socket. */
export function closeOf(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => {
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });
}

/**
 * Sends an upgrade request with the request target exactly as given (a WHATWG URL would normalise
 * "..", case of escapes and so on before the server sees them); resolves with the HTTP status.
 */
export function rawUpgradeStatus(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      path,
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': Buffer.from('0123456789abcdef').toString('base64'),
        ...headers,
      },
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}
