import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema';

export type Schema = typeof schema;
/** Either backend: PGlite and postgres-js share drizzle's PostgreSQL query builder. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

export type DatabaseConfig =
  | { kind: 'postgres'; url: string; maxConnections?: number }
  | { kind: 'pglite'; dataDir: string | null };

export interface DatabaseHandle {
  db: Database;
  kind: DatabaseConfig['kind'];
  close(): Promise<void>;
}

const MIGRATIONS_FOLDER = path.join(process.cwd(), 'db', 'migrations');
/** Arbitrary constant: serialises migrations when several instances start at once. */
const MIGRATION_LOCK_KEY = 727_411_204;

/** Reads the database choice from the environment: PostgreSQL with DATABASE_URL, else embedded. */
export function databaseConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  if (env.DATABASE_URL) return { kind: 'postgres', url: env.DATABASE_URL };
  return { kind: 'pglite', dataDir: path.resolve(env.DATA_DIR ?? '.data', 'pglite') };
}

/** Opens a database and applies pending migrations. `dataDir: null` keeps PGlite in memory. */
export async function openDatabase(config: DatabaseConfig): Promise<DatabaseHandle> {
  if (config.kind === 'postgres') {
    await migratePostgresLocked(config.url);
    const client = postgres(config.url, {
      max: config.maxConnections ?? 10,
      onnotice: () => undefined,
    });
    const db = drizzlePostgres({ client, schema }) as unknown as Database;
    return { db, kind: 'postgres', close: () => client.end({ timeout: 5 }) };
  }
  if (config.dataDir) await initialiseDataDir(config.dataDir);
  const client = new PGlite(config.dataDir ?? 'memory://', {
    startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${pgliteSharedBuffers()}`],
  });
  const db = drizzlePglite({ client, schema });
  await migratePglite(db, { migrationsFolder: MIGRATIONS_FOLDER });
  return { db: db as unknown as Database, kind: 'pglite', close: () => client.close() };
}

/**
 * PostgreSQL's buffer cache inside the embedded database's WebAssembly memory. Its default,
 * 128MB, is sized for a server of its own; the embedded database of a small deployment works in
 * far less (PGLITE_SHARED_BUFFERS, a PostgreSQL size such as 32MB).
 */
function pgliteSharedBuffers(env: NodeJS.ProcessEnv = process.env): string {
  const value = env.PGLITE_SHARED_BUFFERS ?? '32MB';
  if (!/^\d+(kB|MB|GB)$/.test(value)) {
    throw new Error(`PGLITE_SHARED_BUFFERS must be a size such as 32MB, not "${value}"`);
  }
  return value;
}

/**
 * Creates a new data folder's cluster (initdb) in a child process. Done in this process, it
 * leaves about 500 MB of the initdb module's memory behind that the allocator never hands back,
 * for as long as the server runs; a process of its own returns all of it when it exits.
 */
async function initialiseDataDir(dataDir: string): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  if (existsSync(path.join(dataDir, 'PG_VERSION'))) return;
  // Resolved from the project folder, as the migrations are (MIGRATIONS_FOLDER).
  const script = `import { PGlite } from '@electric-sql/pglite';
const db = await PGlite.create(${JSON.stringify(dataDir)});
await db.close();`;
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: process.cwd(),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`creating the embedded database in ${dataDir} failed: ${stderr}`)),
    );
  });
}

async function migratePostgresLocked(url: string): Promise<void> {
  // Advisory locks belong to a session, so the lock and the migration share one connection.
  const client = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    const db = drizzlePostgres({ client, schema });
    await db.execute(sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
    try {
      await migratePostgres(db, { migrationsFolder: MIGRATIONS_FOLDER });
    } finally {
      await db.execute(sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
    }
  } finally {
    await client.end({ timeout: 5 });
  }
}

type GlobalWithDb = typeof globalThis & { __briefingDb?: Promise<DatabaseHandle> };

/**
 * The process-wide database. Kept on globalThis because Next.js bundles route code apart from the
 * custom server's modules, and PGlite must have exactly one owner of its data folder.
 */
export function getDatabaseHandle(): Promise<DatabaseHandle> {
  const g = globalThis as GlobalWithDb;
  g.__briefingDb ??= openDatabase(databaseConfigFromEnv()).catch((error: unknown) => {
    g.__briefingDb = undefined;
    throw error;
  });
  return g.__briefingDb;
}

export async function getDb(): Promise<Database> {
  return (await getDatabaseHandle()).db;
}

/** Closes the process-wide database, if one was opened. */
export async function closeDatabase(): Promise<void> {
  const g = globalThis as GlobalWithDb;
  const handle = g.__briefingDb;
  g.__briefingDb = undefined;
  if (handle) await (await handle).close();
}

/** True when a trivial query succeeds: the health check. */
export async function pingDatabase(db: Database): Promise<boolean> {
  await db.execute(sql`select 1`);
  return true;
}
