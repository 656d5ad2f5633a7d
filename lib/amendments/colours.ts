/**
 * The colour each delegation's amendments wear (markers in the text, tracked changes while
 * proposing): by the party's place in the framework's party list, so every reader sees France
 * in the same colour. Dark enough for text on white (WCAG AA, 4.5:1) and told apart by the
 * amendment number beside it, never by colour alone.
 */
const PALETTE = [
  '#1d4ed8',
  '#b45309',
  '#047857',
  '#9d174d',
  '#6d28d9',
  '#0e7490',
  '#a16207',
  '#be123c',
];
/** The chair (no delegation). */
const CHAIR = '#4b5563';

/** The palette slot of a delegation (-1: the chair, or a party no longer listed). */
export function delegationSlot(partyIds: readonly string[], party: string | null): number {
  const index = party ? partyIds.indexOf(party) : -1;
  return index < 0 ? -1 : index % PALETTE.length;
}

export function delegationColour(partyIds: readonly string[], party: string | null): string {
  const slot = delegationSlot(partyIds, party);
  return slot < 0 ? CHAIR : PALETTE[slot]!;
}

/** How many slots the palette has (read.css paints one highlight per slot). */
export const DELEGATION_SLOTS = PALETTE.length;
