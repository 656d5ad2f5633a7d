import { describe, expect, it } from 'vitest';
import { DELEGATION_SLOTS, delegationColour, delegationSlot } from './colours';

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

describe('delegationSlot', () => {
  it('wraps around the palette and gives the chair -1', () => {
    const ids = Array.from({ length: DELEGATION_SLOTS + 1 }, (_, i) => `p${i}`);
    expect(delegationSlot(ids, 'p0')).toBe(0);
    expect(delegationSlot(ids, `p${DELEGATION_SLOTS}`)).toBe(0);
    expect(delegationSlot(ids, null)).toBe(-1);
  });
});
