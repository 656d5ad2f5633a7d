import { z } from 'zod';
import type { Database } from '../../db/client';
import { recordAudit } from '../../db/queries/audit';
import {
  createVersion,
  findVersion,
  listVersions,
  type VersionListItem,
} from '../../db/queries/versions';
import type { LiveDocuments } from '../collab/live-documents';
import { notFound } from '../errors';
import {
  compareFrameworks,
  type FrameworkComparison,
  type FrameworkView,
  type RestoreResult,
} from '../framework';
import { firstIssue, uuidSchema } from '../validation';
import { badRequest, requireFramework } from './access';
import { readStoredDocument } from './documents';
import { viewOfState } from './export';

type Target = { workspaceId: string; frameworkId: string };

export const versionInputSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'Name the version.')
    .max(100, 'Keep the name under 100 characters.'),
  note: z.string().trim().max(1000, 'Keep the note under 1000 characters.').default(''),
});

/**
 * Saves the framework's current state as a named version (editors and owners). The state comes
 * from the live document when the sync server runs in this process (it holds edits not yet
 * written), else from the stored state.
 */
export async function saveVersionAs(
  db: Database,
  live: LiveDocuments | null,
  userId: string,
  target: Target,
  body: unknown,
): Promise<VersionListItem> {
  const { framework } = await requireFramework(
    db,
    userId,
    target.workspaceId,
    target.frameworkId,
    'document.edit',
  );
  const input = versionInputSchema.safeParse(body);
  if (!input.success) throw badRequest(firstIssue(input.error), 'version.save');
  const state = live
    ? await live.encodedState(framework.id)
    : await readStoredDocument(db, framework.id);
  const version = await createVersion(db, {
    frameworkId: framework.id,
    name: input.data.name,
    note: input.data.note,
    state,
    createdBy: userId,
  });
  await recordAudit(db, {
    workspaceId: framework.workspaceId,
    actorId: userId,
    action: 'version.saved',
    targetType: 'framework',
    targetId: framework.id,
    details: { versionId: version.id, name: version.name },
  });
  return version;
}

export async function listVersionsAs(
  db: Database,
  userId: string,
  target: Target,
): Promise<VersionListItem[]> {
  const { framework } = await requireFramework(
    db,
    userId,
    target.workspaceId,
    target.frameworkId,
    'framework.read',
  );
  return listVersions(db, framework.id);
}

/** A saved version's name and state for a framework already authorised; null when unknown. */
export async function loadVersionState(
  db: Database,
  frameworkId: string,
  versionId: string,
): Promise<{ name: string; state: Uint8Array } | null> {
  if (!uuidSchema.safeParse(versionId).success) return null;
  const version = await findVersion(db, frameworkId, versionId);
  return version ? { name: version.name, state: version.state } : null;
}

/** A version as a plain view (the read-only view), for any member who may read. */
export async function readVersionAs(
  db: Database,
  userId: string,
  target: Target,
  versionId: string,
): Promise<{ version: Omit<VersionListItem, 'authorName'>; view: FrameworkView }> {
  const { framework } = await requireFramework(
    db,
    userId,
    target.workspaceId,
    target.frameworkId,
    'framework.read',
  );
  if (!uuidSchema.safeParse(versionId).success) throw notFound('Version', 'version.read');
  const version = await findVersion(db, framework.id, versionId);
  if (!version) throw notFound('Version', 'version.read');
  const { state, ...meta } = version;
  return { version: meta, view: viewOfState(state) };
}

/**
 * What changed from a version to another version or, with `to` = 'current', to the stored
 * current state.
 */
export async function compareVersionsAs(
  db: Database,
  userId: string,
  target: Target,
  fromId: string,
  to: string,
): Promise<FrameworkComparison> {
  const from = await readVersionAs(db, userId, target, fromId);
  const toView =
    to === 'current'
      ? viewOfState(await readStoredDocument(db, from.version.frameworkId))
      : (await readVersionAs(db, userId, target, to)).view;
  return compareFrameworks(from.view, toView);
}

/**
 * Restores a version as a new change on the live document (editors and owners): people editing
 * at that moment keep working and see the restored content arrive. Needs the sync server.
 */
export async function restoreVersionAs(
  db: Database,
  live: LiveDocuments,
  userId: string,
  target: Target,
  versionId: string,
): Promise<RestoreResult> {
  const { framework } = await requireFramework(
    db,
    userId,
    target.workspaceId,
    target.frameworkId,
    'document.edit',
  );
  const { version, view } = await readVersionAs(db, userId, target, versionId);
  const result = await live.restore(framework.id, view);
  await recordAudit(db, {
    workspaceId: framework.workspaceId,
    actorId: userId,
    action: 'version.restored',
    targetType: 'framework',
    targetId: framework.id,
    details: {
      versionId: version.id,
      name: version.name,
      skippedLocked: result.skippedLocked.length,
    },
  });
  return result;
}
