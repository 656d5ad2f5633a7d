import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  FrameworkError,
  addCommitment,
  addDependency,
  addLayer,
  addOpenQuestion,
  addParty,
  addTrigger,
  createFrameworkDoc,
  getCommitmentText,
  getLayerTitleText,
  getNarrativeFragment,
  getNoteText,
  getPositionNoteText,
  getTriggerText,
  layerIds,
  moveLayer,
  observeFramework,
  readFramework,
  readNarrative,
  removeCommitment,
  removeLayer,
  removeOpenQuestion,
  removePosition,
  removeTrigger,
  replaceText,
  setLayerField,
  setNarrative,
  setPosition,
  setTriggerParty,
  updateOpenQuestion,
  updateTrigger,
} from './index';
import { compareOrdered, planMove } from './order';

function threeLayers() {
  const doc = createFrameworkDoc('blank');
  addParty(doc, 'France');
  addParty(doc, 'Poland');
  for (const id of ['a', 'b', 'c']) addLayer(doc, 'presence', { id, title: id.toUpperCase() });
  return doc;
}

describe('layers', () => {
  it('adds at the end, first, or after a given layer', () => {
    const doc = threeLayers();
    addLayer(doc, 'air', { id: 'first', after: null });
    addLayer(doc, 'air', { id: 'mid', after: 'a' });
    addLayer(doc, 'air', { id: 'end', after: 'nope' });
    expect(layerIds(doc)).toEqual(['first', 'a', 'mid', 'b', 'c', 'end']);
    const layer = readFramework(doc).layers[0]!;
    expect(layer).toMatchObject({ kind: 'air', status: 'draft', lead: null, statusDetail: {} });
  });

  it('moves before, after and to an index; unknown anchors do nothing', () => {
    const doc = threeLayers();
    expect(moveLayer(doc, 'c', { before: 'a' })).toBe(true);
    expect(layerIds(doc)).toEqual(['c', 'a', 'b']);
    expect(moveLayer(doc, 'c', { after: 'b' })).toBe(true);
    expect(layerIds(doc)).toEqual(['a', 'b', 'c']);
    expect(moveLayer(doc, 'a', { index: 99 })).toBe(true);
    expect(layerIds(doc)).toEqual(['b', 'c', 'a']);
    expect(moveLayer(doc, 'a', { before: 'missing' })).toBe(false);
    expect(moveLayer(doc, 'missing', { index: 0 })).toBe(false);
    expect(layerIds(doc)).toEqual(['b', 'c', 'a']);
  });

  it('a move writes only the order key of the moved layer', () => {
    const doc = threeLayers();
    const changed: string[] = [];
    const stop = observeFramework(doc, (events) => {
      for (const e of events)
        changed.push(...[...e.keys.keys()].map((k) => `${e.path.join('/')}:${k}`));
    });
    moveLayer(doc, 'c', { index: 0 });
    stop();
    expect(changed).toEqual(['layers/c:order']);
  });

  it('removing a layer removes dependencies on it in the same transaction', () => {
    const doc = threeLayers();
    addDependency(doc, 'a', 'b');
    addDependency(doc, 'c', 'b');
    addDependency(doc, 'c', 'a');
    let transactions = 0;
    doc.on('afterTransaction', () => transactions++);
    expect(removeLayer(doc, 'b', 'me')).toBe(true);
    expect(transactions).toBe(1);
    const view = readFramework(doc);
    expect(view.layers.map((l) => [l.id, l.dependencies])).toEqual([
      ['a', []],
      ['c', ['a']],
    ]);
    expect(removeLayer(doc, 'b')).toBe(false);
  });

  it('refuses self-dependency and dependencies on missing layers', () => {
    const doc = threeLayers();
    expect(() => addDependency(doc, 'a', 'a')).toThrow(FrameworkError);
    expect(addDependency(doc, 'a', 'zzz')).toBe(false);
  });

  it('sets kind, status, status detail and lead; rejects unknown values', () => {
    const doc = threeLayers();
    setLayerField(doc, 'a', 'kind', 'legal');
    setLayerField(doc, 'a', 'status', 'agreed_ad_ref');
    setLayerField(doc, 'a', 'statusDetail', {
      confirmBy: '2026-03-01',
      silence: {
        until: '2026-02-20T12:00:00Z',
        startedBy: 'u1',
        startedAt: '2026-02-18T09:00:00Z',
      },
    });
    setLayerField(doc, 'a', 'lead', 'france');
    const a = readFramework(doc).layers[0]!;
    expect(a).toMatchObject({ kind: 'legal', status: 'agreed_ad_ref', lead: 'france' });
    expect(a.statusDetail.silence?.until).toBe('2026-02-20T12:00:00Z');
    expect(() => setLayerField(doc, 'a', 'status', 'done' as 'draft')).toThrow(FrameworkError);
    expect(() => setLayerField(doc, 'a', 'lead', 'France')).toThrow(FrameworkError);
    expect(setLayerField(doc, 'gone', 'status', 'draft')).toBe(false);
  });

  it('an unchanged field write creates no update (no empty undo steps)', () => {
    const doc = threeLayers();
    let updates = 0;
    doc.on('update', () => updates++);
    setLayerField(doc, 'a', 'kind', 'presence');
    expect(updates).toBe(0);
  });
});

