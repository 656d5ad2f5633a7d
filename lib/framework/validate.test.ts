import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Replicas } from './testing/replicas';
import {
  addCommitment,
  addDependency,
  addLayer,
  addOpenQuestion,
  addParty,
  addTrigger,
  createFrameworkDoc,
  parseFieldPath,
  readFramework,
  removeLayer,
  removeParty,
  setFrameworkTitle,
  setLayerField,
  setPosition,
  validateFramework,
  type Gap,
} from './index';

/** A framework with one complete layer; each test breaks one thing. */
function complete(): { doc: Y.Doc; layer: string } {
  const doc = createFrameworkDoc('blank');
  const uk = addParty(doc, 'United Kingdom');
  const layer = addLayer(doc, 'presence', { id: 'l1', title: 'Presence' });
  setLayerField(doc, layer, 'lead', uk);
  addCommitment(doc, layer, { party: uk, type: 'troops', quantity: 5000, unit: 'personnel' });
  addTrigger(doc, layer, {
    condition: 'Attack on the force',
    response: 'Reinforce',
    deadlineHours: 24,
    responsibleParties: [uk],
  });
  return { doc, layer };
}

const gaps = (doc: Y.Doc): Array<Pick<Gap, 'code' | 'severity' | 'path' | 'layerId'>> =>
  validateFramework(readFramework(doc)).map(({ code, severity, path, layerId }) => ({
    code,
    severity,
    path,
    layerId,
  }));

describe('validateFramework', () => {
  it('finds nothing in a complete framework', () => {
    expect(gaps(complete().doc)).toEqual([]);
  });

  it('reports an empty framework title', () => {
    const { doc } = complete();
    setFrameworkTitle(doc, '  ');
    expect(gaps(doc)).toEqual([
      {
        code: 'framework_title_empty',
        severity: 'warning',
        path: 'framework/title',
        layerId: null,
      },
    ]);
  });

  it('reports an empty layer title', () => {
    const { doc } = complete();
    addLayer(doc, 'air', { id: 'l2' });
    expect(gaps(doc)).toEqual([
      { code: 'layer_title_empty', severity: 'warning', path: 'layer:l2/title', layerId: 'l2' },
      { code: 'layer_no_lead', severity: 'warning', path: 'layer:l2/lead', layerId: 'l2' },
    ]);
  });

  it('reports a layer with no lead', () => {
    const { doc, layer } = complete();
    setLayerField(doc, layer, 'lead', null);
    expect(gaps(doc)).toEqual([
      { code: 'layer_no_lead', severity: 'warning', path: 'layer:l1/lead', layerId: 'l1' },
    ]);
  });

  it('reports a trigger with no deadline and no responsible party, with stable paths', () => {
    const { doc, layer } = complete();
    const t = addTrigger(doc, layer, { condition: 'Strike', response: 'Deliver air defence' })!;
    expect(gaps(doc)).toEqual([
      {
        code: 'trigger_no_deadline',
        severity: 'warning',
        path: `layer:l1/triggers/${t}/deadline`,
        layerId: 'l1',
      },
      {
        code: 'trigger_no_responsible',
        severity: 'warning',
        path: `layer:l1/triggers/${t}/responsibleParties`,
        layerId: 'l1',
      },
    ]);
    expect(parseFieldPath(`layer:l1/triggers/${t}/deadline`)).toEqual({
      layerId: 'l1',
      segments: ['triggers', t, 'deadline'],
    });
  });

  it('reports a trigger with no condition or response', () => {
    const { doc, layer } = complete();
    const t = addTrigger(doc, layer, {
      deadlineHours: 12,
      responsibleParties: ['united-kingdom'],
    })!;
    expect(gaps(doc).map((g) => [g.code, g.path])).toEqual([
      ['trigger_no_condition', `layer:l1/triggers/${t}/condition`],
      ['trigger_no_response', `layer:l1/triggers/${t}/response`],
    ]);
  });

  it('reports a commitment with no quantity and one with no party', () => {
    const { doc, layer } = complete();
    const c = addCommitment(doc, layer, {
      party: 'united-kingdom',
      type: 'ships',
      unit: 'frigates',
    })!;
    const d = addCommitment(doc, layer, { type: 'funding', quantity: 10, unit: 'EUR million' })!;
    expect(gaps(doc).map((g) => [g.code, g.path])).toEqual([
      ['commitment_no_quantity', `layer:l1/commitments/${c}/quantity`],
      ['commitment_no_party', `layer:l1/commitments/${d}/party`],
    ]);
  });

  it('reports a dependency on a layer removed concurrently as an error', () => {
    const { doc, layer } = complete();
    const other = addLayer(doc, 'air', { id: 'l2', title: 'Air' });
    setLayerField(doc, other, 'lead', 'united-kingdom');
    const r = new Replicas(2, 3, Y.encodeStateAsUpdate(doc));
    addDependency(r.doc(0), layer, other);
    removeLayer(r.doc(1), other);
    r.syncShuffled();
    const view = readFramework(r.doc(1));
    expect(view.layers[0]!.dependencies).toEqual(['l2']);
    expect(validateFramework(view).map((g) => [g.code, g.severity, g.path])).toEqual([
      ['dependency_missing', 'error', 'layer:l1/dependencies/l2'],
    ]);
  });

  it('reports references to a party removed from the list', () => {
    const { doc, layer } = complete();
    setPosition(doc, layer, 'united-kingdom', { stance: 'support' });
    removeParty(doc, 'united-kingdom');
    expect(gaps(doc).map((g) => [g.code, g.path])).toEqual([
      ['unknown_party', 'layer:l1/lead'],
      ['unknown_party', expect.stringMatching(/^layer:l1\/commitments\/\w+\/party$/)],
      ['unknown_party', expect.stringMatching(/^layer:l1\/triggers\/\w+\/responsibleParties$/)],
      ['unknown_party', 'layer:l1/positions/united-kingdom'],
    ]);
  });

  it('lists a layer with open questions as info, counting them', () => {
    const { doc, layer } = complete();
    addOpenQuestion(doc, layer, 'Who pays for rotation?');
    addOpenQuestion(doc, layer, 'Which bases?');
    const found = validateFramework(readFramework(doc));
    expect(found).toEqual([
      {
        code: 'open_questions',
        severity: 'info',
        layerId: 'l1',
        path: 'layer:l1/openQuestions',
        message: '“Presence” has 2 open questions.',
      },
    ]);
  });
});
