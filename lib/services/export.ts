import type { Database } from '../../db/client';
import type { LiveDocuments } from '../collab/live-documents';
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
import { viewOfState } from '../framework';
import { requireFramework, badRequest } from './access';
import { readCurrentDocument } from './documents';
import { findVersion } from '../../db/queries/versions';
import type { FrameworkVersion } from '../../db/schema';
import { withVerification } from '../export/verification';
import { uuidSchema } from '../validation';
import { initiallingStatusOf, type InitiallingStatus } from './initialling';

const utc = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** The colophon lines of a version's copy: initials and who is missing, or why there are none. */
export function colophonOf(status: InitiallingStatus): string[] {
  const f = status.frozen;
  if (!f) return ['Not frozen for initialling: no delegation has initialled this text.'];
  if (!f.intact) {
    return ['This version changed after it was frozen: the initials recorded do not apply to it.'];
  }
  const initials = f.initials.map((i) => `${i.partyName} (${i.name}, ${utc(i.at)})`);
  return [
    `Frozen for initialling on ${utc(f.frozenAt)}.`,
    `Initialled by: ${initials.join('; ') || 'no delegation yet'}.`,
    f.missing.length > 0
      ? `Initials missing: ${f.missing.map((p) => p.name).join(', ')}.`
      : 'Initialled by every delegation asked.',
  ];
}

export interface ExportRequest {
  format: ExportFormat;
  agreedOnly: boolean;
  comments: boolean;
  /** A saved version's id; null exports the current state. */
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
 * Renders a framework (or one of its saved versions) for a member who may export it, and records
 * the export in the audit log. Non-members get "not found". The current state is what people
 * see: what the live document on this instance holds and has not stored yet is written first
 * (through the same door as "compare with current"), then the stored state is read.
 */
export async function exportFrameworkAs(
  db: Database,
  live: LiveDocuments | null,
  userId: string,
  target: { workspaceId: string; frameworkId: string },
  request: ExportRequest,
): Promise<RenderedExport> {
  const { framework } = await requireFramework(db, userId, target, 'framework.export');
  let state: Uint8Array;
  let versionName: string | null = null;
  let version: FrameworkVersion | undefined;
  if (request.versionId) {
    version = uuidSchema.safeParse(request.versionId).success
      ? await findVersion(db, framework.id, request.versionId)
      : undefined;
    if (!version) throw notFound('Version', 'framework.export');
    state = version.state;
    versionName = version.name;
  } else {
    state = await readCurrentDocument(db, framework.id, live);
  }
  const view = viewOfState(state);
  const built = buildExportModel(view, {
    agreedOnly: request.agreedOnly,
    versionName,
    date: new Date(),
    comments: request.comments ? await appendixThreads(db, framework.id) : null,
  });
  // A saved version's copy prints its hash and initials and carries what verifies it.
  const model = version
    ? withVerification(built, view, colophonOf(await initiallingStatusOf(db, version, view)))
    : built;
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
      hash: model.verification?.hash ?? null,
    },
  });
  return rendered;
}
