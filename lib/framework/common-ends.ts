/**
 * How much two sequences (strings, or arrays of tokens) share at their start and at their end,
 * without the two overlapping: what changed between them lies in between. The first step of
 * every diff here (words, form fields, typed edits, formatted wording).
 */
export function commonEnds<T>(a: ArrayLike<T>, b: ArrayLike<T>): { start: number; end: number } {
  const max = Math.min(a.length, b.length);
  let start = 0;
  while (start < max && a[start] === b[start]) start++;
  let end = 0;
  while (end < max - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  return { start, end };
}
