import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addCommitment,
  addDependency,
  addLayer,
  addParty,
  addTrigger,
  getLayerTitleText,
  getNarrativeFragment,
  layerIds,
  moveLayer,
  readFramework,
  removeLayer,
  setLayerTitle,
  setNarrative,
  setPosition,
  updateCommitment,
} from './index';
import { createFrameworkDoc } from './templates';
import { paragraph } from './narrative';
import { Replicas } from './testing/replicas';

const SEEDS = [1, 7, 42, 2024, 99991];

/** A shared starting state: a blank framework with three layers A, B, C in that order. */
function startingState(): Uint8Array {
  const doc = createFrameworkDoc('blank');
  addParty(doc, 'United Kingdom');
  addParty(doc, 'France');
  addLayer(doc, 'presence', { id: 'layer-a', title: 'Alpha' });
  addLayer(doc, 'air', { id: 'layer-b', title: 'Bravo' });
  addLayer(doc, 'legal', { id: 'layer-c', title: 'Charlie' });
  return Y.encodeStateAsUpdate(doc);
}

function expectConverged(replicas: Replicas) {
  expect(replicas.pending).toBe(0);
  expect(replicas.converged()).toBe(true);
  const [first, ...rest] = replicas.docs.map((d) => readFramework(d));
  for (const view of rest) expect(view).toEqual(first);
  return first!;
}

