import type { Awareness } from 'y-protocols/awareness';

/**
 * Colours for people in a document: well separated hues, each dark enough for white initials
 * and caret labels (contrast 5:1 or more against white).
 */
export const PRESENCE_COLORS = [
  '#1f5fbf', // blue
  '#b3261e', // red
  '#1b7a3a', // green
  '#7b3fb5', // violet
  '#9a5b00', // amber
  '#c2185b', // pink
  '#00727a', // teal
  '#5f6b00', // olive
  '#c43e00', // orange
  '#6d4c41', // brown
  '#0b6e99', // sky
  '#a0216e', // plum
] as const;

/** The awareness field holding when a connection joined the document (its own clock, ms). */
export const JOINED_AT_FIELD = 'joinedAt';

function preferredIndex(userId: string): number {
  let hash = 0;
  for (let i = 0; i < userId.length; i++) hash = (hash * 31 + userId.charCodeAt(i)) >>> 0;
  return hash % PRESENCE_COLORS.length;
}

/**
 * A colour per person present, the same on every screen (it depends only on the shared
 * awareness states): in order of arrival in the document, each person takes their usual colour
 * (from their id) or, when someone who came earlier has it, the next free one. So two people
 * share a colour only when more than PRESENCE_COLORS.length are present, and nobody's colour
 * changes when someone else joins.
 */
export function presenceColors(awareness: Awareness): Map<string, string> {
  const arrivals = new Map<string, number>();
  awareness.getStates().forEach((state) => {
    const user = state.user as { id?: unknown } | undefined;
    if (!user || typeof user.id !== 'string') return;
    const joined = state[JOINED_AT_FIELD];
    const at = typeof joined === 'number' && Number.isFinite(joined) ? joined : Infinity;
    arrivals.set(user.id, Math.min(at, arrivals.get(user.id) ?? Infinity));
  });
  const order = [...arrivals].sort(
    ([a, atA], [b, atB]) => atA - atB || (a < b ? -1 : a > b ? 1 : 0),
  );
  const taken = new Set<number>();
  const colors = new Map<string, string>();
  for (const [userId] of order) {
    const start = preferredIndex(userId);
    let index = start;
    for (let step = 0; step < PRESENCE_COLORS.length; step++) {
      const candidate = (start + step) % PRESENCE_COLORS.length;
      if (!taken.has(candidate)) {
        index = candidate;
        break;
      }
    }
    taken.add(index);
    colors.set(userId, PRESENCE_COLORS[index]!);
  }
  return colors;
}

/** My colour before anyone else is known (the one I usually get). */
export const usualColor = (userId: string): string => PRESENCE_COLORS[preferredIndex(userId)]!;
