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
import { AppError, forbidden, notFound } from '../errors';
import {
  LAYER_STATUSES,
  agreementBlockers,
  checkTransition,
  isAgreedStatus,
  isLockedStatus,
  opposingParties,
  readLayerReviewState,
  silenceExpired,
  silenceRunning,
  writeLayerStatus,
  type LayerStatus,
  type LayerStatusDetail,
} from '../framework';
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

const conflict = (message: string, where: string) => new AppError('conflict', message, where);

export type StatusChangeResult = { from: LayerStatus; to: LayerStatus; overridden: string[] };

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
  const actor = {
    canEdit: can(membership.role, 'document.edit') && !framework.archivedAt,
    canAgree: can(membership.role, 'layer.agree') && !framework.archivedAt,
  };
  if (change.status === 'agreed_ad_ref' && !change.confirmBy) {
    throw badRequest('Agreement ad referendum needs a confirmation deadline.', where);
  }
  const now = new Date().toISOString();
  const result = await live.write(framework.id, (doc, origin): StatusChangeResult => {
    const state = readLayerReviewState(doc, change.layerId);
    if (!state) throw notFound('Layer', where);
    const verdict = checkTransition(state.status, change.status, actor, state.statusDetail);
    if (!verdict.ok) {
      throw verdict.code === 'forbidden'
        ? forbidden(verdict.message, where)
        : conflict(verdict.message, where);
    }
    const opposing = opposingParties(state.positions);
    const override = change.override !== undefined && actor.canAgree && opposing.length > 0;
    if (isAgreedStatus(change.status)) {
      const blockers = agreementBlockers(state, override);
      if (blockers.length > 0) throw conflict(blockers.map((b) => b.message).join(' '), where);
    }
    const detail: LayerStatusDetail = {};
    if (change.status === 'agreed_ad_ref') detail.confirmBy = change.confirmBy;
    if (
      change.status === 'agreed' &&
      state.status === 'agreed_ad_ref' &&
      state.statusDetail.override
    ) {
      detail.override = state.statusDetail.override;
    }
    if (override) {
      detail.override = { by: userId, at: now, parties: opposing, reason: change.override!.reason };
    }
    writeLayerStatus(doc, change.layerId, change.status, detail, origin);
    return { from: state.status, to: change.status, overridden: override ? opposing : [] };
  });
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
  if (deadline.getTime() <= Date.now())
    throw badRequest('The deadline must be in the future.', where);
  const startedAt = new Date().toISOString();
  await live.write(framework.id, (doc, origin) => {
    const state = readLayerReviewState(doc, layerId);
    if (!state) throw notFound('Layer', where);
    if (isLockedStatus(state.status)) throw conflict('The layer is already agreed.', where);
    if (silenceRunning(state.statusDetail))
      throw conflict('The layer is already under silence.', where);
    const detail: LayerStatusDetail = {
      ...state.statusDetail,
      silence: { until: deadline.toISOString(), startedBy: userId, startedAt },
    };
    writeLayerStatus(doc, layerId, state.status, detail, origin);
  });
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
  if (!party) throw forbidden('Only a member speaking for a party can break silence.', where);
  const at = new Date();
  await live.write(framework.id, (doc, origin) => {
    const state = readLayerReviewState(doc, layerId);
    if (!state) throw notFound('Layer', where);
    if (!silenceRunning(state.statusDetail) || silenceExpired(state.statusDetail, at)) {
      throw conflict('The layer is not under silence.', where);
    }
    const detail: LayerStatusDetail = {
      ...state.statusDetail,
      silence: {
        ...state.statusDetail.silence!,
        broken: { by: userId, party, reason, at: at.toISOString() },
      },
    };
    writeLayerStatus(doc, layerId, state.status, detail, origin);
  });
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
  let outcome: { kind: 'agreed' | 'blocked' | 'skipped'; from?: LayerStatus; why?: string };
  try {
    outcome = await live.write(silence.frameworkId, (doc, origin) => {
      const state = readLayerReviewState(doc, silence.layerId);
      if (!state || !silenceExpired(state.statusDetail, now)) return { kind: 'skipped' as const };
      const blockers = agreementBlockers(state, false);
      const { silence: _ended, ...rest } = state.statusDetail;
      if (blockers.length > 0) {
        writeLayerStatus(doc, silence.layerId, state.status, rest, origin);
        return { kind: 'blocked' as const, why: blockers.map((b) => b.message).join(' ') };
      }
      writeLayerStatus(doc, silence.layerId, 'agreed', {}, origin);
      return { kind: 'agreed' as const, from: state.status };
    });
  } catch (error) {
    // Not done: let the next round try again.
    await setSilenceStateRunning(db, silence);
    throw error;
  }
  if (outcome.kind === 'skipped') return 'skipped';
  await recordReviewEvent(db, {
    workspaceId: silence.workspaceId,
    frameworkId: silence.frameworkId,
    layerId: silence.layerId,
    actorId: null,
    kind: outcome.kind === 'agreed' ? 'silence.expired' : 'silence.failed',
    details:
      outcome.kind === 'agreed'
        ? { from: outcome.from ?? null, to: 'agreed', until: silence.until.toISOString() }
        : { reason: outcome.why ?? null },
  });
  return outcome.kind;
}

async function setSilenceStateRunning(db: Database, silence: LayerSilence): Promise<void> {
  await startSilence(db, {
    frameworkId: silence.frameworkId,
    layerId: silence.layerId,
    until: silence.until,
    startedBy: silence.startedBy,
  });
}
