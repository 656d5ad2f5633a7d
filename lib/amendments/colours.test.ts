import { describe, expect, it } from 'vitest';
import { delegationColour } from './colours';

describe('delegationColour', () => {
  it('gives each party of the list its own colour and the chair grey', () => {
    const ids = ['fr', 'pl', 'de'];
    const colours = ids.map((id) => delegationColour(ids, id));
    expect(new Set(colours).size).toBe(3);
    expect(delegationColour(ids, null)).toBe('#4b5563');
    expect(delegationColour(ids, 'unknown')).toBe('#4b5563');
    expect(delegationColour(['x', ...ids], 'fr')).not.toBe(colours[0]);
  });
});
