import { notFound, redirect } from 'next/navigation';
import { requireUser, type CurrentUser } from '@/app/(auth)/current-user';
import { getDb, type Database } from '@/db/client';
import { findWorkspace } from '@/db/queries/workspaces';
import type { Membership, Workspace } from '@/db/schema';
import { isAppError } from '@/lib/errors';
import type { Action } from '@/lib/permissions';
import { isSecondFactorRequired } from '@/lib/second-factor';
import { requireMember } from '@/lib/services/access';

export type GroupContext = {
  db: Database;
  user: CurrentUser;
  membership: Membership;
  workspace: Workspace;
};

/**
 * What every group page starts with: a session (else sign-in and back), and membership (else a
 * plain 404, the same for a group that does not exist). Each page calls it itself.
 */
export async function loadGroup(
  groupId: string,
  returnTo: string,
  action: Action = 'workspace.read',
): Promise<GroupContext> {
  const user = await requireUser(returnTo);
  const db = await getDb();
  let membership: Membership;
  try {
    membership = await requireMember(db, user.id, groupId, action);
  } catch (error) {
    if (isSecondFactorRequired(error)) redirect('/second-factor-required');
    if (isAppError(error)) notFound();
    throw error;
  }
  const workspace = await findWorkspace(db, groupId);
  if (!workspace) notFound();
  return { db, user, membership, workspace };
}
