import { ROLES, type Role } from './roles';

/**
 * Everything a member can try to do, and which roles may. The one table consulted by pages,
 * route handlers, server actions and the sync server.
 */
export const PERMISSIONS = {
  'workspace.read': ['owner', 'editor', 'commenter', 'viewer'],
  'workspace.rename': ['owner'],
  'members.read': ['owner', 'editor', 'commenter', 'viewer'],
  'members.manage': ['owner'],
  'invites.manage': ['owner'],
  'audit.read': ['owner'],
  'framework.read': ['owner', 'editor', 'commenter', 'viewer'],
  'framework.create': ['owner', 'editor'],
  'framework.rename': ['owner', 'editor'],
  'framework.archive': ['owner', 'editor'],
  'framework.delete': ['owner'],
  'document.edit': ['owner', 'editor'],
  'document.comment': ['owner', 'editor', 'commenter'],
  'layer.agree': ['owner'],
  /** A delegation's acts (state its stance, object in a silence, confirm ad referendum): its members. */
  'delegation.act': ['owner', 'editor', 'commenter'],
  /** The chair records a stance announced orally, on a delegation's behalf. */
  'delegation.chair': ['owner'],
  'comment.hide': ['owner'],
  /** Freeze a named version for initialling, naming the delegations that must initial it. */
  'version.freeze': ['owner'],
  'framework.export': ['owner', 'editor', 'commenter', 'viewer'],
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof PERMISSIONS;

export function can(role: Role | null | undefined, action: Action): boolean {
  if (!role) return false;
  return (PERMISSIONS[action] as readonly Role[]).includes(role);
}

/** The actions a role may take, for showing or hiding controls. */
export function allowedActions(role: Role): Action[] {
  return (Object.keys(PERMISSIONS) as Action[]).filter((action) => can(role, action));
}

/**
 * Whether a member of `creatorRole` may let people in as `role` through an invite link: they
 * must manage invites and may hand out no role above their own. Checked when a link is made and
 * again when it is used, so a link is never worth more than its creator's authority now.
 */
export function canInviteAs(creatorRole: Role | null | undefined, role: Role): boolean {
  if (!creatorRole || !can(creatorRole, 'invites.manage')) return false;
  return ROLES.indexOf(role) >= ROLES.indexOf(creatorRole);
}

/** The roles a member of `creatorRole` may invite as (none once they may not invite). */
export function invitableRoles(creatorRole: Role | null | undefined): Role[] {
  return ROLES.filter((role) => canInviteAs(creatorRole, role));
}
