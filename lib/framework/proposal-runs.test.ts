import { describe, expect, it } from 'vitest';
import {
  editRuns,
  hasMark,
  isPlain,
  normaliseRuns,
  runsText,
  sameRuns,
  sliceRuns,
  toggleMark,
  type ProposalRun,
} from './proposal-runs';

const bold = { type: 'bold' } as const;
const italic = { type: 'italic' } as const;
/** "Respond **within 7 days** of a violation." */
const passage: ProposalRun[] = [
  { text: 'Respond ', marks: [] },
  { text: 'within 7 days', marks: [bold] },
  { text: ' of a violation.', marks: [] },
];

describe('proposal runs', () => {
  it('normalises: empty runs dropped, equal neighbours merged, marks once each and in order', () => {
    expect(
      normaliseRuns([
        { text: '', marks: [bold] },
        { text: 'a', marks: [italic, bold, bold] },
        { text: 'b', marks: [bold, italic] },
        { text: 'c', marks: [] },
      ]),
    ).toEqual([
      { text: 'ab', marks: [bold, italic] },
      { text: 'c', marks: [] },
    ]);
  });

  it('keeps only web and mail links', () => {
    expect(
      normaliseRuns([
        { text: 'x', marks: [{ type: 'link', href: 'javascript:alert(1)' }] },
        { text: 'y', marks: [{ type: 'link', href: ' https://example.org ' }] },
      ]),
    ).toEqual([
      { text: 'x', marks: [] },
      { text: 'y', marks: [{ type: 'link', href: 'https://example.org' }] },
    ]);
  });

  it('typing keeps the formatting of the character before, or after at the start', () => {
    const typed = editRuns(passage, 'Respond within 72 hours of a violation.');
    expect(runsText(typed)).toBe('Respond within 72 hours of a violation.');
    expect(typed).toEqual([
      { text: 'Respond ', marks: [] },
      { text: 'within 72 hours', marks: [bold] },
      { text: ' of a violation.', marks: [] },
    ]);
    expect(editRuns(passage, 'Always respond within 7 days of a violation.')[0]).toEqual({
      text: 'Always respond ',
      marks: [],
    });
    expect(editRuns([{ text: 'days', marks: [bold] }], 'Two days')).toEqual([
      { text: 'Two days', marks: [bold] },
    ]);
    expect(editRuns(passage, '')).toEqual([]);
  });

  it('toggles a mark on a range, and off when the whole range has it', () => {
    const on = toggleMark(passage, 0, 7, 'italic');
    expect(on[0]).toEqual({ text: 'Respond', marks: [italic] });
    expect(hasMark(on, 0, 7, 'italic')).toBe(true);
    expect(hasMark(on, 0, 8, 'italic')).toBe(false);
    // "Respond within 7 days" is partly bold: bold is set on all of it, then comes off all of it.
    const allBold = toggleMark(passage, 0, 21, 'bold');
    expect(hasMark(allBold, 0, 21, 'bold')).toBe(true);
    expect(hasMark(allBold, 0, 22, 'bold')).toBe(false);
    const none = toggleMark(allBold, 0, 21, 'bold');
    expect(isPlain(none)).toBe(true);
    expect(runsText(none)).toBe(runsText(passage));
    expect(toggleMark(passage, 3, 3, 'bold')).toEqual(passage);
  });

  it('slices and compares', () => {
    expect(sliceRuns(passage, 5, 12)).toEqual([
      { text: 'nd ', marks: [] },
      { text: 'with', marks: [bold] },
    ]);
    expect(sameRuns(passage, normaliseRuns([...passage, { text: '', marks: [] }]))).toBe(true);
    expect(sameRuns(passage, toggleMark(passage, 0, 1, 'bold'))).toBe(false);
  });
});
