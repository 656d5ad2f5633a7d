/**
 * Test helper: several Y.Docs ("replicas") that capture their updates and exchange them later,
 * in an order shuffled by a seeded RNG, the way a network reorders and batches them.
 */
import * as Y from 'yjs';

/** Mulberry32: small, seeded, good enough to shuffle test deliveries reproducibly. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const REMOTE = Symbol('remote');

export class Replicas {
  readonly docs: Y.Doc[];
  /** Updates each replica produced locally and has not delivered yet. */
  private readonly outbox: Uint8Array[][];
  private readonly random: () => number;

  /** `count` replicas; each starts from `initial` (a state update) when given. */
  constructor(count: number, seed: number, initial?: Uint8Array) {
    this.random = seededRandom(seed);
    this.docs = Array.from({ length: count }, (_, i) => {
      const doc = new Y.Doc();
      // Distinct, fixed client ids keep tie-breaks (and so the tests) reproducible.
      doc.clientID = 1000 + i;
      if (initial) Y.applyUpdate(doc, initial, REMOTE);
      return doc;
    });
    this.outbox = this.docs.map(() => []);
    this.docs.forEach((doc, i) => {
      doc.on('update', (update: Uint8Array, origin: unknown) => {
        if (origin !== REMOTE) this.outbox[i]?.push(update);
      });
    });
  }

  doc(i: number): Y.Doc {
    const doc = this.docs[i];
    if (!doc) throw new Error(`No replica ${i}`);
    return doc;
  }

  /** Number of updates waiting to be delivered. */
  get pending(): number {
    return this.outbox.reduce((n, box) => n + box.length, 0);
  }

  /**
   * Delivers every captured update to every other replica, each receiver getting them in its own
   * shuffled order (so a later update may arrive before the one it depends on: Yjs must cope).
   */
  syncShuffled() {
    const messages = this.outbox.flatMap((box, from) => box.map((update) => ({ from, update })));
    this.outbox.forEach((box) => (box.length = 0));
    this.docs.forEach((doc, to) => {
      for (const { from, update } of shuffle(messages, this.random)) {
        if (from !== to) Y.applyUpdate(doc, update, REMOTE);
      }
    });
  }

  /** True when every replica has seen the same updates (equal state vectors). */
  converged(): boolean {
    const [first, ...rest] = this.docs.map((d) => Y.encodeStateVector(d).toString());
    return rest.every((s) => s === first);
  }
}
