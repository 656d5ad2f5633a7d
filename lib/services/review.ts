import { z } from 'zod';
import type { Database } from '../../db/client';
import {
  claimSilence,
  recordReviewEvent,
  setSilenceState,
  startSilence,
} from '../../db/queries/review';
import type { LayerSilence } from '../../db/schema';
import type { LiveDocuments } from '../collab/live-documents';
import { AppError } from '../errors';
import {
  LAYER_STATUSES,
  type LayerStatus,
  type ReviewCommand,
  type ReviewCommandResult,
  type ReviewOutcomes,
  type SilenceBreakCommand,
  type SilenceExpireCommand,
  type SilenceStartCommand,
  type StatusCommand,
  type StatusWrite,
} from '../framework';
import { reviewActorOf, writerOf } from '../write-rules';
import { MAX_REVIEW_REASON_LENGTH } from '../review/wire';
import { badRequest, parseInput, requireFramework, type FrameworkTarget } from './access';

/**
 * The layer status workflow. Status lives in the document but is server-owned: these use cases
 * authorise with the permission matrix, check the rules in lib/framework/review.ts against the
 * live document, write it with a server origin through the registry, and record who and when.
 * (The sync server undoes any status write that arrives from a client; see server/collab/hooks/authority.ts.)
 */

const layerIdSchema = z.string().min(1).max(100);
const isoDate = z.iso.datetime({ offset: true });

export const statusChangeSchema = z.object({
  layerId: layerIdSchema,
  status: z.enum(LAYER_STATUSES),
  /** For agreed_ad_ref: by when capitals confirm. */
  confirmBy: isoDate.optional(),
  /** An owner agreeing over an 'oppose' must say so, with a reason. */
  override: z.object({ reason: z.string().trim().min(3).max(MAX_REVIEW_REASON_LENGTH) }).optional(),
});

export const startSilenceSchema = z.object({ layerId: layerIdSchema, until: isoDate });
export const breakSilenceSchema = z.object({
  layerId: layerIdSchema,
  reason: z.string().trim().min(3, 'Say why silence is broken.').max(MAX_REVIEW_REASON_LENGTH),
});

export type StatusChangeResult = { from: LayerStatus; to: LayerStatus; overridden: string[] };

type Done<C extends ReviewCommand> = { ok: true } & ReviewOutcomes[C['kind']];

/** Turns a refused command into the matching AppError. */
function check<C extends ReviewCommand>(result: ReviewCommandResult<C>, where: string): Done<C> {
  if (result.ok) return result;
  throw new AppError(result.error, result.message, where);
}

/**
 * Runs a review command, then records it in the database; when the record cannot be written, the
 * command's write is taken back, so the document never shows a status change the activity feed
 * does not know (and the caller gets the error). The document is written first because the rules
 * are checked against its live state; its change reaches the database only after the
 * persistence debounce, long after a failed record was noticed and reverted.
 */
async function commandThenRecord<C extends ReviewCommand>(
  db: Database,
  live: LiveDocuments,
  documentId: string,
  command: C,
  where: string,
  record: (tx: Database, done: Done<C>) => Promise<void>,
): Promise<Done<C>> {
  const done = check(await live.commands.review(documentId, command), where);
  try {
    await db.transaction((tx) => record(tx, done));
  } catch (error) {
    if ('written' in done) await revertWrite(live, documentId, command.layerId, done.written);
    throw error;
  }
  return done;
}

/** Takes back what a command wrote; best effort (the caller is already failing). */
async function revertWrite(
  live: LiveDocuments,
  documentId: string,
  layerId: string,
  written: StatusWrite,
): Promise<void> {
  await live.commands.revertReview(documentId, layerId, written).catch(() => undefined);
}

