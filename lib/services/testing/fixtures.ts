/**
 * Shared setup of the services' integration tests: one database per `describe.each` block (and,
 * when asked, sync servers on it and named users), opened before its tests and closed after, in
 * place of the beforeAll/afterAll pair each test file used to copy.
 *
 * The sync server's test support is reused, not copied, so a move of it is one import here.
 */
import { afterAll, beforeAll } from 'vitest';
import type { Database, DatabaseConfig, DatabaseHandle } from '../../../db/client';
import { useTestDatabase } from '../../../db/testing';
import {
  createTestUser,
  startTestServer,
  stopTestServer,
  type TestServer,
  type TestUser,
} from '../../../server/collab/testing/test-support';
import { AppError } from '../../errors';

type CollabOptions = NonNullable<Parameters<typeof startTestServer>[1]>;

/** What a block's tests read, once its beforeAll has run. */
export type ServiceFixture<S extends string, U extends string> = {
  readonly handle: DatabaseHandle;
  readonly db: Database;
} & { readonly [name in S]: TestServer } & { readonly [name in U]: TestUser };

/**
 * Registers the block's setup and teardown and returns its fixture: `servers` maps a name to the
 * sync server's options (started in order, stopped before the database closes), `users` maps a
 * name to the display name of a user created once for the block.
 */
export function useServiceFixture<S extends string = never, U extends string = never>(
  config: DatabaseConfig,
  {
    servers = {} as Record<S, CollabOptions>,
    users = {} as Record<U, string>,
  }: { servers?: Record<S, CollabOptions>; users?: Record<U, string> } = {},
): ServiceFixture<S, U> {
  const database = useTestDatabase(config);
  const started = new Map<string, TestServer>();
  const created = new Map<string, TestUser>();
  beforeAll(async () => {
    for (const [name, options] of Object.entries<CollabOptions>(servers)) {
      started.set(name, await startTestServer(database.db, options));
    }
    for (const [name, displayName] of Object.entries<string>(users)) {
      created.set(name, await createTestUser(database.db, displayName));
    }
  });
  // Registered after the database's own afterAll, so it runs before it (Vitest runs after-hooks
  // as a stack): servers stop while their database is still open.
  afterAll(async () => {
    for (const server of started.values()) await stopTestServer(server);
  });
  const fixture = {
    get handle() {
      return database.handle;
    },
    get db() {
      return database.db;
    },
  };
  const read = <T>(map: Map<string, T>, name: string): T => {
    const value = map.get(name);
    if (!value) throw new Error(`${name} is read before the fixture's beforeAll ran`);
    return value;
  };
  for (const name of Object.keys(servers)) {
    Object.defineProperty(fixture, name, { get: () => read(started, name) });
  }
  for (const name of Object.keys(users)) {
    Object.defineProperty(fixture, name, { get: () => read(created, name) });
  }
  return fixture as ServiceFixture<S, U>;
}

/** How a call settles: 'resolved', the AppError's kind, or 'other'. */
export async function kindOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return error instanceof AppError ? error.kind : 'other';
  }
}

const byte = () => Math.floor(Math.random() * 256);
const hextet = () => Math.floor(Math.random() * 0x10000).toString(16);

/**
 * A client address no earlier run used, for the throttling tests: a PostgreSQL test database
 * outlives a run, and its throttle events with it. `v6` gives an address in a fresh /64.
 */
export function freshAddress(kind: 'v4' | 'v6' = 'v4'): string {
  return kind === 'v4'
    ? `10.${byte()}.${byte()}.${byte()}`
    : `2001:db8:${hextet()}:${hextet()}::${hextet()}`;
}
