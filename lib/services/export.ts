import * as Y from 'yjs';
import type { Database } from '../../db/client';
import { recordAudit } from '../../db/queries/audit';
import { listThreads } from '../../db/queries/comments';
import {
  buildExportModel,
  isExportFormat,
  renderExport,
  type ExportFormat,
  type ExportThread,
  type RenderedExport,
} from '../export';
import { notFound } from '../errors';
import { readFramework, type FrameworkView } from '../framework';
import { requireFramework, badRequest } from './access';
import { readStoredDocument } from './documents';

export interface ExportRequest {
  format: ExportFormat;
  agreedOnly: boolean;
  comments: boolean;
  /** A saved version's id; null exports the current stored state. */
  versionId: string | null;
}

/** Reads export options from a query string; a bad format is a 400. */
export function parseExportQuery(params: URLSearchParams): ExportRequest {
  const format = params.get('format') ?? 'pdf';
  if (!isExportFormat(format))
    throw badRequest('Choose docx, pdf, md or html.', 'framework.export');
  const flag = (name: string) => ['1', 'true', 'yes'].includes(params.get(name) ?? '');
  const version = params.get('version');
  return {
    format,
    agreedOnly: flag('agreedOnly'),
    comments: flag('comments'),
    versionId: version ? version.slice(0, 100) : null,
  };
}

/** A stored Yjs state as a plain view, through a Y.Doc of this module's own yjs copy. */
export function viewOfState(state: Uint8Array): FrameworkView {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, state);
    return readFramework(doc);
  } finally {
    doc.destroy();
  }
}

/** Comment threads for the appendix: deleted and hidden comments keep their place, not text. */
async function appendixThreads(db: Database, frameworkId: string): Promise<ExportThread[]> {
  const threads = await listThreads(db, frameworkId);
  return threads.map((t) => ({
    layerId: t.layerId,
    quote: t.quote,
    resolved: t.resolvedAt !== null,
    comments: t.comments.map((c) => ({
      author: c.authorName ?? 'Former member',
      body: c.deletedAt ? '(deleted)' : c.hiddenAt ? '(hidden by an owner)' : c.body,
      at: c.createdAt,
    })),
  }));
}

/**
 * Renders a framework (or one of its saved versions) from the stored state for a member who may
 * export it, and records the export in the audit log. Non-members get "not found".
 */
export async function exportFrameworkAs(
  db: Database,
  userId: string,
  target: { workspaceId: string; frameworkId: string },
  request: ExportRequest,
  loadVersion: (
    frameworkId: string,
    versionId: string,
  ) => Promise<{ name: string; state: Uint8Array } | null> = async () => null,
): Promise<RenderedExport> {
  const { framework } = await requireFramework(
    db,
    userId,
    target.workspaceId,
    target.frameworkId,
    'framework.export',
  );
  let state: Uint8Array;
  let versionName: string | null = null;
  if (request.versionId) {
    const version = await loadVersion(framework.id, request.versionId);
    if (!version) throw notFound('Version', 'framework.export');
    state = version.state;
    versionName = version.name;
  } else {
    state = await readStoredDocument(db, framework.id);
  }
  const model = buildExportModel(viewOfState(state), {
    agreedOnly: request.agreedOnly,
    versionName,
    date: new Date(),
    comments: request.comments ? await appendixThreads(db, framework.id) : null,
  });
  const rendered = await renderExport(model, request.format);
  await recordAudit(db, {
    workspaceId: framework.workspaceId,
    actorId: userId,
    action: 'framework.exported',
    targetType: 'framework',
    targetId: framework.id,
    details: {
      format: request.format,
      agreedOnly: request.agreedOnly,
      comments: request.comments,
      version: versionName,
      draft: model.draft,
    },
  });
  return rendered;
}
