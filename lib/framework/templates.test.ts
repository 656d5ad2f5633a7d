import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  FrameworkError,
  LAYER_KINDS,
  SCHEMA_VERSION,
  TEMPLATE_LIST,
  createFrameworkDoc,
  getNarrativeFragment,
  initialiseFromTemplate,
  isTemplateId,
  readFramework,
  validateFramework,
} from './index';

describe('template list', () => {
  it('offers five-layer, four-leg and blank with their layer counts', () => {
    expect(TEMPLATE_LIST.map((t) => [t.id, t.layerCount])).toEqual([
      ['five-layer', 7],
      ['four-leg', 4],
      ['blank', 0],
    ]);
    for (const t of TEMPLATE_LIST) {
      expect(t.name.length).toBeGreaterThan(3);
      expect(t.description.length).toBeGreaterThan(10);
    }
    expect(isTemplateId('four-leg')).toBe(true);
    expect(isTemplateId('five_layer')).toBe(false);
  });
});

describe('five-layer template', () => {
  const doc = createFrameworkDoc('five-layer');
  const view = readFramework(doc);

  it('reads back with title, parties and layers in template order', () => {
    expect(view.schemaVersion).toBe(SCHEMA_VERSION);
    expect(view.title).toBe(
      'Security guarantees for Ukraine: five-layer plan (illustrative sample)',
    );
    expect(view.parties).toHaveLength(15);
    expect(view.parties.map((p) => p.id)).toContain('organization-of-turkic-states');
    expect(view.parties.find((p) => p.id === 'türkiye')?.name).toBe('Türkiye');
    expect(view.layers.map((l) => l.kind)).toEqual([
      'monitoring',
      'presence',
      'air',
      'maritime',
      'enablers',
      'integration',
      'eastern-flank',
    ]);
    expect(view.layers.map((l) => l.lead)).toEqual([
      'organization-of-turkic-states',
      'united-kingdom',
      'france',
      'türkiye',
      'united-states',
      null,
      'poland',
    ]);
    expect(view.layers.map((l) => l.status)).toEqual([
      'proposed',
      'draft',
      'draft',
      'draft',
      'proposed',
      'draft',
      'draft',
    ]);
  });

  it('carries real structured content: commitments, triggers, positions, dependencies', () => {
    const [monitoring, presence, air, , enablers] = view.layers;
    expect(presence!.commitments.map((c) => [c.party, c.type, c.quantity, c.unit])).toEqual([
      ['united-kingdom', 'troops', 8000, 'personnel'],
      ['france', 'troops', 7000, 'personnel'],
      ['canada', 'troops', 1500, 'personnel'],
      ['estonia', 'troops', 300, 'personnel'],
      ['germany', 'equipment', 1, 'field hospital'],
    ]);
    expect(presence!.triggers[0]).toMatchObject({
      condition: 'Armed attack on force positions or personnel',
      deadlineHours: 24,
      responsibleParties: ['france', 'united-kingdom'],
    });
    expect(presence!.positions.germany).toEqual({
      stance: 'reserve',
      note: 'Ground deployment only with a US backstop.',
    });
    // Dependencies follow layer order: air (3rd) before enablers (5th).
    expect(presence!.dependencies).toEqual([air!.id, enablers!.id]);
    expect(monitoring!.openQuestions.map((q) => q.text)).toEqual([
      'Which organisation leads if one side objects to the Organization of Turkic States?',
    ]);
    expect(monitoring!.risks).toHaveLength(1);
  });

  it('writes narrative Tiptap can open and reads it back as text and structured blocks', () => {
    const narrative = view.layers[0]!.narrative;
    expect(narrative.blocks[0]).toEqual({
      type: 'paragraph',
      content: [
        { type: 'text', text: 'Illustrative sample: ', marks: [{ type: 'bold' }] },
        {
          type: 'text',
          text: 'figures and wording are placeholders showing the shape of a concrete layer, not the position of any government.',
          marks: [{ type: 'italic' }],
        },
      ],
    });
    expect(narrative.blocks[2]).toEqual({
      type: 'heading',
      level: 2,
      content: [{ type: 'text', text: 'Mandate', marks: [] }],
    });
    const list = narrative.blocks[3];
    expect(list?.type === 'list' && list.items.length).toBe(3);
    expect(narrative.text.split('\n')).toEqual([
      'Illustrative sample: figures and wording are placeholders showing the shape of a concrete layer, not the position of any government.',
      'An unarmed civilian mission patrols both sides of the line of contact and reports violations to a joint commission. Its lead organisation must be acceptable to both sides.',
      'Mandate',
      '- Patrol agreed sectors on both sides of the line of contact',
      '- Verify the withdrawal of heavy weapons from a 15 km zone',
      '- Publish a weekly public report',
    ]);
    // The element names are those of Tiptap's StarterKit, so the editor renders them.
    const fragment = getNarrativeFragment(doc, view.layers[0]!.id)!;
    const names = fragment.toArray().map((n) => (n as Y.XmlElement).nodeName);
    expect(names).toEqual(['paragraph', 'paragraph', 'heading', 'bulletList']);
  });

  it('has exactly the gaps the sample leaves on purpose', () => {
    const byLayer = new Map(view.layers.map((l) => [l.id, l.kind]));
    expect(
      validateFramework(view).map((g) => [g.layerId && byLayer.get(g.layerId), g.code, g.severity]),
    ).toEqual([
      ['monitoring', 'open_questions', 'info'],
      ['air', 'open_questions', 'info'],
      ['maritime', 'commitment_no_quantity', 'warning'],
      ['maritime', 'trigger_no_deadline', 'warning'],
      ['integration', 'layer_no_lead', 'warning'],
      ['integration', 'open_questions', 'info'],
    ]);
  });

  it('survives a persistence round trip unchanged', () => {
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    expect(readFramework(copy)).toEqual(view);
  });
});

