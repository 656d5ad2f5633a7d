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
