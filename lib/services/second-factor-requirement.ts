import type { Database } from '../../db/client';
import { recordAudit } from '../../db/queries/audit';
import {
  countMembersWithoutSecondFactor,
  findGroupsRequiringSecondFactor,
  findSecondFactorStanding,
  setGroupSecondFactorRequirement,
} from '../../db/queries/second-factor';
import { AppError } from '../errors';
import { meetsSecondFactorRequirement } from '../second-factor';
import { requireMember } from './access';

export const OWNER_NEEDS_SECOND_FACTOR =
  'Turn on a second factor in your profile first: a group that requires one would refuse you too.';

/**
 * An owner requires (or stops requiring) a second factor in a group. The owner must meet the
 * requirement themselves, so turning it on never locks out the person who did it.
 */
export async function setSecondFactorRequirement(
  db: Database,
  actorId: string,
  input: { workspaceId: string; required: boolean },
): Promise<{ membersWithout: number }> {
  await requireMember(db, actorId, input.workspaceId, 'members.manage');
  if (input.required) {
    const standing = await findSecondFactorStanding(db, actorId);
    if (!standing || !meetsSecondFactorRequirement(true, standing)) {
      throw new AppError('forbidden', OWNER_NEEDS_SECOND_FACTOR, 'secondFactor.require');
    }
  }
  await db.transaction(async (tx) => {
    await setGroupSecondFactorRequirement(tx, input.workspaceId, input.required);
    await recordAudit(tx, {
      workspaceId: input.workspaceId,
      actorId,
      action: input.required ? 'group.second_factor_required' : 'group.second_factor_optional',
      targetType: 'workspace',
      targetId: input.workspaceId,
    });
  });
  // Open editors of members without one close within the sync server's access re-check.
  return { membersWithout: await countMembersWithoutSecondFactor(db, input.workspaceId) };
}

/** How many members the requirement refuses now (shown beside the setting). */
export async function membersWithoutSecondFactor(
  db: Database,
  actorId: string,
  workspaceId: string,
): Promise<number> {
  await requireMember(db, actorId, workspaceId, 'members.manage');
  return countMembersWithoutSecondFactor(db, workspaceId);
}

/**
 * Leaves out what belongs to groups that refuse the user for want of a second factor: the inbox
 * gathers items across groups without passing through requireMember, and must not show them.
 */
export async function withoutRefusingGroups<T extends { workspaceId: string }>(
  db: Database,
  userId: string,
  items: T[],
): Promise<T[]> {
  if (items.length === 0) return items;
  const requiring = await findGroupsRequiringSecondFactor(db, userId);
  if (requiring.length === 0) return items;
  const standing = await findSecondFactorStanding(db, userId);
  if (standing && meetsSecondFactorRequirement(true, standing)) return items;
  const refused = new Set(requiring);
  return items.filter((item) => !refused.has(item.workspaceId));
}
