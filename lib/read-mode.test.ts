import { describe, expect, it } from 'vitest';
import { opensInReadMode, parseReadModeChoice, readModeCookieName } from './read-mode';

describe('the Edit/Read choice', () => {
  it('is kept per user', () => {
    expect(readModeCookieName('a')).not.toBe(readModeCookieName('b'));
  });

  it('reads only the two values it writes', () => {
    expect(parseReadModeChoice('read')).toBe('read');
    expect(parseReadModeChoice('edit')).toBe('edit');
    expect(parseReadModeChoice('READ')).toBeNull();
    expect(parseReadModeChoice('<script>')).toBeNull();
    expect(parseReadModeChoice(undefined)).toBeNull();
  });

  it('opens read mode for readers by default and follows a choice made', () => {
    expect(opensInReadMode(null, false)).toBe(true);
    expect(opensInReadMode(null, true)).toBe(false);
    expect(opensInReadMode('read', true)).toBe(true);
    expect(opensInReadMode('edit', false)).toBe(false);
  });
});
