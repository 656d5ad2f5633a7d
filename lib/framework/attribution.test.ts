import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  SERVER_AUTHOR,
  changeSetOfUpdate,
  changeSetsByAuthor,
  compareStatesWithAuthors,
  mergeChangeSets,
  type AuthoredOp,
} from './attribution';
import {
  addCommitment,
  addNote,
  getNarrativeFragment,
  readFramework,
  setLayerTitle,
  removeNote,
  setNarrative,
  updateNote,
  updateTrigger,
} from './doc';
import { initialiseFromTemplate } from './templates';

type Row = { userId: string | null; update: Uint8Array };

/**
 * A server replica logging every update with its sender (as the sync server's log does) and
 * client replicas that edit and send their own updates to it.
 */
function setup() {
  const rows: Row[] = [];
  const server = new Y.Doc();
  server.on('update', (update: Uint8Array, origin: unknown) => {
    rows.push({ userId: typeof origin === 'string' ? origin : null, update });
  });
  initialiseFromTemplate(server, 'five-layer');
  const clients: Y.Doc[] = [];
  const sync = () => {
    for (const c of clients) {
      Y.applyUpdate(c, Y.encodeStateAsUpdate(server, Y.encodeStateVector(c)), 'sync');
    }
  };
  const client = (userId: string) => {
    const doc = new Y.Doc();
    clients.push(doc);
    sync();
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== 'sync') {
        Y.applyUpdate(server, update, userId);
        sync();
      }
    });
    return doc;
  };
  return { rows, server, client };
}

const firstText = (doc: Y.Doc, layerId: string) =>
  (getNarrativeFragment(doc, layerId)!.get(0) as Y.XmlElement).get(0) as Y.XmlText;

const changes = (ops: AuthoredOp[]) =>
  ops.filter((o) => o.type !== 'equal').map((o) => [o.type, o.text, o.authors]);

