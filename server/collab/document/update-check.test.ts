import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MalformedMessage } from '../transport/framing';
import { checkUpdate, unmetRequirements, updateRequirements } from './update-check';

/** A document with every kind of content a framework (and Tiptap) produces. */
function richDoc(): Y.Doc {
  const doc = new Y.Doc();
  const text = doc.getText('t');
  text.insert(0, 'hello wörld 🎉');
  text.format(0, 5, { bold: true });
  text.insertEmbed(3, { image: 'x.png' });
  text.delete(1, 2);
  const map = doc.getMap('m');
  map.set('n', 42);
  map.set('f', 1.5);
  map.set('big', 2n ** 60n);
  map.set('neg', -7);
  map.set('obj', { a: [1, 'two', null, true, { deep: [false] }], b: new Uint8Array([1, 2]) });
  map.set('bin', new Uint8Array([9, 9]));
  const nested = new Y.Map<unknown>();
  map.set('nested', nested);
  nested.set('arr', Y.Array.from([1, 2, 3]));
  const fragment = doc.getXmlFragment('x');
  const p = new Y.XmlElement('paragraph');
  p.insert(0, [new Y.XmlText('narrative')]);
  // A hook is an XmlElement to Yjs at runtime; its typings leave it out of insert's union.
  fragment.insert(0, [p, new Y.XmlHook('hook') as unknown as Y.XmlElement]);
  doc.getArray('a').insert(0, ['x', 1]);
  doc.getArray('a').delete(0, 1);
  return doc;
}

/**
 * What an update requires of a document, computed the straightforward way from Yjs's own
 * decoding: the model the walk's requirements must agree with.
 */
function referenceRequirements(update: Uint8Array): Map<number, number> {
  const { structs, ds } = Y.decodeUpdate(update);
  const required = new Map<number, number>();
  const need = (client: number, state: number) => {
    if (state > (required.get(client) ?? 0)) required.set(client, state);
  };
  const runs = new Map<number, { start: number; end: number }>();
  for (const struct of structs) {
    if (struct instanceof Y.Skip) continue;
    const { client, clock } = struct.id;
    const run = runs.get(client);
    if (!run) {
      runs.set(client, { start: clock, end: clock + struct.length });
      need(client, clock);
    } else {
      if (clock > run.end) need(client, clock);
      run.end = Math.max(run.end, clock + struct.length);
    }
  }
  const ref = (id: Y.ID | null) => {
    const run = id && runs.get(id.client);
    if (id && !(run && id.clock >= run.start && id.clock < run.end)) need(id.client, id.clock + 1);
  };
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue;
    ref(struct.origin);
    ref(struct.rightOrigin);
    if (struct.parent instanceof Y.ID) ref(struct.parent);
  }
  for (const [client, ranges] of ds.clients) {
    for (const range of ranges) {
      const run = runs.get(client);
      const end = range.clock + range.len;
      if (!run || range.clock < run.start || end > run.end) need(client, end);
    }
  }
  return required;
}

function refuses(update: Uint8Array | number[]): MalformedMessage {
  const bytes = update instanceof Uint8Array ? update : new Uint8Array(update);
  try {
    checkUpdate(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(MalformedMessage);
    return error as MalformedMessage;
  }
  throw new Error('update was accepted');
}

/** An update of two clients where the SECOND one claims `structs` structs in a few bytes. */
function secondClientClaims(structs: number): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 2);
  // client 1: one valid string item at the root key "t"
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint(e, 0);
  encoding.writeUint8(e, 4);
  encoding.writeVarUint(e, 1);
  encoding.writeVarString(e, 't');
  encoding.writeVarString(e, 'a');
  // client 2: the claim, and nothing behind it
  encoding.writeVarUint(e, structs);
  encoding.writeVarUint(e, 2);
  encoding.writeVarUint(e, 0);
  encoding.writeUint8(e, 0);
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint(e, 0);
  return encoding.toUint8Array(e);
}

