import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import * as Y from 'yjs';
import { collabConfigFromEnv } from '../config';
import type { CollabExtension } from '../hooks/extension';
import { Connection } from '../transport/connection';
import { RelayOrigin, type ChangeContext } from './change-context';
import { LiveDocument } from './live-document';

const silent = pino({ level: 'silent' });
const config = collabConfigFromEnv({});

/** A document whose hooks record the context each of them was handed, in hook order. */
function recordingDocument(names: string[]) {
  const seen: Array<{ hook: string; change: ChangeContext }> = [];
  const hooks: CollabExtension[] = names.map((name) => ({
    name,
    onChange: ({ change }) => void seen.push({ hook: name, change }),
  }));
  const doc = new Y.Doc();
  return { doc, document: new LiveDocument('doc', doc, hooks, config, silent), seen };
}

/** A connection whose socket is never used (nothing here sends). */
function connectionOf(userId: string, name: string): Connection {
  const principal = {
    userId,
    name,
    sessionId: 's',
    role: 'editor' as const,
    archived: false,
    delegation: null,
  };
  return new Connection({} as unknown as WebSocket, 'doc', principal, '#000', config, silent);
}

/** An update made elsewhere: `text` inserted by another Yjs client. */
function elsewhere(text: string): Uint8Array {
  const other = new Y.Doc();
  other.getText('t').insert(0, text);
  return Y.encodeStateAsUpdate(other);
}

describe('change context', () => {
  it("numbers this instance's own changes and names who made each; relayed ones keep theirs", () => {
    const { doc, document, seen } = recordingDocument(['only']);
    const alice = connectionOf('user-a', 'Alice');
    doc.transact(() => doc.getText('t').insert(0, 'a'), alice);
    const relayed = new RelayOrigin('instance-2', 7, 'user-b');
    document.applyExternalUpdate(elsewhere('b'), relayed);
    doc.transact(() => doc.getText('t').insert(0, 'c'), 'server');

    expect(seen.map((s) => s.change)).toEqual([
      { connection: alice, userId: 'user-a', userName: 'Alice', seq: 1, relayed: null },
      { connection: null, userId: 'user-b', userName: null, seq: null, relayed },
      { connection: null, userId: null, userName: null, seq: 2, relayed: null },
    ]);
    document.destroy();
  });

  it('hands every hook the same context, whatever their order', () => {
    const forward = recordingDocument(['persistence', 'relay']);
    const backward = recordingDocument(['relay', 'persistence']);
    for (const { doc } of [forward, backward]) {
      const bob = connectionOf('user-b', 'Bob');
      doc.transact(() => doc.getText('t').insert(0, 'x'), bob);
      doc.transact(() => doc.getText('t').insert(0, 'y'), bob);
    }
    for (const { seen, document } of [forward, backward]) {
      const byHook = (hook: string) =>
        seen.filter((s) => s.hook === hook).map((s) => [s.change.userId, s.change.seq]);
      expect(byHook('persistence')).toEqual([
        ['user-b', 1],
        ['user-b', 2],
      ]);
      expect(byHook('relay')).toEqual(byHook('persistence'));
      document.destroy();
    }
  });
});
