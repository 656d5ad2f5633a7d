import type { Database } from '../../db/client';
import { recordAudit } from '../../db/queries/audit';
import {
  createFramework,
  deleteFramework,
  renameFramework,
  setFrameworkArchived,
} from '../../db/queries/frameworks';
import type { Framework } from '../../db/schema';
import { liveDocumentsIfRunning } from '../collab/live-documents';
import * as Y from 'yjs';
import { appendDocumentUpdates } from '../../db/queries/documents';
import { createFrameworkDoc, isTemplateId, setFrameworkTitle } from '../framework';
import { firstIssue, frameworkTitleSchema } from '../validation';
import { badRequest, requireFramework, requireMember } from './access';

export async function createFrameworkAs(
  db: Database,
  userId: string,
  workspaceId: string,
  input: { title: unknown; template?: unknown },
): Promise<Framework> {
  await requireMember(db, userId, workspaceId, 'framework.create');
  const title = frameworkTitleSchema.safeParse(input.title);
  if (!title.success) throw badRequest(firstIssue(title.error), 'framework.create');
  const template = input.template ?? 'blank';
  if (!isTemplateId(template)) throw badRequest('Choose a template.', 'framework.create');
  return db.transaction(async (tx) => {
    const framework = await createFramework(tx, {
      workspaceId,
      title: title.data,
      template,
      createdBy: userId,
    });
    // The document is created here, once, from the template: clients only ever edit it.
    const doc = createFrameworkDoc(template);
    setFrameworkTitle(doc, title.data);
    await appendDocumentUpdates(tx, [
      { frameworkId: framework.id, userId, update: Y.encodeStateAsUpdate(doc) },
    ]);
    doc.destroy();
    await recordAudit(tx, {
      workspaceId,
      actorId: userId,
      action: 'framework.created',
      targetType: 'framework',
      targetId: framework.id,
      details: { title: framework.title, template },
    });
    return framework;
  });
}

export async function renameFrameworkAs(
  db: Database,
  userId: string,
  input: { workspaceId: string; frameworkId: string; title: unknown },
): Promise<void> {
  const { framework } = await requireFramework(db, userId, input, 'framework.rename');
  const title = frameworkTitleSchema.safeParse(input.title);
  if (!title.success) throw badRequest(firstIssue(title.error), 'framework.rename');
  await db.transaction(async (tx) => {
    await renameFramework(tx, framework.id, title.data);
    await recordAudit(tx, {
      workspaceId: input.workspaceId,
      actorId: userId,
      action: 'framework.renamed',
      targetType: 'framework',
      targetId: framework.id,
      details: { from: framework.title, to: title.data },
    });
  });
}

export async function setFrameworkArchivedAs(
  db: Database,
  userId: string,
  input: { workspaceId: string; frameworkId: string; archived: boolean },
): Promise<void> {
  const { framework } = await requireFramework(db, userId, input, 'framework.archive');
  await db.transaction(async (tx) => {
    await setFrameworkArchived(tx, framework.id, input.archived);
    await recordAudit(tx, {
      workspaceId: input.workspaceId,
      actorId: userId,
      action: input.archived ? 'framework.archived' : 'framework.restored',
      targetType: 'framework',
      targetId: framework.id,
      details: { title: framework.title },
    });
  });
  liveDocumentsIfRunning()?.notices.accessChanged({
    kind: 'framework',
    workspaceId: input.workspaceId,
    frameworkId: framework.id,
  });
}

export async function deleteFrameworkAs(
  db: Database,
  userId: string,
  input: { workspaceId: string; frameworkId: string },
): Promise<void> {
  const { framework } = await requireFramework(db, userId, input, 'framework.delete');
  await db.transaction(async (tx) => {
    await deleteFramework(tx, framework.id);
    await recordAudit(tx, {
      workspaceId: input.workspaceId,
      actorId: userId,
      action: 'framework.deleted',
      targetType: 'framework',
      targetId: framework.id,
      details: { title: framework.title },
    });
  });
  liveDocumentsIfRunning()?.notices.accessChanged({
    kind: 'framework',
    workspaceId: input.workspaceId,
    frameworkId: framework.id,
  });
}
