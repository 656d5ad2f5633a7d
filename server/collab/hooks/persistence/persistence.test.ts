import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Database } from '../../../../db/client';
import type { NewDocumentUpdate } from '../../../../db/queries/documents';
import { collabConfigFromEnv } from '../../config';
import { LiveDocument } from '../../document/live-document';
import { PersistThread } from './persist-thread';
import { DocumentWriter } from './persistence';

const silent = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const thread = new PersistThread(silent);
afterAll(() => thread.close());

/** A writer over an in-memory log whose writes take `writeMs`; `state.failing` makes them throw. */
function writerWithLog(options: { writeMs: number; debounceMs: number; maxDelayMs: number }) {
  const config = collabConfigFromEnv(
    {},
    {
      persistDebounceMs: options.debounceMs,
      persistMaxDelayMs: options.maxDelayMs,
      persistMaxRetries: 0,
      compactAfterUpdates: 1_000_000,
    },
  );
  const doc = new Y.Doc();
  const document = new LiveDocument('doc', doc, [], config, silent);
  const stored: NewDocumentUpdate[][] = [];
  const state = { failing: false };
  const store = async (rows: NewDocumentUpdate[]) => {
    await sleep(options.writeMs);
    if (state.failing) throw new Error('database unavailable');
    stored.push(rows);
  };
  // The database is never reached: `store` stands in for the log and compaction is off.
  const writer = new DocumentWriter(
    null as unknown as Database,
    document,
    config,
    0,
    silent,
    thread,
    undefined,
    store,
  );
  let seq = 0;
  doc.on('update', (update: Uint8Array) => writer.enqueue(update, 'user-a', ++seq));
  return { doc, writer, stored, state };
}

describe('DocumentWriter', () => {
  it('writes a document that never stops changing at its due times, not back to back', async () => {
    const { doc, writer, stored } = writerWithLog({ writeMs: 20, debounceMs: 50, maxDelayMs: 200 });
    const text = doc.getText('t');
    const end = Date.now() + 1_000;
    while (Date.now() < end) {
      text.insert(text.length, 'x');
      await sleep(5);
    }
    // Due every 200 ms (the quiet period never comes): about five writes, plus the final flush.
    // Waiting for quiet wrote nothing until the flush; writing what arrived during each write at
    // once made it about forty. On a loaded machine timers fire late, so fewer, never more.
    expect(stored.length).toBeGreaterThanOrEqual(1);
    await writer.flush();
    expect(stored.length).toBeLessThanOrEqual(8);
    const replay = new Y.Doc();
    for (const rows of stored) for (const row of rows) Y.applyUpdate(replay, row.update);
    expect(replay.getText('t').toString()).toBe(text.toString());
  });

  it('keeps a failed write queued ahead of later changes and stores both with the next flush', async () => {
    const { doc, writer, stored, state } = writerWithLog({
      writeMs: 1,
      debounceMs: 10_000,
      maxDelayMs: 10_000,
    });
    const text = doc.getText('t');
    text.insert(0, 'first ');
    state.failing = true;
    await expect(writer.flush()).rejects.toThrow('database unavailable');
    expect(writer.pendingCount).toBe(1);
    text.insert(text.length, 'second');
    state.failing = false;
    await writer.flush();
    expect(writer.pendingCount).toBe(0);
    const replay = new Y.Doc();
    for (const rows of stored) for (const row of rows) Y.applyUpdate(replay, row.update);
    expect(replay.getText('t').toString()).toBe('first second');
  });
});
