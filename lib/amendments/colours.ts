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

export function delegationColour(partyIds: readonly string[], party: string | null): string {
  if (!party) return CHAIR;
  const index = partyIds.indexOf(party);
  return index < 0 ? CHAIR : PALETTE[index % PALETTE.length]!;
}