describe('checkUpdate: the structural walk before Yjs', () => {
  it('accepts every kind of content, whole documents and single transactions', () => {
    const doc = richDoc();
    expect(checkUpdate(Y.encodeStateAsUpdate(doc)).structs).toBeGreaterThan(5);
    const updates: Uint8Array[] = [];
    const other = new Y.Doc();
    other.on('update', (u: Uint8Array) => updates.push(u));
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    other.getText('t').insert(2, 'more');
    other.getMap('m').delete('n');
    for (const update of updates) expect(() => checkUpdate(update)).not.toThrow();
    // A gc'd document encodes deleted content as GC structs and deleted items.
    const gc = new Y.Doc({ gc: true });
    gc.getText('t').insert(0, 'abcdef');
    gc.getText('t').delete(0, 6);
    expect(() => checkUpdate(Y.encodeStateAsUpdate(gc))).not.toThrow();
  });

  it('refuses every truncation of a valid update', () => {
    const update = Y.encodeStateAsUpdate(richDoc());
    for (let cut = 0; cut < update.length; cut++) refuses(update.slice(0, cut));
  });

  it('refuses struct counts no message could hold, in any client, at once', () => {
    for (const claim of [50_000_000, 2 ** 31, 2 ** 32 - 1]) {
      const started = performance.now();
      expect(refuses(secondClientClaims(claim)).reason).toMatch(/struct count/);
      expect(performance.now() - started).toBeLessThan(50);
    }
    refuses([0x80, 0x80, 0x80, 0x80, 0x08, 0, 0]);
    // Delete set claiming 2^31 clients or ranges.
    refuses([0, 0x80, 0x80, 0x80, 0x80, 0x08]);
    refuses([0, 1, 5, 0x80, 0x80, 0x80, 0x80, 0x08]);
  });

  it('refuses the decoder-hang inputs of yjs issues 479 and 687 (PR 688)', () => {
    const inputs = [
      Buffer.from('garbagedoc', 'base64'),
      // PR 688 "too many updates v1": a client count of 265828 in 40 bytes.
      [
        228, 156, 16, 0, 5, 255, 255, 5, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 237, 0, 0, 0, 1, 1, 0, 254,
        184, 194, 233, 173, 135, 217, 18, 0, 0, 1, 1, 255, 237, 246,
      ],
      // PR 688's v2 inputs, as they would arrive on a v1 socket.
      [
        0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 1, 2, 0, 0, 22, 2, 0, 0, 1, 253, 255, 255, 255, 255, 127, 0,
        0,
      ],
      [
        228, 149, 0, 0, 1, 24, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 237, 1, 190, 130, 227, 195, 28, 1, 2,
        228, 149, 0, 0, 1, 24, 0, 0, 1, 24, 0, 0, 1, 0, 1, 237, 0,
      ],
      [
        143, 1, 128, 0, 0, 0, 1, 170, 1, 0, 1, 2, 0, 0, 22, 2, 0, 229, 196, 67, 20, 231, 166, 139,
        147, 174, 181, 253, 93, 232, 38, 154, 138, 89, 0, 49, 213, 15, 18, 1, 48, 0, 0, 0,
      ],
      [
        0, 1, 35, 0, 0, 0, 1, 2, 129, 0, 0, 16, 0, 199, 220, 0, 196, 122, 128, 0, 65, 171, 234, 214,
        0, 1, 0, 0, 1, 0, 0, 132, 0, 0, 16, 255, 199, 220, 255, 0, 0, 0,
      ],
      // An empty update buffer (yjs issue 498).
      [],
    ];
    for (const input of inputs) {
      const started = performance.now();
      refuses(new Uint8Array(input));
      expect(performance.now() - started).toBeLessThan(50);
    }
  });

  it('bounds nesting, lengths and tags', () => {
    // Content "any" nested 10,000 arrays deep (lib0 recurses without a limit).
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, 0);
    encoding.writeUint8(e, 8);
    encoding.writeVarUint(e, 1);
    encoding.writeVarString(e, 'm');
    encoding.writeVarUint(e, 1);
    for (let i = 0; i < 10_000; i++) {
      encoding.writeUint8(e, 117);
      encoding.writeVarUint(e, 1);
    }
    encoding.writeUint8(e, 126);
    encoding.writeVarUint(e, 0);
    expect(refuses(encoding.toUint8Array(e)).reason).toMatch(/nested/);
    // Unknown struct type 11, unknown type ref 9, a subdocument, a clock of 2^50.
    refuses([1, 1, 1, 0, 11, 0]);
    refuses([1, 1, 1, 0, 7, 1, 1, 0x74, 9, 0]);
    refuses([1, 1, 1, 0, 9, 1, 1, 0x74, 1, 0x61, 126, 0]);
    refuses([1, 1, 1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02, 4, 1, 1, 0x74, 1, 0x61, 0]);
    // Trailing bytes after the delete set.
    refuses([0, 0, 0]);
  });
});

