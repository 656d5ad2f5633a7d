import { describe, expect, it } from 'vitest';
import { focusOfSearchParams, frameworkPath } from './paths';

const W = '11111111-1111-4111-8111-111111111111';
const F = '22222222-2222-4222-8222-222222222222';
const T = '33333333-3333-4333-8333-333333333333';

describe('frameworkPath', () => {
  it('links to the framework, or to a thread or an amendment in it', () => {
    expect(frameworkPath(W, F)).toBe(`/groups/${W}/frameworks/${F}`);
    expect(frameworkPath(W, F, { thread: T })).toBe(`/groups/${W}/frameworks/${F}?thread=${T}`);
    expect(frameworkPath(W, F, { amendment: T })).toBe(
      `/groups/${W}/frameworks/${F}?amendment=${T}`,
    );
  });
});

describe('focusOfSearchParams', () => {
  it('takes one well-formed id per key', () => {
    expect(focusOfSearchParams({ thread: T })).toEqual({ thread: T });
    expect(focusOfSearchParams({ amendment: T, other: 'x' })).toEqual({ amendment: T });
  });

  it('ignores anything else: markup, repeated keys, other shapes', () => {
    expect(focusOfSearchParams({ thread: '"><script>alert(1)</script>' })).toEqual({});
    expect(focusOfSearchParams({ thread: [T, T] })).toEqual({});
    expect(focusOfSearchParams({ thread: `${T} ` })).toEqual({});
    expect(focusOfSearchParams({})).toEqual({});
  });
});
