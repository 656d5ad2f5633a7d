import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { compareFrameworks } from './compare';
import {
  addCommitment,
  addDependency,
  addLayer,
  addNote,
  moveLayer,
  readFramework,
  removeCommitment,
  removeDependency,
  removeLayer,
  removeNote,
  removePosition,
  setFrameworkTitle,
  setLayerField,
  setNarrative,
  setPosition,
  updateCommitment,
  updateNote,
  updateTrigger,
} from './doc';
import { createFrameworkDoc } from './templates';

/** A copy of a document (its own replica), as a version is. */
function copyOf(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

describe('compareFrameworks', () => {
  it('finds nothing between a state and its copy', () => {
    const doc = createFrameworkDoc('five-layer');
    const result = compareFrameworks(readFramework(doc), readFramework(copyOf(doc)));
    expect(result.same).toBe(true);
    expect(result.changed).toEqual([]);
    expect(result.moved).toEqual([]);
  });

  it('reports exactly the known changes: added, removed, moved, status and fields', () => {
    const doc = createFrameworkDoc('five-layer');
    const before = readFramework(doc);
    const [l1, l2, l3, l4, l5, l6, l7] = before.layers;
    const next = copyOf(doc);
    setFrameworkTitle(next, 'Guarantees v0.4');
    const newId = addLayer(next, 'economic', { title: 'Snap-back sanctions' });
    removeLayer(next, l6!.id);
    moveLayer(next, l7!.id, { before: l1!.id });
    setLayerField(next, l2!.id, 'status', 'proposed');
    const c0 = l2!.commitments[0]!;
    updateCommitment(next, l2!.id, c0.id, { quantity: 9000 });
    removeCommitment(next, l2!.id, l2!.commitments[1]!.id);
    const addedCommitment = addCommitment(next, l3!.id, { party: 'poland', quantity: 2 })!;
    updateTrigger(next, l3!.id, l3!.triggers[0]!.id, { deadlineHours: 12 });
    setPosition(next, l4!.id, 'ukraine', { stance: 'oppose', note: 'Too slow' });
    const droppedParty = Object.keys(l5!.positions)[0]!;
    removePosition(next, l5!.id, droppedParty);
    setNarrative(next, l1!.id, [
      { type: 'paragraph', content: [{ type: 'text', text: 'New mandate.', marks: [] }] },
    ]);
    setLayerField(next, l4!.id, 'lead', 'france');

    const result = compareFrameworks(before, readFramework(next));
    expect(result.same).toBe(false);
    expect(result.title).toEqual({ from: before.title, to: 'Guarantees v0.4' });
    expect(result.added).toEqual([{ id: newId, title: 'Snap-back sanctions' }]);
    expect(result.removed).toEqual([{ id: l6!.id, title: l6!.title }]);
    expect(result.moved).toEqual([{ id: l7!.id, title: l7!.title, from: 7, to: 1 }]);
    expect(result.statusChanges).toEqual([
      { id: l2!.id, title: l2!.title, from: l2!.status, to: 'proposed' },
    ]);
    const fields = Object.fromEntries(result.changed.map((c) => [c.id, c.fields]));
    expect(fields).toEqual({
      [l1!.id]: ['narrative'],
      [l2!.id]: ['commitments'],
      [l3!.id]: ['commitments', 'triggers'],
      [l4!.id]: ['lead', 'positions'],
      [l5!.id]: ['positions'],
    });
    const diff = (id: string) => result.changed.find((c) => c.id === id)!;
    expect(diff(l2!.id).commitments).toEqual({
      added: [],
      removed: [l2!.commitments[1]!.id],
      changed: [c0.id],
    });
    expect(diff(l3!.id).commitments.added).toEqual([addedCommitment]);
    expect(diff(l3!.id).triggers.changed).toEqual([l3!.triggers[0]!.id]);
    // The maritime layer already holds Ukraine's position: its stance and note changed.
    expect(l4!.positions.ukraine).toBeDefined();
    expect(diff(l4!.id).positions).toEqual({ added: [], removed: [], changed: ['ukraine'] });
    expect(diff(l5!.id).positions).toEqual({ added: [], removed: [droppedParty], changed: [] });
  });

  it('reports a swap of two neighbours as one move, not every layer', () => {
    const doc = createFrameworkDoc('five-layer');
    const before = readFramework(doc);
    const next = copyOf(doc);
    moveLayer(next, before.layers[2]!.id, { before: before.layers[1]!.id });
    const result = compareFrameworks(before, readFramework(next));
    expect(result.moved).toHaveLength(1);
    expect(result.changed).toEqual([]);
    expect(result.added).toEqual([]);
  });

  it('reports risks, open questions and dependencies added, removed and changed, item by item', () => {
    const doc = createFrameworkDoc('five-layer');
    const [l1, l2, l3] = readFramework(doc).layers;
    const kept = addNote(doc, l1!.id, 'risks', 'Host nation consent is withdrawn')!;
    const dropped = addNote(doc, l1!.id, 'risks', 'Rotation gaps in winter')!;
    const question = addNote(doc, l2!.id, 'openQuestions', 'Who pays for the airlift?')!;
    addDependency(doc, l3!.id, l1!.id);
    const before = readFramework(doc);

    const next = copyOf(doc);
    updateNote(next, l1!.id, 'risks', kept, 'Host nation consent is withdrawn after elections');
    removeNote(next, l1!.id, 'risks', dropped);
    const added = addNote(next, l1!.id, 'risks', 'Escalation at sea')!;
    removeNote(next, l2!.id, 'openQuestions', question);
    removeDependency(next, l3!.id, l1!.id);
    addDependency(next, l3!.id, l2!.id);

    const result = compareFrameworks(before, readFramework(next));
    const fields = Object.fromEntries(result.changed.map((c) => [c.id, c.fields]));
    expect(fields).toEqual({
      [l1!.id]: ['risks'],
      [l2!.id]: ['openQuestions'],
      [l3!.id]: ['dependencies'],
    });
    const diff = (id: string) => result.changed.find((c) => c.id === id)!;
    expect(diff(l1!.id).risks).toEqual({ added: [added], removed: [dropped], changed: [kept] });
    expect(diff(l1!.id).openQuestions).toEqual({ added: [], removed: [], changed: [] });
    expect(diff(l2!.id).openQuestions).toEqual({ added: [], removed: [question], changed: [] });
    expect(diff(l2!.id).risks).toEqual({ added: [], removed: [], changed: [] });
    expect(diff(l3!.id).dependencies).toEqual({
      added: [l2!.id],
      removed: [l1!.id],
      changed: [],
    });
  });

  it('counts a risk only its text changed in as changed, and an untouched one not at all', () => {
    const doc = createFrameworkDoc('five-layer');
    const layer = readFramework(doc).layers[0]!;
    const a = addNote(doc, layer.id, 'risks', 'Sanctions fatigue')!;
    addNote(doc, layer.id, 'risks', 'Supply shortfall');
    const before = readFramework(doc);
    const next = copyOf(doc);
    expect(compareFrameworks(before, readFramework(next)).same).toBe(true);
    updateNote(next, layer.id, 'risks', a, 'Sanctions fatigue in 2027');
    const result = compareFrameworks(before, readFramework(next));
    expect(result.same).toBe(false);
    expect(result.changed).toHaveLength(1);
    expect(result.changed[0]!.risks).toEqual({ added: [], removed: [], changed: [a] });
  });
});