describe('update requirements', () => {
  const unmet = (update: Uint8Array, doc: Y.Doc) =>
    unmetRequirements(updateRequirements(update), doc);

  it('finds structs from future clocks, unknown origins and deletions of unknown changes', () => {
    const base = new Y.Doc();
    base.getText('t').insert(0, 'abc');
    const peer = new Y.Doc();
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(base));
    const updates: Uint8Array[] = [];
    peer.on('update', (u: Uint8Array) => updates.push(u));
    peer.getText('t').insert(1, 'x');
    peer.getText('t').insert(2, 'y');
    peer.getText('t').delete(0, 2);
    // The first edit applies; the second and third depend on the first.
    expect(unmet(updates[0]!, base)).toBe(0);
    expect(unmet(updates[1]!, base)).toBeGreaterThan(0);
    expect(unmet(updates[2]!, base)).toBeGreaterThan(0);
    expect(unmet(Y.mergeUpdates(updates), base)).toBe(0);
    // A whole document's state needs nothing; an edit on top of it needs that state.
    expect(unmet(Y.encodeStateAsUpdate(peer), new Y.Doc())).toBe(0);
    expect(unmet(updates[1]!, new Y.Doc())).toBeGreaterThan(0);
    // A future clock from a client nobody has seen.
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, 123456);
    encoding.writeVarUint(e, 1000);
    encoding.writeUint8(e, 4);
    encoding.writeVarUint(e, 1);
    encoding.writeVarString(e, 't');
    encoding.writeVarString(e, 'z');
    encoding.writeVarUint(e, 0);
    const future = encoding.toUint8Array(e);
    checkUpdate(future);
    expect(unmet(future, base)).toBe(1);
    // Deleting what the document does not have.
    const ds = new Uint8Array([0, 1, 0xc0, 0xc4, 0x07, 1, 5, 1]);
    checkUpdate(ds);
    expect(unmet(ds, base)).toBe(1);
  });

  it('what it accepts, Yjs integrates without leaving anything pending', () => {
    const doc = new Y.Doc();
    const peer = new Y.Doc();
    const updates: Uint8Array[] = [];
    peer.on('update', (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < 30; i++) {
      peer.getText('t').insert(i % 3, `${i}`);
      if (i % 4 === 0) peer.getText('t').delete(0, 1);
      peer.getMap('m').set(`k${i % 5}`, i);
    }
    // Shuffled delivery: apply whatever is ready, repeatedly, as the server does with parked ones.
    let waiting = [...updates].reverse();
    while (waiting.length > 0) {
      const ready = waiting.filter((u) => unmet(u, doc) === 0);
      expect(ready.length).toBeGreaterThan(0);
      for (const u of ready) {
        Y.applyUpdate(doc, u);
        expect(doc.store.pendingStructs).toBeNull();
        expect(doc.store.pendingDs).toBeNull();
      }
      waiting = waiting.filter((u) => !ready.includes(u));
    }
    expect(doc.getText('t').toString()).toBe(peer.getText('t').toString());
  });
});

/** Re-encodes decoded structs (possibly altered) as a v1 update with an empty delete set. */
function encodeStructs(structs: Array<Y.Item | Y.GC | Y.Skip>): Uint8Array {
  const byClient = new Map<number, Array<Y.Item | Y.GC | Y.Skip>>();
  for (const struct of structs) {
    const run = byClient.get(struct.id.client) ?? [];
    run.push(struct);
    byClient.set(struct.id.client, run);
  }
  const encoder = new Y.UpdateEncoderV1();
  encoding.writeVarUint(encoder.restEncoder, byClient.size);
  for (const [client, run] of byClient) {
    encoding.writeVarUint(encoder.restEncoder, run.length);
    encoder.writeClient(client);
    encoding.writeVarUint(encoder.restEncoder, run[0]!.id.clock);
    for (const struct of run) struct.write(encoder, 0);
  }
  encoding.writeVarUint(encoder.restEncoder, 0);
  return encoder.toUint8Array();
}

