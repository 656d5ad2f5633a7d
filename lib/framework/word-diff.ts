/**
 * Word-level diff of two texts: Myers' O(ND) algorithm over word tokens (runs of letters and
 * digits, runs of white space, single punctuation marks), so a changed word shows as that word
 * deleted and its replacement inserted, never as scattered letters. Pure and dependency-free: the
 * texts compared are a paragraph or a short field, so tokens number in the hundreds.
 */

import { commonEnds } from './common-ends';

export type WordDiffType = 'equal' | 'insert' | 'delete';

/**
 * One run of the diff. `aStart` / `bStart` are the offsets (UTF-16, like JavaScript strings and
 * Yjs clocks) where the run starts in the old (`a`) and new (`b`) text; a deletion's text is
 * `a.slice(aStart, aStart + text.length)`, an insertion's `b.slice(bStart, ...)`.
 */
export interface WordDiffOp {
  type: WordDiffType;
  text: string;
  aStart: number;
  bStart: number;
}

const TOKEN = /[\p{L}\p{N}\p{M}_]+(?:['’.-][\p{L}\p{N}\p{M}_]+)*|\s+|[^\s]/gu;

/** Splits text into word, white-space and punctuation tokens that concatenate back to it. */
export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

/** Past this many edits a pair of texts is shown as replaced whole (bounds time and memory). */
const MAX_EDITS = 1000;

export type Edit = { type: WordDiffType; token: string };

/**
 * Shortest edit script turning `a` into `b` (element-wise equality); past MAX_EDITS, everything
 * deleted then everything inserted. Used for tokens here and for block ids by attribution.
 */
export function diffSequences(a: string[], b: string[]): Edit[] {
  const { start: pre, end: suf } = commonEnds(a, b);
  const midA = a.slice(pre, a.length - suf);
  const midB = b.slice(pre, b.length - suf);
  const middle = myers(midA, midB) ?? [
    ...midA.map((token): Edit => ({ type: 'delete', token })),
    ...midB.map((token): Edit => ({ type: 'insert', token })),
  ];
  return [
    ...a.slice(0, pre).map((token): Edit => ({ type: 'equal', token })),
    ...middle,
    ...a.slice(a.length - suf).map((token): Edit => ({ type: 'equal', token })),
  ];
}

/** Shortest edit script between two token lists (Myers 1986, with the trace kept per step). */
function myers(a: string[], b: string[]): Edit[] | null {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, MAX_EDITS);
  const offset = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!)
          ? v[offset + k + 1]!
          : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      next[offset + k] = x;
      if (x >= n && y >= m) return backtrack(a, b, [...trace.slice(1), next], d, offset);
    }
    v = next;
  }
  return null;
}

function backtrack(a: string[], b: string[], trace: Int32Array[], d: number, offset: number) {
  const edits: Edit[] = [];
  let x = a.length;
  let y = b.length;
  for (let step = d; step > 0; step--) {
    const v = trace[step - 1]!;
    const k = x - y;
    const prevK =
      k === -step || (k !== step && v[offset + k - 1]! < v[offset + k + 1]!) ? k + 1 : k - 1;
    const prevX = v[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      edits.push({ type: 'equal', token: a[x]! });
    }
    if (x === prevX) edits.push({ type: 'insert', token: b[--y]! });
    else edits.push({ type: 'delete', token: a[--x]! });
  }
  while (x > 0 && y > 0) {
    x--;
    y--;
    edits.push({ type: 'equal', token: a[x]! });
  }
  return edits.reverse();
}

const isFiller = (text: string) => /^[\s\p{P}]*$/u.test(text) && text.length <= 2;

/**
 * Word-level diff of `a` (old) and `b` (new). Within a changed stretch deletions come before
 * insertions; a lone space or punctuation mark left equal between two changes is folded into
 * them, so "the old red line" -> "a new blue line" reads as one replacement, not five.
 */
export function diffWords(a: string, b: string): WordDiffOp[] {
  if (a === b) return a === '' ? [] : [{ type: 'equal', text: a, aStart: 0, bStart: 0 }];
  return toOps(fold(slideRight(diffSequences(tokenize(a), tokenize(b)))));
}

/**
 * Moves each pure insertion or deletion (equal text on both sides) as far right as the same
 * tokens allow: text appended after "line." reads "line.{+ More words.+}", not
 * "line{+. More words+}.".
 */
function slideRight(edits: Edit[]): Edit[] {
  const out = edits.slice();
  let s = 0;
  while (s < out.length) {
    const type = out[s]!.type;
    if (type === 'equal' || (s > 0 && out[s - 1]!.type !== 'equal')) {
      s++;
      continue;
    }
    let e = s;
    while (e < out.length && out[e]!.type === type) e++;
    while (e < out.length && out[e]!.type === 'equal' && out[e]!.token === out[s]!.token) {
      out[s] = { type: 'equal', token: out[s]!.token };
      out[e] = { type, token: out[e]!.token };
      s++;
      e++;
    }
    s = e;
  }
  return out;
}

/** Groups edits into runs: equal runs, and changed stretches (all deletes, then all inserts). */
function fold(edits: Edit[]): Array<{ equal: string } | { del: string[]; ins: string[] }> {
  const runs: Array<{ equal: string } | { del: string[]; ins: string[] }> = [];
  for (const e of edits) {
    const last = runs[runs.length - 1];
    if (e.type === 'equal') {
      if (last && 'equal' in last) last.equal += e.token;
      else runs.push({ equal: e.token });
    } else {
      const change = last && 'del' in last ? last : { del: [], ins: [] };
      if (change !== last) runs.push(change);
      (e.type === 'delete' ? change.del : change.ins).push(e.token);
    }
  }
  // Fold filler equal runs sandwiched between two changes into one change.
  for (let i = 1; i < runs.length - 1; i++) {
    const run = runs[i]!;
    const before = runs[i - 1]!;
    const after = runs[i + 1]!;
    if ('equal' in run && isFiller(run.equal) && 'del' in before && 'del' in after) {
      runs.splice(i - 1, 3, {
        del: [...before.del, run.equal, ...after.del],
        ins: [...before.ins, run.equal, ...after.ins],
      });
      i -= 1;
    }
  }
  return runs;
}

function toOps(runs: ReturnType<typeof fold>): WordDiffOp[] {
  const ops: WordDiffOp[] = [];
  let aPos = 0;
  let bPos = 0;
  for (const run of runs) {
    if ('equal' in run) {
      ops.push({ type: 'equal', text: run.equal, aStart: aPos, bStart: bPos });
      aPos += run.equal.length;
      bPos += run.equal.length;
      continue;
    }
    const del = run.del.join('');
    const ins = run.ins.join('');
    if (del) ops.push({ type: 'delete', text: del, aStart: aPos, bStart: bPos });
    aPos += del.length;
    if (ins) ops.push({ type: 'insert', text: ins, aStart: aPos, bStart: bPos });
    bPos += ins.length;
  }
  return ops;
}
