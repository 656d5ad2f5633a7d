import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DatabaseConfig } from '../../../../db/client';
import { openTestDatabase, testDatabaseConfigs } from '../../../../db/testing';
import { loadDocumentState } from './persistence';
import {
  TEST_SECRET,
  connectProvider,
  createTestFramework,
  createTestUser,
  waitFor,
  waitForSync,
  type TestServer,
} from '../../testing/test-support';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Starts the standalone sync server as a child process; resolves once it listens. */
function startChild(env: Record<string, string>): Promise<ChildProcess> {
  // node itself (not npx or the tsx wrapper), so that SIGKILL hits the server process.
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/collab/standalone.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('listening')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

const dirs: string[] = [];
const children = new Set<ChildProcess>();
afterAll(() => {
  // A failed assertion must not leave a server running.
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe.each(testDatabaseConfigs())('kill -9 and restart on $name', ({ name, config }) => {
  it('loses nothing that the clients hold', { timeout: 60_000 }, async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'collab-crash-'));
    dirs.push(dataDir);
    const dbConfig: DatabaseConfig =
      name === 'pglite' ? { kind: 'pglite', dataDir: path.join(dataDir, 'pglite') } : config;

    // Seed, then let the child own the database (PGlite allows one process per data folder).
    const seed = await openTestDatabase(dbConfig);
    const owner = await createTestUser(seed.db, 'Owner');
    const editor = await createTestUser(seed.db, 'Editor');
    const { frameworkId } = await createTestFramework(seed.db, owner, [[editor, 'editor']]);
    if (name === 'pglite') await seed.close();

    const port = await freePort();
    const env: Record<string, string> = {
      PORT: String(port),
      AUTH_SECRET: TEST_SECRET,
      DATA_DIR: dataDir,
      DATABASE_URL: name === 'pglite' ? '' : (config as { url: string }).url,
      // Long enough that the last edits before the kill are not yet written.
      COLLAB_PERSIST_DEBOUNCE_MS: '300',
      COLLAB_PERSIST_MAX_DELAY_MS: '1000',
      LOG_LEVEL: 'warn',
    };
    const server = { url: `ws://127.0.0.1:${port}/collab` } as TestServer;

    let child = await startChild(env);
    const a = connectProvider(server, frameworkId, owner);
    const b = connectProvider(server, frameworkId, editor);
    await Promise.all([waitForSync(a), waitForSync(b)]);
    for (let i = 0; i < 20; i++) {
      a.doc.getText('t').insert(a.doc.getText('t').length, `a${i} `);
      b.doc.getText('t').insert(0, `b${i} `);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await waitFor(() => a.doc.getText('t').toString() === b.doc.getText('t').toString());
    child.kill('SIGKILL');
    await exited(child);
    // Proof the crash hit mid-edit: the database is missing some of what the clients hold.
    const probe = name === 'pglite' ? await openTestDatabase(dbConfig) : seed;
    const atCrash = await loadDocumentState(probe.db, frameworkId);
    expect(atCrash.doc.getText('t').toString()).not.toBe(a.doc.getText('t').toString());
    if (name === 'pglite') await probe.close();
    // Offline edits while the server is down.
    a.doc.getText('t').insert(0, 'offline ');
    const expected = () => a.doc.getText('t').toString();

    child = await startChild(env);
    await waitFor(() => {
      expect(b.doc.getText('t').toString()).toBe(expected());
      expect(expected().startsWith('offline ')).toBe(true);
    }, 15_000);
    const late = connectProvider(server, frameworkId, editor);
    await waitForSync(late);
    await waitFor(() => late.doc.getText('t').toString() === expected());
    const finalText = expected();
    for (const p of [a, b, late]) p.destroy();

    // A clean stop flushes; the database then holds everything.
    child.kill('SIGTERM');
    await exited(child);
    const check = name === 'pglite' ? await openTestDatabase(dbConfig) : seed;
    const stored = await loadDocumentState(check.db, frameworkId);
    expect(stored.doc.getText('t').toString()).toBe(finalText);
    expect(finalText).toContain('a19');
    expect(finalText).toContain('b19');
    await check.close();
  });
});
