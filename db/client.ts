import { mkdirSync } from 'node:fs';
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
  if (config.dataDir) mkdirSync(config.dataDir, { recursive: true });
  const client = new PGlite(config.dataDir ?? 'memory://');
  const db = drizzlePglite({ client, schema });
  await migratePglite(db, { migrationsFolder: MIGRATIONS_FOLDER });
  return { db: db as unknown as Database, kind: 'pglite', close: () => client.close() };
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
