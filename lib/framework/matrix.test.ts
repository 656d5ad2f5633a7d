import { describe, expect, it } from 'vitest';
import {
  addCommitment,
  addLayer,
  addParty,
  buildCommitmentMatrix,
  createFrameworkDoc,
  readFramework,
  totalsOf,
} from './index';

describe('buildCommitmentMatrix', () => {
  it('totals per party, per layer and overall, per commitment type and unit', () => {
    const doc = createFrameworkDoc('blank');
    const uk = addParty(doc, 'United Kingdom');
    const fr = addParty(doc, 'France');
    addParty(doc, 'Estonia');
    const presence = addLayer(doc, 'presence', { id: 'p', title: 'Presence' });
    const air = addLayer(doc, 'air', { id: 'a', title: 'Air' });
    addCommitment(doc, presence, { party: uk, type: 'troops', quantity: 8000, unit: 'personnel' });
    addCommitment(doc, presence, { party: fr, type: 'troops', quantity: 7000, unit: 'Personnel ' });
    addCommitment(doc, presence, { party: fr, type: 'troops', quantity: 2, unit: 'battalions' });
    addCommitment(doc, air, { party: uk, type: 'aircraft', quantity: 8, unit: 'fighters' });
    addCommitment(doc, air, { party: fr, type: 'aircraft', quantity: 12, unit: 'fighters' });
    addCommitment(doc, air, { party: fr, type: 'aircraft', quantity: null, unit: 'fighters' });
    addCommitment(doc, air, { type: 'funding', quantity: 50, unit: 'EUR million' });

    const m = buildCommitmentMatrix(readFramework(doc));
    expect(m.parties.map((p) => p.id)).toEqual(['estonia', 'france', 'united-kingdom', '']);
    expect(m.layers.map((l) => l.id)).toEqual(['p', 'a']);
    // France x Air: 12 fighters counted, one unquantified.
    expect(m.cells[1]![1]!.totals).toEqual([
      { type: 'aircraft', unit: 'fighters', quantity: 12, count: 1, unquantified: 1 },
    ]);
    expect(m.cells[0]![0]!.commitments).toEqual([]);
    // Units compare trimmed and case-insensitively; different units stay apart.
    expect(m.layerTotals[0]).toEqual([
      { type: 'troops', unit: 'battalions', quantity: 2, count: 1, unquantified: 0 },
      { type: 'troops', unit: 'personnel', quantity: 15000, count: 2, unquantified: 0 },
    ]);
    expect(m.partyTotals[2]).toEqual([
      { type: 'troops', unit: 'personnel', quantity: 8000, count: 1, unquantified: 0 },
      { type: 'aircraft', unit: 'fighters', quantity: 8, count: 1, unquantified: 0 },
    ]);
    expect(m.partyTotals[3]).toEqual([
      { type: 'funding', unit: 'EUR million', quantity: 50, count: 1, unquantified: 0 },
    ]);
    expect(m.total.map((t) => [t.type, t.unit, t.quantity, t.unquantified])).toEqual([
      ['troops', 'battalions', 2, 0],
      ['troops', 'personnel', 15000, 0],
      ['aircraft', 'fighters', 20, 1],
      ['funding', 'EUR million', 50, 0],
    ]);
  });

  it('totals the five-layer template: troops and fighter aircraft across layers', () => {
    const m = buildCommitmentMatrix(readFramework(createFrameworkDoc('five-layer')));
    const personnel = m.total.find((t) => t.type === 'troops' && t.unit === 'personnel');
    // 8000 + 7000 + 1500 + 300 (presence) + 1000 (integration) + 10000 + 4800 + 2200 (flank)
    expect(personnel).toEqual({
      type: 'troops',
      unit: 'personnel',
      quantity: 34800,
      count: 8,
      unquantified: 0,
    });
    const ships = m.total.filter((t) => t.type === 'ships');
    expect(ships.map((t) => [t.unit, t.quantity, t.unquantified])).toEqual([
      ['mine-countermeasure vessels', 6, 0],
      ['mine-hunting vessels', 0, 1],
    ]);
    expect(m.parties).toHaveLength(15);
    expect(m.cells.every((row) => row.length === 7)).toBe(true);
  });

  it('keeps a row for a party that was removed but still has commitments', () => {
    const view = readFramework(createFrameworkDoc('blank'));
    const withOrphan = {
      ...view,
      layers: [
        {
          ...readFramework(createFrameworkDoc('four-leg')).layers[0]!,
          commitments: [
            {
              id: 'c',
              party: 'gone',
              type: 'troops' as const,
              quantity: 5,
              unit: 'personnel',
              conditions: '',
              period: '',
            },
          ],
        },
      ],
    };
    const m = buildCommitmentMatrix(withOrphan);
    expect(m.parties).toEqual([{ id: 'gone', name: 'gone' }]);
    expect(m.partyTotals[0]![0]!.quantity).toBe(5);
  });

  it('totalsOf an empty list is empty', () => {
    expect(totalsOf([])).toEqual([]);
  });
});
