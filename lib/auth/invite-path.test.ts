import { describe, expect, it } from 'vitest';
import { inviteTokenOfReturnPath } from './invite-path';

describe('inviteTokenOfReturnPath', () => {
  it('reads the token of an invite page', () => {
    expect(inviteTokenOfReturnPath('/invite/abc_DEF-123')).toBe('abc_DEF-123');
  });

  it('ignores any other path', () => {
    expect(inviteTokenOfReturnPath('/')).toBeNull();
    expect(inviteTokenOfReturnPath(null)).toBeNull();
    expect(inviteTokenOfReturnPath('/invite/')).toBeNull();
    expect(inviteTokenOfReturnPath('/invite/abc/more')).toBeNull();
    expect(inviteTokenOfReturnPath('/groups/invite/abc')).toBeNull();
  });
});