describe.each(SEEDS)('replicas exchanging updates in shuffled order (seed %i)', (seed) => {
  it('three concurrent edits of one Y.Text field converge and keep every insertion', () => {
    const r = new Replicas(3, seed, startingState());
    getLayerTitleText(r.doc(0), 'layer-a')!.insert(0, 'First ');
    getLayerTitleText(r.doc(1), 'layer-a')!.insert(5, ' (air)');
    const text = getLayerTitleText(r.doc(2), 'layer-a')!;
    text.delete(0, 1);
    text.insert(0, 'a');
    r.syncShuffled();
    const view = expectConverged(r);
    const title = view.layers.find((l) => l.id === 'layer-a')!.title;
    expect(title).toContain('First ');
    expect(title).toContain(' (air)');
    expect(title).toContain('alpha');
    expect(title.length).toBe('First '.length + 'alpha'.length + ' (air)'.length);
  });

  it('form-style whole-value writes to one field keep both changes when they touch different parts', () => {
    const r = new Replicas(2, seed, startingState());
    setLayerTitle(r.doc(0), 'layer-b', 'Bravo air shield');
    setLayerTitle(r.doc(1), 'layer-b', 'The Bravo');
    r.syncShuffled();
    const view = expectConverged(r);
    expect(view.layers.find((l) => l.id === 'layer-b')!.title).toBe('The Bravo air shield');
  });

  it('edit vs delete of a layer: the layer is gone everywhere, edits to other layers survive', () => {
    const r = new Replicas(3, seed, startingState());
    setLayerTitle(r.doc(0), 'layer-b', 'Bravo renamed');
    addCommitment(r.doc(0), 'layer-b', { party: 'france', type: 'aircraft', quantity: 12 });
    setNarrative(r.doc(0), 'layer-b', [paragraph('Text typed into a doomed layer.')]);
    removeLayer(r.doc(1), 'layer-b');
    setLayerTitle(r.doc(2), 'layer-c', 'Charlie kept');
    addTrigger(r.doc(2), 'layer-c', {
      condition: 'Attack',
      response: 'Respond',
      deadlineHours: 24,
    });
    r.syncShuffled();
    const view = expectConverged(r);
    expect(view.layers.map((l) => l.id)).toEqual(['layer-a', 'layer-c']);
    const c = view.layers[1]!;
    expect(c.title).toBe('Charlie kept');
    expect(c.triggers.map((t) => [t.condition, t.deadlineHours])).toEqual([['Attack', 24]]);
    // Writes aimed at the removed layer after sync are refused, not thrown.
    expect(setLayerTitle(r.doc(0), 'layer-b', 'too late')).toBe(false);
  });

  it('move vs edit: the moved layer keeps every concurrent edit inside it', () => {
    const r = new Replicas(3, seed, startingState());
    expect(moveLayer(r.doc(0), 'layer-c', { index: 0 })).toBe(true);
    setLayerTitle(r.doc(1), 'layer-c', 'Charlie, edited while moving');
    setNarrative(r.doc(1), 'layer-c', [paragraph('Narrative typed during the move.')]);
    setPosition(r.doc(2), 'layer-c', 'france', { stance: 'reserve', note: 'Needs ratification' });
    addCommitment(r.doc(2), 'layer-c', { party: 'united-kingdom', type: 'troops', quantity: 500 });
    r.syncShuffled();
    const view = expectConverged(r);
    expect(view.layers.map((l) => l.id)).toEqual(['layer-c', 'layer-a', 'layer-b']);
    const c = view.layers[0]!;
    expect(c.title).toBe('Charlie, edited while moving');
    expect(c.narrative.text).toBe('Narrative typed during the move.');
    expect(c.positions).toEqual({ france: { stance: 'reserve', note: 'Needs ratification' } });
    expect(c.commitments.map((x) => [x.party, x.quantity])).toEqual([['united-kingdom', 500]]);
  });

  it('typing into the narrative fragment during a move keeps the typing', () => {
    const r = new Replicas(2, seed, startingState());
    setNarrative(r.doc(0), 'layer-a', [paragraph('Hello')]);
    r.syncShuffled();
    moveLayer(r.doc(0), 'layer-a', { after: 'layer-c' });
    const fragment = getNarrativeFragment(r.doc(1), 'layer-a')!;
    const p = fragment.get(0) as Y.XmlElement;
    (p.get(0) as Y.XmlText).insert(5, ', world');
    r.syncShuffled();
    const view = expectConverged(r);
    expect(view.layers.map((l) => l.id)).toEqual(['layer-b', 'layer-c', 'layer-a']);
    expect(view.layers[2]!.narrative.text).toBe('Hello, world');
  });

  it('concurrent moves into the same gap sort the same on every replica, and a later move still lands', () => {
    const r = new Replicas(3, seed, startingState());
    const x = addLayer(r.doc(0), 'maritime', { id: 'layer-x' });
    const y = addLayer(r.doc(0), 'economic', { id: 'layer-y' });
    r.syncShuffled();
    // Both moved between A and B at once: the same neighbours give the same key.
    moveLayer(r.doc(1), x, { after: 'layer-a' });
    moveLayer(r.doc(2), y, { after: 'layer-a' });
    r.syncShuffled();
    let view = expectConverged(r);
    const order = view.layers.map((l) => l.id);
    expect(order).toEqual(['layer-a', 'layer-x', 'layer-y', 'layer-b', 'layer-c']);
    const xKey = view.layers[1]!.order;
    expect(view.layers[2]!.order).toBe(xKey);
    // Moving C between the tied pair must re-key so it really sits between them.
    moveLayer(r.doc(0), 'layer-c', { after: 'layer-x' });
    r.syncShuffled();
    view = expectConverged(r);
    expect(view.layers.map((l) => l.id)).toEqual([
      'layer-a',
      'layer-x',
      'layer-c',
      'layer-y',
      'layer-b',
    ]);
    expect(layerIds(r.doc(1))).toEqual(view.layers.map((l) => l.id));
  });

  it('concurrent moves of the same layer end in one place on every replica', () => {
    const r = new Replicas(3, seed, startingState());
    moveLayer(r.doc(0), 'layer-a', { index: 3 });
    moveLayer(r.doc(1), 'layer-a', { before: 'layer-c' });
    r.syncShuffled();
    const view = expectConverged(r);
    expect(view.layers.map((l) => l.id).sort()).toEqual(['layer-a', 'layer-b', 'layer-c']);
    expect(view.layers[0]!.id).toBe('layer-b');
  });

  it('concurrent adds: three new layers, commitments and dependencies all arrive once', () => {
    const r = new Replicas(3, seed, startingState());
    const ids = r.docs.map((doc, i) => addLayer(doc, 'pipeline', { title: `New ${i}` }));
    const commitmentIds = r.docs.map((doc, i) =>
      addCommitment(doc, 'layer-a', { party: 'france', type: 'troops', quantity: 100 * (i + 1) }),
    );
    addDependency(r.doc(0), 'layer-c', 'layer-a');
    addDependency(r.doc(1), 'layer-c', 'layer-a');
    r.syncShuffled();
    const view = expectConverged(r);
    expect(view.layers).toHaveLength(6);
    expect(view.layers.slice(0, 3).map((l) => l.id)).toEqual(['layer-a', 'layer-b', 'layer-c']);
    expect(new Set(view.layers.slice(3).map((l) => l.id))).toEqual(new Set(ids));
    expect(
      view.layers
        .slice(3)
        .map((l) => l.title)
        .sort(),
    ).toEqual(['New 0', 'New 1', 'New 2']);
    const a = view.layers[0]!;
    expect(new Set(a.commitments.map((c) => c.id))).toEqual(new Set(commitmentIds));
    expect(a.commitments.map((c) => c.quantity).sort()).toEqual([100, 200, 300]);
    expect(view.layers[2]!.dependencies).toEqual(['layer-a']);
  });

  it('concurrent adds of the same party, spelled differently, give one party', () => {
    const r = new Replicas(3, seed, startingState());
    const ids = [
      addParty(r.doc(0), 'Türkiye'),
      addParty(r.doc(1), '  türkiye '),
      addParty(r.doc(2), 'Türkiye'),
    ];
    expect(new Set(ids)).toEqual(new Set(['türkiye']));
    r.syncShuffled();
    const view = expectConverged(r);
    expect(view.parties.filter((p) => p.id === 'türkiye')).toHaveLength(1);
    expect(view.parties.map((p) => p.id)).toEqual(['france', 'türkiye', 'united-kingdom']);
  });

  it('concurrent edits to different fields of one commitment both survive', () => {
    const r = new Replicas(2, seed, startingState());
    const id = addCommitment(r.doc(0), 'layer-a', { party: 'france', type: 'troops' })!;
    r.syncShuffled();
    updateCommitment(r.doc(0), 'layer-a', id, { quantity: 7000, unit: 'personnel' });
    updateCommitment(r.doc(1), 'layer-a', id, { conditions: 'Subject to a UN mandate' });
    r.syncShuffled();
    const view = expectConverged(r);
    expect(view.layers[0]!.commitments[0]).toEqual({
      id,
      party: 'france',
      type: 'troops',
      quantity: 7000,
      unit: 'personnel',
      conditions: 'Subject to a UN mandate',
      period: '',
    });
  });
});
