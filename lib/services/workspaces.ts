import type { Database } from '../../db/client';
import { recordAudit } from '../../db/queries/audit';
import { createWorkspace, renameWorkspace } from '../../db/queries/workspaces';
import type { Workspace } from '../../db/schema';
import { firstIssue, workspaceNameSchema } from '../validation';
import { badRequest, requireMember } from './access';

export async function createWorkspaceAs(
  db: Database,
  userId: string,
  name: unknown,
): Promise<Workspace> {
  const parsed = workspaceNameSchema.safeParse(name);
  if (!parsed.success) throw badRequest(firstIssue(parsed.error), 'workspace.create');
  return db.transaction(async (tx) => {
    const workspace = await createWorkspace(tx, { name: parsed.data, ownerId: userId });
    await recordAudit(tx, {
      workspaceId: workspace.id,
      actorId: userId,
      action: 'workspace.created',
      targetType: 'workspace',
      targetId: workspace.id,
      details: { name: workspace.name },
    });
    return workspace;
  });
}

export async function renameWorkspaceAs(
  db: Database,
  userId: string,
  workspaceId: string,
  name: unknown,
): Promise<void> {
  await requireMember(db, userId, workspaceId, 'workspace.rename');
  const parsed = workspaceNameSchema.safeParse(name);
  if (!parsed.success) throw badRequest(firstIssue(parsed.error), 'workspace.rename');
  await db.transaction(async (tx) => {
    await renameWorkspace(tx, workspaceId, parsed.data);
    await recordAudit(tx, {
      workspaceId,
      actorId: userId,
      action: 'workspace.renamed',
      targetType: 'workspace',
      targetId: workspaceId,
      details: { name: parsed.data },
    });
  });
}
