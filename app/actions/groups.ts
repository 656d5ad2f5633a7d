'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { getCurrentUser } from '@/app/(auth)/current-user';
import { getDb } from '@/db/client';
import { AppError } from '@/lib/errors';
import {
  createFrameworkAs,
  deleteFrameworkAs,
  renameFrameworkAs,
  setFrameworkArchivedAs,
} from '@/lib/services/frameworks';
import { createInviteLink, revokeInviteLink, acceptInvite } from '@/lib/services/invites';
import { changeMemberDelegation, changeMemberRole, removeMember } from '@/lib/services/members';
import { createWorkspaceAs, renameWorkspaceAs } from '@/lib/services/workspaces';
import { field, runAction, type ActionState } from './result';

async function actor(): Promise<string> {
  const user = await getCurrentUser();
  if (!user) throw new AppError('unauthorized', 'Your session has ended. Sign in again.');
  return user.id;
}

const groupPath = (workspaceId: string) => `/groups/${workspaceId}`;

export async function createWorkspaceAction(
  _prev: ActionState,
  formData: FormData,
): Promise<ActionState> {
  let createdId = '';
  const result = await runAction('workspace.create', async () => {
    const workspace = await createWorkspaceAs(
      await getDb(),
      await actor(),
      field(formData, 'name'),
    );
    createdId = workspace.id;
    return { ok: true, message: 'Group created.' };
  });
  if (createdId) redirect(groupPath(createdId));
  return result;
}

export async function renameWorkspaceAction(
  _prev: ActionState,
  formData: FormData,
): Promise<ActionState> {
  return runAction('workspace.rename', async () => {
    const workspaceId = field(formData, 'workspaceId');
    await renameWorkspaceAs(await getDb(), await actor(), workspaceId, field(formData, 'name'));
    revalidatePath(groupPath(workspaceId), 'layout');
    return { ok: true, message: 'Group renamed.' };
  });
}

export async function createFrameworkAction(
  _prev: ActionState,
  formData: FormData,
): Promise<ActionState> {
  let createdPath = '';
  const result = await runAction('framework.create', async () => {
    const workspaceId = field(formData, 'workspaceId');
    const framework = await createFrameworkAs(await getDb(), await actor(), workspaceId, {
      title: field(formData, 'title'),
      template: field(formData, 'template'),
    });
    createdPath = `${groupPath(workspaceId)}/frameworks/${framework.id}`;
    return { ok: true, message: 'Framework created.' };
  });
  if (createdPath) redirect(createdPath);
  return result;
}

export async function renameFrameworkAction(
  _prev: ActionState,
  formData: FormData,
): Promise<ActionState> {
  return runAction('framework.rename', async () => {
    const workspaceId = field(formData, 'workspaceId');
    await renameFrameworkAs(await getDb(), await actor(), {
      workspaceId,
      frameworkId: field(formData, 'frameworkId'),
      title: field(formData, 'title'),
    });
    revalidatePath(groupPath(workspaceId), 'layout');
    return { ok: true, message: 'Framework renamed.' };
  });
}

export async function archiveFrameworkAction(
  _prev: ActionState,
  formData: FormData,
): Promise<ActionState> {
  return runAction('framework.archive', async () => {
    const workspaceId = field(formData, 'workspaceId');
    const archived = field(formData, 'archived') === 'true';
    await setFrameworkArchivedAs(await getDb(), await actor(), {
      workspaceId,
      frameworkId: field(formData, 'frameworkId'),
      archived,
    });
    revalidatePath(groupPath(workspaceId), 'layout');
    return { ok: true, message: archived ? 'Framework archived.' : 'Framework restored.' };
  });
}

export async function deleteFrameworkAction(
  _prev: ActionState,
  formData: FormData,
): Promise<ActionState> {
  return runAction('framework.delete', async () => {
    const workspaceId = field(formData, 'workspaceId');
    await deleteFrameworkAs(await getDb(), await actor(), {
      workspaceId,
      frameworkId: field(formData, 'frameworkId'),
    });
    revalidatePath(groupPath(workspaceId), 'layout');
    return { ok: true, message: 'Framework deleted.' };
  });
}

export async function changeRoleAction(
  _prev: ActionState,
  formData: FormData,
): Promise<ActionState> {
  return runAction('members.changeRole', async () => {
    const workspaceId = field(formData, 'workspaceId');
    const role = await changeMemberRole(await getDb(), await actor(), {
      workspaceId,
      userId: field(formData, 'userId'),
      role: field(formData, 'role'),
    });
    revalidatePath(groupPath(workspaceId), 'layout');
    return { ok: true, message: `Role changed to ${role}.` };
  });
}

export async function changeDelegationAction(
  _prev: ActionState,
  formData: FormData,
): Promise<ActionState> {
  return runAction('members.delegation', async () => {
    const workspaceId = field(formData, 'workspaceId');
    const delegation = await changeMemberDelegation(await getDb(), await actor(), {
      workspaceId,
      userId: field(formData, 'userId'),
      delegation: field(formData, 'delegation'),
    });
    revalidatePath(groupPath(workspaceId), 'layout');
    return {
      ok: true,
      message: delegation ? `Delegation set to ${delegation}.` : 'Delegation cleared.',
    };
  });
}

export async function removeMemberAction(
  _prev: ActionState,
  formData: FormData,
): Promise<ActionState> {
  let left = false;
  const result = await runAction('members.remove', async () => {
    const workspaceId = field(formData, 'workspaceId');
    const userId = field(formData, 'userId');
    const me = await actor();
    await removeMember(await getDb(), me, { workspaceId, userId });
    left = me === userId;
    revalidatePath(groupPath(workspaceId), 'layout');
    return { ok: true, message: 'Member removed.' };
  });
  if (left) redirect('/');
  return result;
}

export async function createInviteAction(
  _prev: ActionState,
  formData: FormData,
): Promise<ActionState> {
  return runAction('invites.create', async () => {
    const workspaceId = field(formData, 'workspaceId');
    const { token } = await createInviteLink(await getDb(), await actor(), workspaceId, {
      role: field(formData, 'role'),
      expiresInDays: field(formData, 'expiresInDays'),
      maxUses: field(formData, 'maxUses'),
    });
    revalidatePath(`${groupPath(workspaceId)}/members`);
    return {
      ok: true,
      message: 'Invite link created. Copy it now: it is shown only once.',
      data: { path: `/invite/${token}` },
    };
  });
}

export async function revokeInviteAction(
  _prev: ActionState,
  formData: FormData,
): Promise<ActionState> {
  return runAction('invites.revoke', async () => {
    const workspaceId = field(formData, 'workspaceId');
    await revokeInviteLink(await getDb(), await actor(), workspaceId, field(formData, 'inviteId'));
    revalidatePath(`${groupPath(workspaceId)}/members`);
    return { ok: true, message: 'Invite link withdrawn.' };
  });
}

export async function acceptInviteAction(
  _prev: ActionState,
  formData: FormData,
): Promise<ActionState> {
  let joinedId = '';
  const result = await runAction('invites.accept', async () => {
    const { workspaceId } = await acceptInvite(
      await getDb(),
      await actor(),
      field(formData, 'token'),
    );
    joinedId = workspaceId;
    return { ok: true, message: 'Joined.' };
  });
  if (joinedId) redirect(groupPath(joinedId));
  return result;
}
