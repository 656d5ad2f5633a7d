import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addCommitment,
  addTrigger,
  createFrameworkDoc,
  draftOfRefusedEdit,
  fieldChangesOf,
  layerFields,
  removeCommitment,
  removeTrigger,
  setLayerField,
  updateCommitment,
  getNarrativeFragment,
  narrativeRuns,
  passageText,
  readFramework,
  type PassageAnchor,
} from '.';

/** The five-layer template's first layer, and its narrative's text runs by their text. */
function setup() {
  const doc = createFrameworkDoc('five-layer');
  const layerId = readFramework(doc).layers[0]!.id;
  const runs: Y.XmlText[] = [];
  const walk = (el: Y.XmlFragment | Y.XmlElement) =>
    el.toArray().forEach((c) => {
      if (c instanceof Y.XmlText) runs.push(c);
      else if (c instanceof Y.XmlElement) walk(c);
    });
  walk(getNarrativeFragment(doc, layerId)!);
  const run = (starting: string) => runs.find((t) => t.toString().startsWith(starting))!;
  return { doc, layerId, run, fragment: getNarrativeFragment(doc, layerId)! };
}

/**
 * What the sync server does: the author's edit arrives (origin 'author'), the runs are read as
 * typed, the edit is undone, and the draft is made from the difference.
 */
function refuse(doc: Y.Doc, layerId: string, scope: Y.XmlFragment, edit: () => void) {
  const undo = new Y.UndoManager(scope, { trackedOrigins: new Set(['author']), captureTimeout: 0 });
  doc.transact(edit, 'author');
  const typed = narrativeRuns(doc, layerId);
  undo.undo();
  undo.destroy();
  return draftOfRefusedEdit(doc, layerId, typed);
}

const textAt = (doc: Y.Doc, layerId: string, anchor: PassageAnchor) =>
  passageText(doc, layerId, anchor);

describe('draftOfRefusedEdit (a refused edit offered back as an amendment)', () => {
  it('names the replaced words of one paragraph, anchored in the restored text', () => {
    const { doc, layerId, run, fragment } = setup();
    const item = run('Publish a weekly');
    const before = item.toString();
    const draft = refuse(doc, layerId, fragment, () => {
      const at = before.indexOf('weekly');
      item.delete(at, 'weekly'.length);
      item.insert(at, 'daily');
    });
    expect(item.toString()).toBe(before);
    expect(draft).toMatchObject({ kind: 'passage', quote: 'weekly', proposed: 'daily' });
    if (draft?.kind !== 'passage') throw new Error('expected a passage');
    expect(textAt(doc, layerId, draft.anchor)).toBe('weekly');
  });

  it('widens a change inside a word to the whole word, and an insertion to the word before', () => {
    const { doc, layerId, run, fragment } = setup();
    const item = run('Publish a weekly');
    const inside = refuse(doc, layerId, fragment, () =>
      item.insert('Publish a week'.length, 'end'),
    );
    expect(inside).toMatchObject({ quote: 'weekly', proposed: 'weekendly' });
    const atEnd = refuse(doc, layerId, fragment, () =>
      item.insert(item.length, ' in two languages'),
    );
    expect(atEnd).toMatchObject({ quote: 'report', proposed: 'report in two languages' });
  });

  it('gives the typed paragraphs when the edit spans more than one, and nothing for no change', () => {
    const { doc, layerId, run, fragment } = setup();
    const first = run('Publish a weekly');
    const other = run('Patrol');
    const draft = refuse(doc, layerId, fragment, () => {
      first.insert(0, 'Always ');
      other.insert(0, 'Then ');
    });
    expect(draft?.kind).toBe('typed');
    if (draft?.kind !== 'typed') throw new Error('expected typed text');
    expect(draft.text).toContain('Always Publish a weekly');
    expect(draft.text).toContain('Then Patrol');
    expect(refuse(doc, layerId, fragment, () => undefined)).toBeNull();
  });

  it('offers a deletion as a proposal to delete, and nothing for a paragraph removed whole', () => {
    const { doc, layerId, run, fragment } = setup();
    const item = run('Publish a weekly');
    const words = refuse(doc, layerId, fragment, () => item.delete(0, 'Publish a weekly '.length));
    expect(words).toMatchObject({ kind: 'passage', quote: 'Publish a weekly ', proposed: '' });
    const paragraph = item.parent as Y.XmlElement;
    const list = paragraph.parent as Y.XmlElement;
    const removed = refuse(doc, layerId, fragment, () =>
      list.delete(list.toArray().indexOf(paragraph), 1),
    );
    expect(removed).toBeNull();
  });
});

describe('fieldChangesOf (refused changes to fields and rows, offered back as amendments)', () => {
  it('names each changed field, each added row and each removed commitment or trigger', () => {
    const doc = createFrameworkDoc('five-layer');
    const layer = readFramework(doc).layers.find(
      (l) => l.commitments.length >= 2 && l.triggers.length >= 1,
    )!;
    const [first, second] = layer.commitments;
    const trigger = layer.triggers[0]!;
    const now = layerFields(doc, layer.id);
    updateCommitment(doc, layer.id, first!.id, { quantity: 9999, type: 'funding' });
    removeCommitment(doc, layer.id, second!.id);
    removeTrigger(doc, layer.id, trigger.id);
    addCommitment(doc, layer.id, { party: first!.party, type: 'troops', quantity: 50 });
    addTrigger(doc, layer.id, { condition: 'If', response: 'Then', deadlineHours: 12 });
    setLayerField(doc, layer.id, 'lead', null);
    const changes = fieldChangesOf(layerFields(doc, layer.id), now);
    expect(changes).toEqual(
      expect.arrayContaining([
        {
          target: { kind: 'field', item: 'commitment', id: first!.id, field: 'quantity' },
          proposed: '9999',
        },
        { target: { kind: 'remove', item: 'commitment', id: second!.id }, proposed: '' },
        { target: { kind: 'remove', item: 'trigger', id: trigger.id }, proposed: '' },
        {
          target: {
            kind: 'row',
            item: 'commitment',
            row: expect.objectContaining({ type: 'troops', quantity: 50 }),
          },
          proposed: '',
        },
        {
          target: {
            kind: 'row',
            item: 'trigger',
            row: { condition: 'If', response: 'Then', deadlineHours: 12 },
          },
          proposed: '',
        },
      ]),
    );
    // The type is no amendable field: changing it is not offered back.
    expect(
      changes.some(
        (c) =>
          c.target.kind === 'field' &&
          c.target.field !== 'quantity' &&
          c.target.item === 'commitment',
      ),
    ).toBe(false);
    const lead = changes.filter((c) => c.target.kind === 'field' && c.target.item === 'layer');
    expect(lead).toEqual(
      layer.lead ? [{ target: { kind: 'field', item: 'layer', field: 'lead' }, proposed: '' }] : [],
    );
    expect(fieldChangesOf(now, now)).toEqual([]);
  });
});