/** A string item of `client` at `clock`: after `origin`, or at the start of root text "t". */
function textItem(client: number, clock: number, text: string, origin: Y.ID | null): Y.Item {
  return new Y.Item(
    Y.createID(client, clock),
    null,
    origin,
    null,
    null,
    // A decoded item names a root type by its key; the typings only know the parsed forms.
    (origin === null ? 't' : null) as unknown as Y.ID | null,
    null,
    new Y.ContentString(text),
  );
}

/** Applies an update to a fresh copy of `base`; says what Yjs did with it. */
function yjsOutcome(base: Y.Doc | null, update: Uint8Array) {
  const doc = new Y.Doc();
  if (base) Y.applyUpdate(doc, Y.encodeStateAsUpdate(base));
  const before = doc.getText('t').toString();
  let threw = false;
  try {
    Y.applyUpdate(doc, update);
  } catch {
    threw = true;
  }
  return {
    threw,
    pending: doc.store.pendingStructs !== null,
    changed: doc.getText('t').toString() !== before,
  };
}

/** Deterministic random numbers (a fixed seed per test keeps failures reproducible). */
function seeded(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    // Math.imul: a plain product passes 2^53 and loses the low bits (a short cycle).
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state >>> 8) % n;
  };
}

describe('checkUpdate: dependencies inside one update', () => {
  it('refuses a cycle between two clients that Yjs would apply in part', () => {
    // A0 "x" at the start; A1 "c" after B0; B0 "b" after A1: A1 and B0 wait for each other.
    const update = encodeStructs([
      textItem(1, 0, 'x', null),
      textItem(1, 1, 'c', Y.createID(2, 0)),
      textItem(2, 0, 'b', Y.createID(1, 1)),
    ]);
    // What the check prevents: Yjs integrates "x" and keeps the rest pending.
    expect(yjsOutcome(null, update)).toMatchObject({ pending: true, changed: true });
    expect(refuses(update).reason).toMatch(/cycle/);
  });

  it('refuses a cycle made from real edits re-encoded with one origin changed', () => {
    const a = new Y.Doc();
    a.clientID = 10;
    a.getText('t').insert(0, 'hello');
    const b = new Y.Doc();
    b.clientID = 20;
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    b.getText('t').insert(2, 'BB');
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    a.getText('t').insert(6, 'tail');
    const honest = Y.encodeStateAsUpdate(a);
    expect(() => checkUpdate(honest)).not.toThrow();
    const { structs } = Y.decodeUpdate(honest);
    // A's first struct "he" (before B's insertion) now claims to follow B's "BB", which follows
    // A's "l" at clock 1 of that very struct: a cycle at the granularity Yjs integrates.
    const first = structs.find((s) => s.id.client === 10 && s.id.clock === 0) as Y.Item;
    first.origin = Y.createID(20, 1);
    first.parent = null;
    const crafted = encodeStructs(structs);
    expect(yjsOutcome(null, crafted).pending).toBe(true);
    expect(refuses(crafted).reason).toMatch(/cycle/);
  });

  it('refuses a cycle through three clients behind valid structs', () => {
    const update = encodeStructs([
      textItem(1, 0, 'a', null),
      textItem(1, 1, 'b', Y.createID(3, 1)),
      textItem(2, 0, 'c', Y.createID(1, 1)),
      textItem(3, 0, 'd', null),
      textItem(3, 1, 'e', Y.createID(2, 0)),
    ]);
    expect(yjsOutcome(null, update)).toMatchObject({ pending: true, changed: true });
    expect(refuses(update).reason).toMatch(/cycle/);
    // The same update with the cycle broken is accepted and integrates completely.
    const fine = encodeStructs([
      textItem(1, 0, 'a', null),
      textItem(1, 1, 'b', Y.createID(3, 1)),
      textItem(2, 0, 'c', Y.createID(1, 1)),
      textItem(3, 0, 'd', null),
      textItem(3, 1, 'e', Y.createID(1, 0)),
    ]);
    expect(() => checkUpdate(fine)).not.toThrow();
    expect(yjsOutcome(null, fine)).toMatchObject({ threw: false, pending: false, changed: true });
  });

  it('refuses a struct naming a later change of its own client (Yjs throws half way)', () => {
    const forward = encodeStructs([
      textItem(1, 0, 'ab', null),
      textItem(1, 2, 'c', Y.createID(1, 5)),
      textItem(1, 3, 'dddd', Y.createID(1, 2)),
    ]);
    expect(yjsOutcome(null, forward)).toMatchObject({ threw: true, changed: true });
    expect(refuses(forward).reason).toMatch(/later change of its own client/);
    // Naming itself counts too.
    refuses(encodeStructs([textItem(1, 0, 'a', null), textItem(1, 1, 'b', Y.createID(1, 1))]));
  });

  it('what it accepts from random crafted references, Yjs integrates whole', () => {
    // 20,000 updates of three clients whose items refer to random clocks of the update (forward,
    // backward, own, cycles): whenever the check accepts one and the document has what it
    // requires, Yjs must apply all of it, throwing nothing and keeping nothing pending.
    const random = seeded(21);
    let accepted = 0;
    let refused = 0;
    for (let round = 0; round < 20_000; round++) {
      const lengths = [1, 2, 3].map(() =>
        Array.from({ length: 1 + random(3) }, () => 1 + random(3)),
      );
      const ends = lengths.map((run) => run.reduce((sum, n) => sum + n, 0));
      const anyId = () => {
        const client = random(3);
        return Y.createID(client + 1, random(ends[client]!));
      };
      const structs: Y.Item[] = [];
      lengths.forEach((run, client) => {
        let clock = 0;
        for (const length of run) {
          const origin = random(3) === 0 ? null : anyId();
          const rightOrigin = random(3) === 0 ? anyId() : null;
          structs.push(
            new Y.Item(
              Y.createID(client + 1, clock),
              null,
              origin,
              null,
              rightOrigin,
              (origin === null && rightOrigin === null ? 't' : null) as unknown as Y.ID | null,
              null,
              new Y.ContentString('abc'.slice(0, length)),
            ),
          );
          clock += length;
        }
      });
      const update = encodeStructs(structs);
      let shape;
      try {
        shape = checkUpdate(update);
      } catch (error) {
        expect(error).toBeInstanceOf(MalformedMessage);
        refused += 1;
        continue;
      }
      expect(shape.requirements).toEqual(referenceRequirements(update));
      const doc = new Y.Doc();
      if (unmetRequirements(shape.requirements, doc) > 0) continue;
      expect(() => Y.applyUpdate(doc, update)).not.toThrow();
      expect(doc.store.pendingStructs).toBeNull();
      accepted += 1;
    }
    // Both outcomes were exercised (most random references make a cycle or point forward).
    console.log(
      `random crafted updates: ${accepted} accepted and applied whole, ${refused} refused`,
    );
    expect(accepted).toBeGreaterThan(200);
    expect(refused).toBeGreaterThan(200);
  });

  it('accepts merged updates of concurrent editing in many shapes, and Yjs applies them whole', () => {
    const random = seeded(8);
    let accepted = 0;
    for (let round = 0; round < 60; round++) {
      const clients = 2 + random(3);
      const docs = Array.from({ length: clients }, (_, i) => {
        const doc = new Y.Doc();
        doc.clientID = 1000 * (round + 1) + i;
        return doc;
      });
      const updates: Uint8Array[] = [];
      for (const doc of docs) doc.on('update', (u: Uint8Array) => updates.push(u));
      for (let step = 0; step < 40; step++) {
        const doc = docs[random(clients)]!;
        const text = doc.getText('t');
        switch (random(7)) {
          case 0:
          case 1:
            text.insert(random(text.length + 1), 'xyz'.slice(0, 1 + random(3)));
            break;
          case 2:
            if (text.length > 0) text.delete(random(text.length), 1 + random(2));
            break;
          case 3:
            doc.getMap('m').set(`k${random(4)}`, step);
            break;
          case 4: {
            const list = doc.getArray<Y.Map<number>>('list');
            const item = new Y.Map<number>();
            list.insert(random(list.length + 1), [item]);
            item.set('n', step);
            break;
          }
          case 5: {
            const list = doc.getArray<Y.Map<number>>('list');
            if (list.length > 0) list.get(random(list.length)).set('n', step);
            break;
          }
          default: {
            const fragment = doc.getXmlFragment('x');
            const p = new Y.XmlElement('paragraph');
            p.insert(0, [new Y.XmlText(`p${step}`)]);
            fragment.insert(random(fragment.length + 1), [p]);
          }
        }
        // Exchange between two random replicas, so later edits build on others' in both ways.
        if (random(2) === 0) {
          const from = docs[random(clients)]!;
          const to = docs[random(clients)]!;
          Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
        }
      }
      const base = new Y.Doc();
      const candidates = [
        Y.mergeUpdates(updates),
        Y.mergeUpdates(updates.slice(updates.length >> 1)),
        ...docs.map((doc) => Y.encodeStateAsUpdate(doc)),
        Y.encodeStateAsUpdate(docs[0]!, Y.encodeStateVector(docs[1]!)),
      ];
      Y.applyUpdate(base, Y.mergeUpdates(updates.slice(0, updates.length >> 1)));
      for (const update of candidates) {
        expect(checkUpdate(update).requirements).toEqual(referenceRequirements(update));
        accepted += 1;
      }
      // Whole merges integrate completely into an empty document.
      const fresh = new Y.Doc();
      Y.applyUpdate(fresh, candidates[0]!);
      expect(fresh.store.pendingStructs).toBeNull();
    }
    expect(accepted).toBeGreaterThan(300);
  });

  it('costs little per megabyte, references in both directions included', () => {
    // Two clients typing alternately after each other's text: every struct refers across.
    const a = new Y.Doc();
    const b = new Y.Doc();
    a.clientID = 1;
    b.clientID = 2;
    for (let i = 0; i < 4_000; i++) {
      const [doc, other] = i % 2 === 0 ? [a, b] : [b, a];
      const text = doc.getText('t');
      text.insert((i * 7) % (text.length + 1), `word${i} `.repeat(1 + (i % 5)));
      Y.applyUpdate(other, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(other)));
    }
    const update = Y.encodeStateAsUpdate(a);
    const megabytes = update.length / 2 ** 20;
    const structs = checkUpdate(update).structs;
    expect(structs).toBeGreaterThan(3_000);
    const runs = 5;
    const started = performance.now();
    for (let i = 0; i < runs; i++) checkUpdate(update);
    const perMegabyte = (performance.now() - started) / runs / megabytes;
    console.log(
      `checkUpdate: ${perMegabyte.toFixed(1)} ms per MB (${structs} structs in ${(megabytes * 1024).toFixed(0)} KB)`,
    );
    expect(perMegabyte).toBeLessThan(2_000);
    // The worst shape for the dependency walk: 2 x 60,000 one-character structs zig-zagging
    // between two clients (each A follows the previous B, each B the A before it).
    const zigzag: Y.Item[] = [];
    for (let i = 0; i < 60_000; i++) {
      zigzag.push(textItem(1, i, 'a', i === 0 ? null : Y.createID(2, i - 1)));
    }
    for (let i = 0; i < 60_000; i++) zigzag.push(textItem(2, i, 'b', Y.createID(1, i)));
    const crafted = encodeStructs(zigzag);
    const craftedStarted = performance.now();
    expect(checkUpdate(crafted).structs).toBe(120_000);
    const craftedMs = performance.now() - craftedStarted;
    const applyStarted = performance.now();
    Y.applyUpdate(new Y.Doc(), crafted);
    const applyMs = performance.now() - applyStarted;
    console.log(
      `checkUpdate, 120,000 cross-referencing structs in ${(crafted.length / 1024).toFixed(0)} KB: ` +
        `${craftedMs.toFixed(0)} ms (Yjs applying it: ${applyMs.toFixed(0)} ms)`,
    );
    expect(craftedMs).toBeLessThan(5_000);
  });
});