describe('compareStatesWithAuthors', () => {
  it('reports exactly the known changes of two users, word by word, with their authors', () => {
    const { rows, server, client } = setup();
    const layers = readFramework(server).layers;
    const original = 'The mission patrols both sides of the line.';
    setNarrative(server, layers[0]!.id, [
      { type: 'paragraph', content: [{ type: 'text', text: original, marks: [] }] },
    ]);
    const version = Y.encodeStateAsUpdate(server);
    const [l1, l2] = [layers[0]!, layers.slice(2).find((l) => l.triggers.length > 0)!];
    const trigger = l2.triggers[0]!;
    const alice = client('alice');
    const bob = client('bob');

    const p1 = firstText(alice, l1.id);
    p1.insert(original.length, ' Patrols begin at dawn.');
    setLayerTitle(alice, layers[1]!.id, `${layers[1]!.title} (revised)`);
    // Bob deletes the first word of the paragraph Alice extended, and rewrites a trigger.
    firstText(bob, l1.id).delete(0, 'The '.length);
    updateTrigger(bob, l2.id, trigger.id, { condition: 'Any armed attack on Ukraine' });
    addCommitment(bob, l2.id, { party: 'france', type: 'troops', quantity: 500, unit: 'troops' });

    const result = compareStatesWithAuthors(
      version,
      Y.encodeStateAsUpdate(server),
      changeSetsByAuthor(rows),
    );
    expect(result.authors).toEqual(['alice', 'bob']);

    const first = result.layers.find((l) => l.id === l1.id)!;
    expect(first.narrative).toHaveLength(1);
    expect(first.narrative[0]!.change).toBe('changed');
    expect(changes(first.narrative[0]!.ops)).toEqual([
      ['delete', 'The ', ['bob']],
      ['insert', ' Patrols begin at dawn.', ['alice']],
    ]);
    expect(first.fields).toEqual({ narrative: ['alice', 'bob'] });

    const second = result.layers.find((l) => l.id === layers[1]!.id)!;
    expect(second.texts.map((t) => [t.key, t.authors])).toEqual([['title', ['alice']]]);
    expect(changes(second.texts[0]!.ops)).toEqual([['insert', ' (revised)', ['alice']]]);
    expect(second.fields).toEqual({ title: ['alice'] });

    const triggered = result.layers.find((l) => l.id === l2.id)!;
    const condition = triggered.texts.find((t) => t.key === `triggers/${trigger.id}/condition`)!;
    expect(condition.authors).toEqual(['bob']);
    expect(condition.item).toBe('Trigger 1');
    expect(
      condition.ops
        .filter((o) => o.type === 'insert')
        .map((o) => o.text)
        .join(''),
    ).toContain('armed attack');
    expect(triggered.fields.triggers).toEqual(['bob']);
    expect(triggered.fields.commitments).toEqual(['bob']);
    // Nothing else was touched.
    expect(result.layers.map((l) => l.id).sort()).toEqual(
      [...new Set([l1.id, layers[1]!.id, l2.id])].sort(),
    );
  });

  it('names who added, rewrote and removed each risk, with the risk it was', () => {
    const { rows, server, client } = setup();
    const layer = readFramework(server).layers[0]!;
    const n = layer.risks.length; // the template's own risks come first
    const stays = addNote(server, layer.id, 'risks', 'Consent is withdrawn')!;
    const goes = addNote(server, layer.id, 'risks', 'Winter rotation gap')!;
    const version = Y.encodeStateAsUpdate(server);
    const alice = client('alice');
    const bob = client('bob');
    updateNote(alice, layer.id, 'risks', stays, 'Consent is withdrawn after elections');
    removeNote(bob, layer.id, 'risks', goes);
    const added = addNote(bob, layer.id, 'risks', 'Escalation at sea')!;

    const result = compareStatesWithAuthors(
      version,
      Y.encodeStateAsUpdate(server),
      changeSetsByAuthor(rows),
    );
    const entry = result.layers.find((l) => l.id === layer.id)!;
    expect(entry.fields).toEqual({ risks: ['alice', 'bob'] });
    const texts = Object.fromEntries(entry.texts.map((t) => [t.key, t]));
    expect(texts[`risks/${stays}/text`]).toMatchObject({ change: 'changed', authors: ['alice'] });
    expect(changes(texts[`risks/${stays}/text`]!.ops)).toEqual([
      ['insert', ' after elections', ['alice']],
    ]);
    expect(texts[`risks/${goes}/text`]).toMatchObject({ change: 'removed', authors: ['bob'] });
    expect(texts[`risks/${added}/text`]).toMatchObject({
      change: 'added',
      authors: ['bob'],
      item: `Risk ${n + 2}`,
    });
    // The removed risk is named as it was in the older state.
    expect(texts[`risks/${goes}/text`]!.item).toBe(`Risk ${n + 2}`);
    expect(texts[`risks/${stays}/text`]!.item).toBe(`Risk ${n + 1}`);
  });

  it('gives the same answer from ChangeSets merged per author and stored as JSON (compaction)', () => {
    const { rows, server, client } = setup();
    const version = Y.encodeStateAsUpdate(server);
    const l1 = readFramework(server).layers[0]!;
    const alice = client('alice');
    const bob = client('bob');
    for (let i = 0; i < 20; i++) {
      const who = i % 2 === 0 ? alice : bob;
      firstText(who, l1.id).insert(0, `w${i} `);
    }
    firstText(bob, l1.id).delete(0, 4); // Bob deletes Alice's last word "w18 "
    const now = Y.encodeStateAsUpdate(server);
    const direct = compareStatesWithAuthors(version, now, changeSetsByAuthor(rows));
    const stored = JSON.parse(JSON.stringify(changeSetsByAuthor(rows))) as ReturnType<
      typeof changeSetsByAuthor
    >;
    expect(compareStatesWithAuthors(version, now, stored)).toEqual(direct);
    const ops = direct.layers[0]!.narrative[0]!.ops;
    expect(ops.find((o) => o.type === 'insert')!.authors).toEqual(['alice', 'bob']);
    expect(direct.authors).toEqual(['alice', 'bob']);
  });

  it('attributes in both directions and leaves unknown changes without author', () => {
    const { rows, server, client } = setup();
    const version = Y.encodeStateAsUpdate(server);
    const l1 = readFramework(server).layers[0]!;
    const alice = client('alice');
    firstText(alice, l1.id).insert(0, 'Agreed: ');
    const now = Y.encodeStateAsUpdate(server);
    const back = compareStatesWithAuthors(now, version, changeSetsByAuthor(rows));
    expect(changes(back.layers[0]!.narrative[0]!.ops)).toEqual([['delete', 'Agreed: ', ['alice']]]);
    // Without the log, the change is there but nobody is named.
    const unknown = compareStatesWithAuthors(version, now, []);
    expect(changes(unknown.layers[0]!.narrative[0]!.ops)).toEqual([['insert', 'Agreed: ', []]]);
    // The template itself was written by the server (no user).
    const initial = compareStatesWithAuthors(
      Y.encodeStateAsUpdate(new Y.Doc()),
      version,
      changeSetsByAuthor(rows),
    );
    expect(initial.authors).toEqual([SERVER_AUTHOR]);
  });
});

describe('change sets', () => {
  it('records inserted and deleted id ranges, merged', () => {
    const doc = new Y.Doc();
    doc.clientID = 7;
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    const text = doc.getText('t');
    text.insert(0, 'abcdef');
    text.insert(6, 'gh');
    text.delete(1, 2);
    const sets = updates.map(changeSetOfUpdate);
    expect(sets[0]).toEqual({ inserted: { '7': [0, 6] }, deleted: {} });
    expect(sets[2]).toEqual({ inserted: {}, deleted: { '7': [1, 2] } });
    expect(mergeChangeSets(sets)).toEqual({ inserted: { '7': [0, 8] }, deleted: { '7': [1, 2] } });
  });
});
