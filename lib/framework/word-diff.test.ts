import { describe, expect, it } from 'vitest';
import { diffSequences, diffWords, tokenize, type WordDiffOp } from './word-diff';

/** Renders ops as text with [-deleted-] and {+inserted+}, to read expectations at a glance. */
const show = (ops: WordDiffOp[]) =>
  ops
    .map((o) =>
      o.type === 'equal' ? o.text : o.type === 'delete' ? `[-${o.text}-]` : `{+${o.text}+}`,
    )
    .join('');

/** Both texts rebuilt from the ops, and each op's offsets checked against them. */
function check(a: string, b: string) {
  const ops = diffWords(a, b);
  expect(
    ops
      .filter((o) => o.type !== 'insert')
      .map((o) => o.text)
      .join(''),
  ).toBe(a);
  expect(
    ops
      .filter((o) => o.type !== 'delete')
      .map((o) => o.text)
      .join(''),
  ).toBe(b);
  for (const o of ops) {
    if (o.type !== 'insert') expect(a.slice(o.aStart, o.aStart + o.text.length)).toBe(o.text);
    if (o.type !== 'delete') expect(b.slice(o.bStart, o.bStart + o.text.length)).toBe(o.text);
  }
  return ops;
}

describe('tokenize', () => {
  it('splits words, spaces and punctuation and concatenates back to the text', () => {
    expect(tokenize('Türkiye’s 10-year pact, 72h.')).toEqual([
      'Türkiye’s',
      ' ',
      '10-year',
      ' ',
      'pact',
      ',',
      ' ',
      '72h',
      '.',
    ]);
    const text = 'A  line\nwith tabs\tand émojis 🚀!';
    expect(tokenize(text).join('')).toBe(text);
  });
});

describe('diffWords', () => {
  it('returns one equal run for equal texts and nothing for two empty ones', () => {
    expect(diffWords('same text', 'same text')).toEqual([
      { type: 'equal', text: 'same text', aStart: 0, bStart: 0 },
    ]);
    expect(diffWords('', '')).toEqual([]);
  });

  it('marks whole words inserted and deleted', () => {
    expect(show(check('Patrols start at dawn.', 'Patrols begin at dawn, daily.'))).toBe(
      'Patrols [-start-]{+begin+} at dawn{+, daily+}.',
    );
    expect(show(check('the decision holds', 'the decisions hold'))).toBe(
      'the [-decision holds-]{+decisions hold+}',
    );
  });

  it('folds a lone space between two changes into one replacement', () => {
    expect(show(check('the old red line holds', 'a new blue line holds'))).toBe(
      '[-the old red-]{+a new blue+} line holds',
    );
  });

  it('handles all-new and all-removed text', () => {
    expect(show(check('', 'Deadline 72 hours'))).toBe('{+Deadline 72 hours+}');
    expect(show(check('Deadline 72 hours', ''))).toBe('[-Deadline 72 hours-]');
  });

  it('finds a minimal diff in longer texts and stays consistent on random edits', () => {
    const words = 'the force deploys within 72 hours of a violation by any party to the line'.split(
      ' ',
    );
    let seed = 7;
    const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let round = 0; round < 50; round++) {
      const a = Array.from({ length: 30 }, () => words[Math.floor(rand() * words.length)]!);
      const b = a.filter(() => rand() > 0.2).map((w) => (rand() > 0.9 ? w.toUpperCase() : w));
      check(a.join(' '), b.join(' '));
    }
    // One word changed in a long paragraph: exactly one deletion and one insertion.
    const long = Array.from({ length: 400 }, (_, i) => `w${i}`).join(' ');
    const ops = check(long, long.replace('w200', 'changed'));
    expect(ops.filter((o) => o.type !== 'equal').map((o) => o.text)).toEqual(['w200', 'changed']);
  });

  it('gives up on a pathological pair by replacing it whole, still consistent', () => {
    const a = Array.from({ length: 1500 }, (_, i) => `a${i}`).join(' ');
    const b = Array.from({ length: 1500 }, (_, i) => `b${i}`).join(' ');
    const ops = check(a, b);
    expect(ops.map((o) => o.type)).toEqual(['delete', 'insert']);
  });
});

describe('diffSequences', () => {
  it('keeps the common elements and lists the others', () => {
    expect(diffSequences(['a', 'b', 'c', 'd'], ['a', 'c', 'x', 'd'])).toEqual([
      { type: 'equal', token: 'a' },
      { type: 'delete', token: 'b' },
      { type: 'equal', token: 'c' },
      { type: 'insert', token: 'x' },
      { type: 'equal', token: 'd' },
    ]);
  });
});
