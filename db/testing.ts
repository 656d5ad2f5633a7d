import { afterAll, beforeAll } from 'vitest';
import { openDatabase, type Database, type DatabaseConfig, type DatabaseHandle } from './client';

/**
 * The databases integration tests run against: always embedded PGlite (in memory), and real
 * PostgreSQL too when TEST_DATABASE_URL is set (CI creates a fresh database for it).
 */
export function testDatabaseConfigs(): Array<{ name: string; config: DatabaseConfig }> {
  const configs: Array<{ name: string; config: DatabaseConfig }> = [
    { name: 'pglite', config: { kind: 'pglite', dataDir: null } },
  ];
  const url = process.env.TEST_DATABASE_URL;
  if (url) configs.push({ name: 'postgres', config: { kind: 'postgres', url, maxConnections: 4 } });
  return configs;
}

export function openTestDatabase(config: DatabaseConfig): Promise<DatabaseHandle> {
  return openDatabase(config);
}

/**
 * Opens a test database before the tests of the calling `describe` block and closes it after
 * them; read `handle` or `db` inside tests and hooks only.
 */
export function useTestDatabase(config: DatabaseConfig): {
  readonly handle: DatabaseHandle;
  readonly db: Database;
} {
  let handle: DatabaseHandle | null = null;
  beforeAll(async () => {
    handle = await openTestDatabase(config);
  });
  afterAll(async () => {
    await handle?.close();
  });
  const opened = (): DatabaseHandle => {
    if (!handle) throw new Error('the test database is read before its beforeAll ran');
    return handle;
  };
  return {
    get handle() {
      return opened();
    },
    get db() {
      return opened().db;
    },
  };
}

let sequence = 0;

/** A user with a unique email, for tests that need members. */
export async function insertTestUser(
  db: DatabaseHandle['db'],
  name = 'Test User',
): Promise<{ id: string; email: string; name: string }> {
  const { createUser } = await import('./queries/users');
  sequence += 1;
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${Date.now()}.${sequence}.${Math.random().toString(36).slice(2, 8)}@example.test`;
  const user = await createUser(db, { name, email, passwordHash: 'not-a-real-hash' });
  return { id: user.id, email: user.email, name: user.name };
}

let refusals = 0;

/**
 * Makes the database refuse every review event of one layer, as a failing write would (a real
 * error from the database, not a stand-in), for the paths that must lose nothing when the
 * database does. Returns the undo.
 */
export async function refuseReviewEventsOf(
  db: DatabaseHandle['db'],
  layerId: string,
): Promise<() => Promise<void>> {
  const { sql } = await import('drizzle-orm');
  refusals += 1;
  const trigger = sql.identifier(`test_refuse_review_event_${process.pid}_${refusals}`);
  await db.execute(sql`
    create or replace function test_refuse_review_event() returns trigger language plpgsql as $$
    begin
      if new.layer_id = tg_argv[0] then raise exception 'review event refused (test)'; end if;
      return new;
    end $$`);
  await db.execute(
    sql`create trigger ${trigger} before insert on review_events for each row execute function test_refuse_review_event(${sql.raw(`'${layerId.replace(/'/g, "''")}'`)})`,
  );
  return async () => {
    await db.execute(sql`drop trigger if exists ${trigger} on review_events`);
  };
}

/**
 * Overwrites a saved version's state, as a corrupted or tampered database would: no route does
 * this, and the initialling tests check that the initials then no longer apply.
 */
export async function overwriteVersionState(
  db: DatabaseHandle['db'],
  versionId: string,
  state: Uint8Array,
): Promise<void> {
  const { eq } = await import('drizzle-orm');
  const { frameworkVersions } = await import('./schema');
  await db.update(frameworkVersions).set({ state }).where(eq(frameworkVersions.id, versionId));
}
