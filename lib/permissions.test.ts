import { describe, expect, it } from 'vitest';
import {
  allowedActions,
  can,
  canInviteAs,
  invitableRoles,
  PERMISSIONS,
  type Action,
} from './permissions';
import { ROLES } from './roles';

describe('permission matrix', () => {
  it('lets every role read, and nobody without a role do anything', () => {
    for (const role of ROLES) expect(can(role, 'framework.read')).toBe(true);
    for (const action of Object.keys(PERMISSIONS) as Action[]) {
      expect(can(null, action)).toBe(false);
      expect(can(undefined, action)).toBe(false);
    }
  });

  it('keeps content writes to owners and editors', () => {
    expect(ROLES.filter((r) => can(r, 'document.edit'))).toEqual(['owner', 'editor']);
    expect(ROLES.filter((r) => can(r, 'framework.create'))).toEqual(['owner', 'editor']);
  });

  it('lets commenters comment but not viewers', () => {
    expect(can('commenter', 'document.comment')).toBe(true);
    expect(can('viewer', 'document.comment')).toBe(false);
  });

  it('reserves group administration and agreement to owners', () => {
    for (const action of [
      'members.manage',
      'invites.manage',
      'audit.read',
      'framework.delete',
      'layer.agree',
      'comment.hide',
    ] as const) {
      expect(ROLES.filter((r) => can(r, action))).toEqual(['owner']);
    }
  });

  it('gives each lower role a subset of the actions of the role above it', () => {
    for (let i = 1; i < ROLES.length; i++) {
      const above = new Set(allowedActions(ROLES[i - 1]!));
      for (const action of allowedActions(ROLES[i]!)) expect(above.has(action)).toBe(true);
      expect(allowedActions(ROLES[i]!).length).toBeLessThan(above.size);
    }
  });

  it('lets only those who manage invites invite, and at no role above their own', () => {
    expect(invitableRoles('owner')).toEqual([...ROLES]);
    for (const role of ['editor', 'commenter', 'viewer'] as const) {
      expect(invitableRoles(role)).toEqual([]);
    }
    expect(invitableRoles(null)).toEqual([]);
    expect(canInviteAs('owner', 'owner')).toBe(true);
    expect(canInviteAs('viewer', 'viewer')).toBe(false);
    expect(canInviteAs(undefined, 'viewer')).toBe(false);
  });
});
