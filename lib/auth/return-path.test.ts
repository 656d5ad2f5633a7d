import { describe, expect, it } from 'vitest';
import { safeReturnPath } from './return-path';

describe('safeReturnPath', () => {
  it('keeps same-site paths', () => {
    expect(safeReturnPath('/groups/abc/members?tab=2#x')).toBe('/groups/abc/members?tab=2#x');
    expect(safeReturnPath('/')).toBe('/');
  });

  it.each([
    ['tab', '/\t/evil.example/phish'],
    ['CR', '/\r/evil.example'],
    ['LF', '/\n/evil.example'],
    ['NUL', '/\u0000/evil.example'],
    ['DEL', '/\u007f/evil.example'],
    ['escape char', '/\u001b/evil.example'],
    ['double slash', '//evil.example'],
    ['slash backslash', '/\\evil.example'],
    ['backslash later', '/\\/evil.example'],
    ['tab then backslash', '/\t\\evil.example'],
    ['absolute URL', 'https://evil.example'],
    ['javascript', 'javascript:alert(1)'],
    ['empty', ''],
  ])('refuses %s', (_name, path) => {
    expect(safeReturnPath(path)).toBe('/');
  });
});
