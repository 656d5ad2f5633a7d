import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { foldLog, mergeGroups } from './log-folding';
import { PersistThread, PersistThreadLost } from './persist-thread';

const silent = pino({ level: 'silent' });
const threads: PersistThread[] = [];
afterAll(() => Promise.all(threads.map((t) => t.close())));

function thread(timeoutMs?: number): PersistThread {
  const created = new PersistThread(silent, timeoutMs);
  threads.push(created);
  return created;
}

/** `count` single-character edits of one client, as the updates its document emitted. */
function editsOf(count: number, text = 'ab'): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  const t = doc.getText('t');
  for (let i = 0; i < count; i++) {
    if (i % 7 === 6) t.delete(0, 1);
    else t.insert(i % 3 === 0 ? 0 : t.length, text[i % text.length]!);
  }
  return updates;
}

const textOf = (update: Uint8Array) => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return doc.getText('t').toString();
};

describe('PersistThread', () => {
  it('merges on the thread exactly as in place', async () => {
    const groups = [editsOf(120), editsOf(40, 'xyz'), editsOf(1)];
    const merged = await thread().merge(groups);
    expect(merged.map((m) => Buffer.from(m))).toEqual(
      mergeGroups(groups).map((m) => Buffer.from(m)),
    );
    expect(textOf(merged[0]!)).toBe(textOf(Y.mergeUpdates(groups[0]!)));
  });

  it('folds a log with its authors exactly as in place', async () => {
    const updates = editsOf(200);
    const snapshot = Y.mergeUpdates(updates.slice(0, 50));
    const rows = updates.slice(50).map((update, i) => ({
      userId: i % 2 === 0 ? 'alice' : null,
      update,
    }));
    const folded = await thread().fold(snapshot, rows);
    const inPlace = foldLog(snapshot, rows);
    expect(Buffer.from(folded.state)).toEqual(Buffer.from(inPlace.state));
    expect(folded.authored).toEqual(inPlace.authored);
    expect(folded.authored.map((a) => a.author).sort()).toEqual(['alice', 'server']);
    expect(textOf(folded.state)).toBe(textOf(Y.mergeUpdates(updates)));
  });

  it('reports a job that fails as that job’s error and keeps serving', async () => {
    const worker = thread();
    const garbage = new Uint8Array([5, 200, 1, 7]);
    const failed = worker.fold(null, [{ userId: null, update: garbage }]);
    await expect(failed).rejects.toThrow();
    await expect(failed).rejects.not.toBeInstanceOf(PersistThreadLost);
    const [merged] = await worker.merge([editsOf(3)]);
    expect(textOf(merged!)).toBe(textOf(Y.mergeUpdates(editsOf(3))));
  });

  it('ends a job that runs past its time, then serves the next on a new thread', async () => {
    const worker = thread(100);
    const rows = editsOf(30_000).map((update) => ({ userId: null, update }));
    await expect(worker.fold(null, rows)).rejects.toBeInstanceOf(PersistThreadLost);
    const [merged] = await worker.merge([editsOf(5)]);
    expect(textOf(merged!)).toBe(textOf(Y.mergeUpdates(editsOf(5))));
  });

  it('refuses work once closed', async () => {
    const worker = thread();
    await worker.merge([editsOf(2)]);
    await worker.close();
    await expect(worker.merge([editsOf(2)])).rejects.toBeInstanceOf(PersistThreadLost);
  });
});
