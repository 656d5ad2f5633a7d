import { z } from 'zod';
import type { Database } from '../../db/client';
import {
  claimSilence,
  recordReviewEvent,
  setSilenceState,
  startSilence,
  type ReviewEventInput,
} from '../../db/queries/review';
import type { LayerSilence } from '../../db/schema';
import type { LiveDocuments } from '../collab/live-documents';
import { AppError } from '../errors';
import { LAYER_STATUSES, type LayerStatus, type ReviewCommandResult } from '../framework';
import { can } from '../permissions';
import { firstIssue } from '../validation';
import { badRequest, requireFramework } from './access';

/**
 * The layer status workflow. Status lives in the document but is server-owned: these use cases
 * authorise with the permission matrix, check the rules in lib/framework/review.ts against the
 * live document, write it with a server origin through the registry, and record who and when.
 * (The sync server undoes any status write that arrives from a client; see authority.ts.)
 */

const layerIdSchema = z.string().min(1).max(100);
const isoDate = z.iso.datetime({ offset: true });

export const statusChangeSchema = z.object({
  layerId: layerIdSchema,
  status: z.enum(LAYER_STATUSES),
  /** For agreed_ad_ref: by when capitals confirm. */
  confirmBy: isoDate.optional(),
  /** An owner agreeing over an 'oppose' must say so, with a reason. */
  override: z.object({ reason: z.string().trim().min(3).max(1000) }).optional(),
});

export const startSilenceSchema = z.object({ layerId: layerIdSchema, until: isoDate });
export const breakSilenceSchema = z.object({
  layerId: layerIdSchema,
  reason: z.string().trim().min(3, 'Say why silence is broken.').max(1000),
});

type Target = { workspaceId: string; frameworkId: string };

function parse<T>(schema: z.ZodType<T>, input: unknown, where: string): T {
  const result = schema.safeParse(input);
  if (!result.success) throw badRequest(firstIssue(result.error), where);
  return result.data;
}

export type StatusChangeResult = { from: LayerStatus; to: LayerStatus; overridden: string[] };

/** Turns a refused command into the matching AppError. */
function check(
  result: ReviewCommandResult,
  where: string,
): Extract<ReviewCommandResult, { ok: true }> {
  if (result.ok) return result;
  throw new AppError(result.error, result.message, where);
}

export async function changeLayerStatusAs(
  db: Database,
  live: LiveDocuments,
  userId: string,
  target: Target,
  input: unknown,
): Promise<StatusChangeResult> {
  const where = 'layer.status';
  const { membership, framework } = await requireFramework(
    db,
    userId,
    target.workspaceId,
    target.frameworkId,
    'framework.read',
  );
  const change = parse(statusChangeSchema, input, where);
  if (change.status === 'agreed_ad_ref' && !change.confirmBy) {
    throw badRequest('Agreement ad referendum needs a confirmation deadline.', where);
  }
  const done = check(
    await live.command(framework.id, {
      kind: 'status',
      layerId: change.layerId,
      to: change.status,
      actor: {
        userId,
        canEdit: can(membership.role, 'document.edit') && !framework.archivedAt,
        canAgree: can(membership.role, 'layer.agree') && !framework.archivedAt,
      },
      confirmBy: change.confirmBy,
      override: change.override,
      now: new Date().toISOString(),
    }),
    where,
  );
  const result: StatusChangeResult = {
    from: done.from!,
    to: done.to!,
    overridden: done.overridden ?? [],
  };
  const base = {
    workspaceId: target.workspaceId,
    frameworkId: framework.id,
    layerId: change.layerId,
    actorId: userId,
  };
  const events: ReviewEventInput[] = [
    {
      ...base,
      kind: 'status.changed',
      details: { from: result.from, to: result.to, confirmBy: change.confirmBy ?? null },
    },
  ];
  if (result.overridden.length > 0) {
    events.push({
      ...base,
      kind: 'agreement.override',
      details: { parties: result.overridden, reason: change.override!.reason },
    });
  }
  await db.transaction(async (tx) => {
    for (const event of events) await recordReviewEvent(tx, event);
    // Any status change ends a running silence (the detail was rewritten without it).
    await setSilenceState(tx, framework.id, change.layerId, 'ended');
  });
  return result;
}

