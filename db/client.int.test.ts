import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from './client';

const dirs: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'briefing-pglite-'));
  dirs.push(dir);
  return path.join(dir, 'pglite');
};
afterEach(() => {
  delete process.env.PGLITE_SHARED_BUFFERS;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the embedded database on a data folder', () => {
  it('creates a new folder, migrates it, and keeps what was written across opens', async () => {
    const dataDir = freshDir();
    const first = await openDatabase({ kind: 'pglite', dataDir });
    await first.db.execute(sql`create table kept (note text)`);
    await first.db.execute(sql`insert into kept values ('still here')`);
    await first.close();

    const again = await openDatabase({ kind: 'pglite', dataDir });
    const rows = await again.db.execute(sql`select note from kept`);
    const migrated = await again.db.execute(sql`select count(*)::int as n from users`);
    await again.close();
    expect((rows as unknown as { rows: { note: string }[] }).rows).toEqual([
      { note: 'still here' },
    ]);
    expect((migrated as unknown as { rows: { n: number }[] }).rows[0]!.n).toBe(0);
  }, 120_000);

  it('holds a small buffer cache by default, and the size PGLITE_SHARED_BUFFERS names', async () => {
    const show = async () => {
      const handle = await openDatabase({ kind: 'pglite', dataDir: null });
      const result = await handle.db.execute(sql`show shared_buffers`);
      await handle.close();
      return (result as unknown as { rows: { shared_buffers: string }[] }).rows[0]!.shared_buffers;
    };
    expect(await show()).toBe('32MB');
    process.env.PGLITE_SHARED_BUFFERS = '48MB';
    expect(await show()).toBe('48MB');
  }, 120_000);

  it('refuses a buffer size that is not a size, naming the setting', async () => {
    process.env.PGLITE_SHARED_BUFFERS = '32MB; drop table users';
    await expect(openDatabase({ kind: 'pglite', dataDir: null })).rejects.toThrow(
      /PGLITE_SHARED_BUFFERS must be a size/,
    );
  });
});