export async function changeLayerStatusAs(
  db: Database,
  live: LiveDocuments,
  userId: string,
  target: FrameworkTarget,
  input: unknown,
): Promise<StatusChangeResult> {
  const where = 'layer.status';
  const { membership, framework } = await requireFramework(db, userId, target, 'framework.read');
  const change = parseInput(statusChangeSchema, input, where);
  if (change.status === 'agreed_ad_ref' && !change.confirmBy) {
    throw badRequest('Agreement ad referendum needs a confirmation deadline.', where);
  }
  const command: StatusCommand = {
    kind: 'status',
    layerId: change.layerId,
    to: change.status,
    actor: { userId, ...reviewActorOf(writerOf(membership.role, framework)) },
    confirmBy: change.confirmBy,
    override: change.override,
    now: new Date().toISOString(),
  };
  const base = {
    workspaceId: target.workspaceId,
    frameworkId: framework.id,
    layerId: change.layerId,
    actorId: userId,
  };
  const done = await commandThenRecord(db, live, framework.id, command, where, async (tx, done) => {
    await recordReviewEvent(tx, {
      ...base,
      kind: 'status.changed',
      details: { from: done.from, to: done.to, confirmBy: change.confirmBy ?? null },
    });
    if (done.overridden.length > 0) {
      await recordReviewEvent(tx, {
        ...base,
        kind: 'agreement.override',
        details: { parties: done.overridden, reason: change.override!.reason },
      });
    }
    // Any status change ends a running silence (the detail was rewritten without it).
    await setSilenceState(tx, framework.id, change.layerId, 'ended');
  });
  return { from: done.from, to: done.to, overridden: done.overridden };
}

export async function startSilenceAs(
  db: Database,
  live: LiveDocuments,
  userId: string,
  target: FrameworkTarget,
  input: unknown,
): Promise<void> {
  const where = 'layer.silence.start';
  const { framework } = await requireFramework(db, userId, target, 'layer.agree');
  const { layerId, until } = parseInput(startSilenceSchema, input, where);
  const deadline = new Date(until);
  if (deadline.getTime() <= Date.now()) {
    throw badRequest('The deadline must be in the future.', where);
  }
  const command: SilenceStartCommand = {
    kind: 'silence.start',
    layerId,
    userId,
    until: deadline.toISOString(),
    now: new Date().toISOString(),
  };
  await commandThenRecord(db, live, framework.id, command, where, async (tx) => {
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
  target: FrameworkTarget,
  input: unknown,
): Promise<void> {
  const where = 'layer.silence.break';
  const { membership, framework } = await requireFramework(db, userId, target, 'framework.read');
  const { layerId, reason } = parseInput(breakSilenceSchema, input, where);
  const party = membership.delegation;
  if (!party) {
    throw new AppError('forbidden', 'Only a member speaking for a party can break silence.', where);
  }
  const command: SilenceBreakCommand = {
    kind: 'silence.break',
    layerId,
    userId,
    party,
    reason,
    now: new Date().toISOString(),
  };
  await commandThenRecord(db, live, framework.id, command, where, async (tx) => {
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
  // Not done: the next round tries again.
  const retryLater = () =>
    startSilence(db, {
      frameworkId: silence.frameworkId,
      layerId: silence.layerId,
      until: silence.until,
      startedBy: silence.startedBy,
    });
  let result: ReviewCommandResult<SilenceExpireCommand>;
  try {
    result = await live.commands.review(silence.frameworkId, {
      kind: 'silence.expire',
      layerId: silence.layerId,
      now: now.toISOString(),
    });
  } catch (error) {
    await retryLater();
    throw error;
  }
  if (!result.ok || result.outcome === 'skipped') return 'skipped';
  try {
    await recordReviewEvent(db, {
      workspaceId: silence.workspaceId,
      frameworkId: silence.frameworkId,
      layerId: silence.layerId,
      actorId: null,
      kind: result.outcome === 'agreed' ? 'silence.expired' : 'silence.failed',
      details:
        result.outcome === 'agreed'
          ? { from: result.from, to: 'agreed', until: silence.until.toISOString() }
          : { reason: result.why },
    });
  } catch (error) {
    // Unrecorded, the layer must not stay agreed: take it back and let the next round retry.
    await revertWrite(live, silence.frameworkId, silence.layerId, result.written);
    await retryLater().catch(() => undefined);
    throw error;
  }
  return result.outcome;
}
