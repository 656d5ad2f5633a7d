import { openDatabase, type DatabaseConfig, type DatabaseHandle } from './client';

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
