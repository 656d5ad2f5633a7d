/**
 * Layer order as fractional index keys. Each layer holds its own key, so a move writes one value
 * on the moved layer and never touches (or drops) concurrent edits inside it.
 */
import { generateKeyBetween, generateNKeysBetween } from 'fractional-indexing';

export interface Ordered {
  id: string;
  order: string;
}

/**
 * Total order on (order key, id). Keys compare by code unit, as fractional-indexing requires
 * (not localeCompare). Two concurrent moves to the same gap produce equal keys; the id tie-break
 * makes every replica show the same order anyway.
 */
export function compareOrdered(a: Ordered, b: Ordered): number {
  if (a.order !== b.order) return a.order < b.order ? -1 : 1;
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return 0;
}

function isValidKey(key: string): boolean {
  try {
    // generateKeyBetween validates its bounds; a key crafted by a broken client throws here.
    generateKeyBetween(key, null);
    return true;
  } catch {
    return false;
  }
}

/**
 * The new order keys needed to put `movingId` at `index` among `others` (already sorted,
 * without the moving item). Usually one key (for the moved item). When its neighbours share a
 * key (after concurrent moves) the run of equal keys after it is re-keyed as well; when keys are
 * invalid every item is re-keyed. Returns id -> new key for the items that change.
 */
export function planMove(
  others: readonly Ordered[],
  movingId: string,
  index: number,
): Map<string, string> {
  const at = Math.max(0, Math.min(index, others.length));
  const sequence: Ordered[] = [...others];
  sequence.splice(at, 0, { id: movingId, order: '' });

  if (!others.every((o) => isValidKey(o.order))) {
    const keys = generateNKeysBetween(null, null, sequence.length);
    return new Map(sequence.map((item, i) => [item.id, keys[i] ?? '']));
  }

  const lower = others[at - 1]?.order ?? null;
  const upper = others[at]?.order ?? null;
  if (lower === null || upper === null || lower < upper) {
    return new Map([[movingId, generateKeyBetween(lower, upper)]]);
  }
  // lower >= upper: the items from `at` on whose keys are <= lower must move up with the new one.
  let end = at;
  while (end < others.length && (others[end]?.order ?? '') <= lower) end++;
  const bound = others[end]?.order ?? null;
  const rekeyed = [movingId, ...others.slice(at, end).map((o) => o.id)];
  const keys = generateNKeysBetween(lower, bound, rekeyed.length);
  return new Map(rekeyed.map((id, i) => [id, keys[i] ?? '']));
}

/** A key after every key in `existing` (for appending). */
export function keyAfterAll(existing: readonly Ordered[]): string {
  let max: string | null = null;
  for (const item of existing)
    if (isValidKey(item.order) && (max === null || item.order > max)) max = item.order;
  return generateKeyBetween(max, null);
}