export async function startSilenceAs(
  db: Database,
  live: LiveDocuments,
  userId: string,
  target: Target,
  input: unknown,
): Promise<void> {
  const where = 'layer.silence.start';
  const { framework } = await requireFramework(
    db,
    userId,
    target.workspaceId,
    target.frameworkId,
    'layer.agree',
  );
  const { layerId, until } = parse(startSilenceSchema, input, where);
  const deadline = new Date(until);
  if (deadline.getTime() <= Date.now()) {
    throw badRequest('The deadline must be in the future.', where);
  }
  check(
    await live.command(framework.id, {
      kind: 'silence.start',
      layerId,
      userId,
      until: deadline.toISOString(),
      now: new Date().toISOString(),
    }),
    where,
  );
  await db.transaction(async (tx) => {
    await startSilence(tx, {
      frameworkId: framework.id,
      layerId,
      until: deadline,
      startedBy: userId,
    });
    await recordReviewEvent(tx, {
      workspaceId: target.workspaceId,
      frameworkId: framework.id,
      layerId,
      actorId: userId,
      kind: 'silence.started',
      details: { until: deadline.toISOString() },
    });
  });
}

/** Any member speaking for a party (a delegation) may break silence before its deadline. */
export async function breakSilenceAs(
  db: Database,
  live: LiveDocuments,
  userId: string,
  target: Target,
  input: unknown,
): Promise<void> {
  const where = 'layer.silence.break';
  const { membership, framework } = await requireFramework(
    db,
    userId,
    target.workspaceId,
    target.frameworkId,
    'framework.read',
  );
  const { layerId, reason } = parse(breakSilenceSchema, input, where);
  const party = membership.delegation;
  if (!party) {
    throw new AppError('forbidden', 'Only a member speaking for a party can break silence.', where);
  }
  check(
    await live.command(framework.id, {
      kind: 'silence.break',
      layerId,
      userId,
      party,
      reason,
      now: new Date().toISOString(),
    }),
    where,
  );
  await db.transaction(async (tx) => {
    await setSilenceState(tx, framework.id, layerId, 'broken');
    await recordReviewEvent(tx, {
      workspaceId: target.workspaceId,
      frameworkId: framework.id,
      layerId,
      actorId: userId,
      kind: 'silence.broken',
      details: { party, reason },
    });
  });
}

/**
 * At a silence's deadline, with nobody needing to be online: the layer becomes agreed, recorded
 * with the server as actor. Open brackets or an opposition still block it (the rules hold for
 * the server too); that outcome is recorded instead.
 */
export async function expireSilence(
  db: Database,
  live: LiveDocuments,
  silence: LayerSilence & { workspaceId: string },
  now = new Date(),
): Promise<'agreed' | 'blocked' | 'skipped'> {
  if (!(await claimSilence(db, silence.frameworkId, silence.layerId))) return 'skipped';
  let result: ReviewCommandResult;
  try {
    result = await live.command(silence.frameworkId, {
      kind: 'silence.expire',
      layerId: silence.layerId,
      now: now.toISOString(),
    });
  } catch (error) {
    // Not done: let the next round try again.
    await startSilence(db, {
      frameworkId: silence.frameworkId,
      layerId: silence.layerId,
      until: silence.until,
      startedBy: silence.startedBy,
    });
    throw error;
  }
  if (!result.ok || result.outcome === 'skipped' || !result.outcome) return 'skipped';
  await recordReviewEvent(db, {
    workspaceId: silence.workspaceId,
    frameworkId: silence.frameworkId,
    layerId: silence.layerId,
    actorId: null,
    kind: result.outcome === 'agreed' ? 'silence.expired' : 'silence.failed',
    details:
      result.outcome === 'agreed'
        ? { from: result.from ?? null, to: 'agreed', until: silence.until.toISOString() }
        : { reason: result.why ?? null },
  });
  return result.outcome;
}