describe('lists, positions and Y getters', () => {
  it('adds, updates and removes triggers, with per-party toggles', () => {
    const doc = threeLayers();
    const t = addTrigger(doc, 'a', { condition: 'Attack', responsibleParties: ['france'] })!;
    updateTrigger(doc, 'a', t, { response: 'Respond', deadlineHours: 48 });
    setTriggerParty(doc, 'a', t, 'poland', true);
    setTriggerParty(doc, 'a', t, 'france', false);
    expect(readFramework(doc).layers[0]!.triggers).toEqual([
      {
        id: t,
        condition: 'Attack',
        response: 'Respond',
        deadlineHours: 48,
        responsibleParties: ['poland'],
      },
    ]);
    expect(getTriggerText(doc, 'a', t, 'condition')?.toString()).toBe('Attack');
    expect(() => updateTrigger(doc, 'a', t, { deadlineHours: -1 })).toThrow(FrameworkError);
    expect(removeTrigger(doc, 'a', t)).toBe(true);
    expect(readFramework(doc).layers[0]!.triggers).toEqual([]);
    expect(getTriggerText(doc, 'a', t, 'condition')).toBeNull();
  });

  it('commitment text fields are Y.Text the editor can bind', () => {
    const doc = threeLayers();
    const c = addCommitment(doc, 'a', { party: 'france', conditions: 'UN mandate' })!;
    const text = getCommitmentText(doc, 'a', c, 'conditions')!;
    text.insert(text.length, ' required');
    expect(readFramework(doc).layers[0]!.commitments[0]!.conditions).toBe('UN mandate required');
    expect(() => addCommitment(doc, 'a', { quantity: Number.NaN })).toThrow(FrameworkError);
    expect(removeCommitment(doc, 'a', c)).toBe(true);
    expect(removeCommitment(doc, 'a', c)).toBe(false);
  });

  it('updates a position in place so its note text object survives a stance change', () => {
    const doc = threeLayers();
    setPosition(doc, 'a', 'poland', { stance: 'reserve', note: 'Needs basing terms' });
    const note = getPositionNoteText(doc, 'a', 'poland');
    setPosition(doc, 'a', 'poland', { stance: 'support' });
    expect(getPositionNoteText(doc, 'a', 'poland')).toBe(note);
    expect(readFramework(doc).layers[0]!.positions).toEqual({
      poland: { stance: 'support', note: 'Needs basing terms' },
    });
    expect(removePosition(doc, 'a', 'poland')).toBe(true);
    expect(readFramework(doc).layers[0]!.positions).toEqual({});
  });

  it('open questions: add, edit, remove', () => {
    const doc = threeLayers();
    const q = addOpenQuestion(doc, 'b', 'Who leads?')!;
    updateOpenQuestion(doc, 'b', q, 'Who leads the mission?');
    expect(getNoteText(doc, 'b', 'openQuestions', q)?.toString()).toBe('Who leads the mission?');
    expect(readFramework(doc).layers[1]!.openQuestions).toEqual([
      { id: q, text: 'Who leads the mission?' },
    ]);
    expect(removeOpenQuestion(doc, 'b', q)).toBe(true);
    expect(readFramework(doc).layers[1]!.openQuestions).toEqual([]);
  });

  it('getters return null for a missing layer instead of throwing', () => {
    const doc = threeLayers();
    expect(getLayerTitleText(doc, 'x')).toBeNull();
    expect(getNarrativeFragment(doc, 'x')).toBeNull();
    expect(getLayerTitleText(doc, 'a')).toBeInstanceOf(Y.Text);
    expect(getNarrativeFragment(doc, 'a')).toBeInstanceOf(Y.XmlFragment);
  });

  it('writes to an uninitialised document throw a clear error', () => {
    expect(() => addLayer(new Y.Doc(), 'air')).toThrow(/not initialised/);
    expect(readFramework(new Y.Doc())).toEqual({
      schemaVersion: 0,
      title: '',
      parties: [],
      layers: [],
      packages: [],
    });
  });
});

describe('observeFramework', () => {
  it('reports transactions with their origin and stops after unsubscribe', () => {
    const doc = threeLayers();
    const origins: unknown[] = [];
    const stop = observeFramework(doc, (_events, tr) => origins.push(tr.origin));
    setNarrative(
      doc,
      'a',
      [{ type: 'paragraph', content: [{ type: 'text', text: 'x', marks: [] }] }],
      'editor',
    );
    addParty(doc, 'Italy', 'editor-2');
    stop();
    addParty(doc, 'Spain');
    expect(origins).toEqual(['editor', 'editor-2']);
  });
});