describe('four-leg template', () => {
  const view = readFramework(createFrameworkDoc('four-leg'));

  it('holds the four legs with the legal triggers', () => {
    expect(view.layers.map((l) => [l.kind, l.title])).toEqual([
      ['presence', 'Leg 1: European presence'],
      ['air', 'Leg 2: US-enabled air and command shield'],
      ['legal', 'Leg 3: Ratified automatic triggers'],
      ['pipeline', 'Leg 4: Industrial-financial pipeline'],
    ]);
    const legal = view.layers[2]!;
    expect(legal.triggers.map((t) => t.deadlineHours)).toEqual([72, 168, 48]);
    expect(legal.dependencies).toEqual([view.layers[0]!.id, view.layers[1]!.id]);
    expect(view.layers.every((l) => l.kind && LAYER_KINDS.includes(l.kind))).toBe(true);
  });

  it('reports the trigger with no responsible party and the open question', () => {
    const legal = view.layers[2]!;
    expect(validateFramework(view).map((g) => [g.path, g.code])).toEqual([
      [
        `layer:${legal.id}/triggers/${legal.triggers[2]!.id}/responsibleParties`,
        'trigger_no_responsible',
      ],
      [`layer:${legal.id}/openQuestions`, 'open_questions'],
    ]);
  });
});

describe('blank template and initialisation', () => {
  it('starts with a title, no parties, no layers and no gaps', () => {
    const view = readFramework(createFrameworkDoc());
    expect(view).toEqual({
      schemaVersion: SCHEMA_VERSION,
      title: 'Untitled framework',
      parties: [],
      layers: [],
      packages: [],
    });
    expect(validateFramework(view)).toEqual([]);
  });

  it('refuses to initialise a document twice', () => {
    const doc = createFrameworkDoc('four-leg');
    expect(() => initialiseFromTemplate(doc, 'blank')).toThrow(FrameworkError);
    expect(readFramework(doc).layers).toHaveLength(4);
  });

  it('initialises in one transaction with the given origin', () => {
    const doc = new Y.Doc();
    const origins: unknown[] = [];
    doc.on('afterTransaction', (tr: Y.Transaction) => origins.push(tr.origin));
    initialiseFromTemplate(doc, 'five-layer', 'server');
    expect(origins).toEqual(['server']);
  });
});
