/**
 * The formatting of an amendment's proposed wording for a passage: the text as runs, each with
 * the marks a narrative's words carry (bold, italic, a link). Plain data, the same in the
 * browser (the composer, the panel) and on the server (validation, accepting, the compilation).
 * The run texts joined are always the amendment's proposed text; brackets are not proposed as
 * formatting (they are the negotiation's own record, kept by the text they sit on).
 */
import { commonEnds } from './common-ends';
import { safeHref } from './links';

export type ProposalMark = { type: 'bold' } | { type: 'italic' } | { type: 'link'; href: string };
export type ProposalRun = { text: string; marks: ProposalMark[] };
/** The marks a proposal may toggle on words (links come with the passage, or from a paste). */
export type ToggledMark = 'bold' | 'italic';

/** The most runs one proposal holds: a paragraph's wording, not a formatting exercise. */
export const MAX_PROPOSAL_RUNS = 500;

const RANK = { bold: 0, italic: 1, link: 2 } as const;

function sameMarks(a: ProposalMark[], b: ProposalMark[]): boolean {
  return (
    a.length === b.length &&
    a.every((m, i) => {
      const other = b[i]!;
      return m.type === other.type && (m.type !== 'link' || m.href === (other as typeof m).href);
    })
  );
}

/** One mark of each type at most, in a stable order, links only to web or mail addresses. */
function cleanMarks(marks: readonly ProposalMark[]): ProposalMark[] {
  const byType = new Map<ProposalMark['type'], ProposalMark>();
  for (const mark of marks) {
    if (mark.type === 'link') {
      const href = typeof mark.href === 'string' ? safeHref(mark.href) : null;
      if (href) byType.set('link', { type: 'link', href });
    } else if (mark.type === 'bold' || mark.type === 'italic') {
      byType.set(mark.type, { type: mark.type });
    }
  }
  return [...byType.values()].sort((a, b) => RANK[a.type] - RANK[b.type]);
}

/** Empty runs dropped, neighbours with the same marks merged, marks cleaned. */
export function normaliseRuns(runs: readonly ProposalRun[]): ProposalRun[] {
  const out: ProposalRun[] = [];
  for (const run of runs) {
    if (run.text === '') continue;
    const marks = cleanMarks(run.marks);
    const last = out[out.length - 1];
    if (last && sameMarks(last.marks, marks)) last.text += run.text;
    else out.push({ text: run.text, marks });
  }
  return out;
}

export const runsText = (runs: readonly ProposalRun[]): string => runs.map((r) => r.text).join('');

/** True when no run carries a mark: the proposal is plain text. */
export const isPlain = (runs: readonly ProposalRun[]): boolean =>
  runs.every((r) => r.marks.length === 0);

export const plainRuns = (text: string): ProposalRun[] => (text ? [{ text, marks: [] }] : []);

/** Equal wording and equal formatting, run by run once normalised. */
export function sameRuns(a: readonly ProposalRun[], b: readonly ProposalRun[]): boolean {
  const x = normaliseRuns(a);
  const y = normaliseRuns(b);
  return (
    x.length === y.length &&
    x.every((r, i) => r.text === y[i]!.text && sameMarks(r.marks, y[i]!.marks))
  );
}

/** The runs covering characters `from`..`to` of the text. */
export function sliceRuns(runs: readonly ProposalRun[], from: number, to: number): ProposalRun[] {
  const out: ProposalRun[] = [];
  let at = 0;
  for (const run of runs) {
    const start = Math.max(from, at);
    const end = Math.min(to, at + run.text.length);
    if (start < end) out.push({ text: run.text.slice(start - at, end - at), marks: run.marks });
    at += run.text.length;
  }
  return out;
}

/** The marks of the character at `index` (none past the end). */
function marksAt(runs: readonly ProposalRun[], index: number): ProposalMark[] {
  let at = 0;
  for (const run of runs) {
    if (index < at + run.text.length) return run.marks;
    at += run.text.length;
  }
  return [];
}

/**
 * The runs after the text became `text`: what changed is found as the common start and end of
 * the old and new text, and the words put in between take the formatting of the character
 * before them (or after them, at the very start), as typing in an editor does.
 */
export function editRuns(runs: readonly ProposalRun[], text: string): ProposalRun[] {
  const old = runsText(runs);
  if (old === text) return normaliseRuns(runs);
  const { start, end } = commonEnds(old, text);
  const inserted = text.slice(start, text.length - end);
  const marks = start > 0 ? marksAt(runs, start - 1) : marksAt(runs, old.length - end);
  return normaliseRuns([
    ...sliceRuns(runs, 0, start),
    { text: inserted, marks },
    ...sliceRuns(runs, old.length - end, old.length),
  ]);
}

/** True when every character of `from`..`to` carries the mark (false for an empty range). */
export function hasMark(
  runs: readonly ProposalRun[],
  from: number,
  to: number,
  type: ToggledMark,
): boolean {
  const covered = sliceRuns(runs, from, to);
  return covered.length > 0 && covered.every((r) => r.marks.some((m) => m.type === type));
}

/** Sets the mark on `from`..`to`, or takes it off when all of it has it already. */
export function toggleMark(
  runs: readonly ProposalRun[],
  from: number,
  to: number,
  type: ToggledMark,
): ProposalRun[] {
  if (from >= to) return normaliseRuns(runs);
  const on = !hasMark(runs, from, to, type);
  const length = runsText(runs).length;
  const middle = sliceRuns(runs, from, to).map((r) => ({
    text: r.text,
    marks: on ? [...r.marks, { type }] : r.marks.filter((m) => m.type !== type),
  }));
  return normaliseRuns([...sliceRuns(runs, 0, from), ...middle, ...sliceRuns(runs, to, length)]);
}