describe('narrative', () => {
  it('round-trips headings, lists, tables, hard breaks and bold/italic/link marks', () => {
    const doc = threeLayers();
    const blocks = [
      {
        type: 'heading' as const,
        level: 3,
        content: [{ type: 'text' as const, text: 'Scope', marks: [] }],
      },
      {
        type: 'paragraph' as const,
        content: [
          { type: 'text' as const, text: 'See ', marks: [] },
          {
            type: 'text' as const,
            text: 'the annex',
            marks: [
              { type: 'bold' as const },
              { type: 'link' as const, href: 'https://example.org/annex' },
            ],
          },
          { type: 'hardBreak' as const },
          { type: 'text' as const, text: 'next line', marks: [{ type: 'italic' as const }] },
        ],
      },
      {
        type: 'list' as const,
        ordered: true,
        items: [
          [
            {
              type: 'paragraph' as const,
              content: [{ type: 'text' as const, text: 'one', marks: [] }],
            },
          ],
        ],
      },
      {
        type: 'table' as const,
        rows: [
          [
            {
              header: true,
              blocks: [
                {
                  type: 'paragraph' as const,
                  content: [{ type: 'text' as const, text: 'Party', marks: [] }],
                },
              ],
            },
            {
              header: true,
              blocks: [
                {
                  type: 'paragraph' as const,
                  content: [{ type: 'text' as const, text: 'Troops', marks: [] }],
                },
              ],
            },
          ],
          [
            {
              header: false,
              blocks: [
                {
                  type: 'paragraph' as const,
                  content: [{ type: 'text' as const, text: 'France', marks: [] }],
                },
              ],
            },
            {
              header: false,
              blocks: [
                {
                  type: 'paragraph' as const,
                  content: [{ type: 'text' as const, text: '7000', marks: [] }],
                },
              ],
            },
          ],
        ],
      },
    ];
    setNarrative(doc, 'a', blocks);
    const narrative = readFramework(doc).layers[0]!.narrative;
    expect(narrative.blocks).toEqual(blocks);
    expect(narrative.text).toBe(
      'Scope\nSee the annex\nnext line\n1. one\nParty | Troops\nFrance | 7000',
    );
  });

  it('reads marks the way y-prosemirror stores them, including hashed overlapping marks', () => {
    const doc = new Y.Doc();
    const fragment = doc.getXmlFragment('n');
    const p = new Y.XmlElement('paragraph');
    fragment.insert(0, [p]);
    const text = new Y.XmlText();
    p.insert(0, [text]);
    text.insert(0, 'bold', { bold: {} });
    text.insert(4, ' link', { 'link--a1b2': { href: 'https://example.org', target: '_blank' } });
    text.insert(9, ' plain', {});
    const unknown = new Y.XmlElement('codeBlock');
    fragment.insert(1, [unknown]);
    const code = new Y.XmlText();
    unknown.insert(0, [code]);
    code.insert(0, 'kept');
    expect(readNarrative(fragment).blocks).toEqual([
      {
        type: 'paragraph',
        content: [
          { type: 'text', text: 'bold', marks: [{ type: 'bold' }] },
          { type: 'text', text: ' link', marks: [{ type: 'link', href: 'https://example.org' }] },
          { type: 'text', text: ' plain', marks: [] },
        ],
      },
      { type: 'paragraph', content: [{ type: 'text', text: 'kept', marks: [] }] },
    ]);
  });
});

describe('replaceText', () => {
  it('changes only the differing middle and never splits a surrogate pair', () => {
    const doc = new Y.Doc();
    const text = doc.getText('t');
    text.insert(0, 'flag 🇺🇦 here');
    replaceText(text, 'flag 🇪🇺 here');
    expect(text.toString()).toBe('flag 🇪🇺 here');
    replaceText(text, '');
    expect(text.toString()).toBe('');
  });
});

describe('order keys', () => {
  it('sorts by key then id, by code unit', () => {
    const items = [
      { id: 'b', order: 'a1' },
      { id: 'a', order: 'a1' },
      { id: 'c', order: 'Zz' },
    ];
    expect([...items].sort(compareOrdered).map((i) => i.id)).toEqual(['c', 'a', 'b']);
  });

  it('re-keys a tied run when inserting inside it, and every key when keys are invalid', () => {
    const others = [
      { id: 'p', order: 'a0' },
      { id: 'q', order: 'a1' },
      { id: 'r', order: 'a1' },
      { id: 's', order: 'a2' },
    ];
    const plan = planMove(others, 'x', 2);
    expect([...plan.keys()]).toEqual(['x', 'r']);
    const merged = others.map((o) => ({ ...o, order: plan.get(o.id) ?? o.order }));
    merged.push({ id: 'x', order: plan.get('x')! });
    expect(merged.sort(compareOrdered).map((o) => o.id)).toEqual(['p', 'q', 'x', 'r', 's']);

    const broken = planMove([{ id: 'p', order: '!!' }], 'x', 0);
    expect([...broken.keys()]).toEqual(['x', 'p']);
    expect(broken.get('x')! < broken.get('p')!).toBe(true);
  });
});
