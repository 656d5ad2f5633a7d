import { z } from 'zod';
import type { Database } from '../../db/client';
import {
  claimOverdueAdReferendum,
  dueAdReferenda,
  claimSilence,
  openAdReferendum,
  overdueAdReferendaFor,
  type OverdueAdReferendum,
  recordReviewEvent,
  setSilenceState,
  startSilence,
  updateAdReferendum,
} from '../../db/queries/review';
import { findUserById } from '../../db/queries/users';
import type { LayerSilence } from '../../db/schema';
import type { LiveDocuments } from '../collab/live-documents';
import { AppError } from '../errors';
import {
  LAYER_STATUSES,
  STANCES,
  partyIdOf,
  type AdReferendumConfirmCommand,
  type BracketResolveCommand,
  type DelegationAct,
  type LayerStatus,
  type PositionCommand,
  type ReviewCommand,
  type ReviewCommandResult,
  type ReviewOutcomes,
  type SilenceBreakCommand,
  type SilenceExpireCommand,
  type SilenceStartCommand,
  type StatusCommand,
  type StatusWrite,
} from '../framework';
import {
  actsFor,
  delegationActorOf,
  reviewActorOf,
  writerOf,
  type DelegationActor,
} from '../write-rules';
import { MAX_REVIEW_REASON_LENGTH } from '../review/wire';
import { badRequest, parseInput, requireFramework, type FrameworkTarget } from './access';
import {
  queueAdReferendumOpened,
  queueAdReferendumOverdue,
  queueSilenceStarted,
} from './notifications';
import { withoutRefusingGroups } from './second-factor-requirement';

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
  /** For agreed_ad_ref: the delegations (party ids) that must confirm; default every party. */
  confirmers: z.array(z.string().min(1).max(200)).min(1).max(100).optional(),
  /** An owner agreeing over an 'oppose' must say so, with a reason. */
  override: z.object({ reason: z.string().trim().min(3).max(MAX_REVIEW_REASON_LENGTH) }).optional(),
});

export const startSilenceSchema = z.object({ layerId: layerIdSchema, until: isoDate });
/** A party id; when a delegation's act names one, it must be the actor's own. */
const partySchema = z.string().min(1).max(200);

export const breakSilenceSchema = z.object({
  layerId: layerIdSchema,
  party: partySchema.optional(),
  reason: z.string().trim().min(3, 'Say why silence is broken.').max(MAX_REVIEW_REASON_LENGTH),
});
export const positionSchema = z.object({
  layerId: layerIdSchema,
  party: partySchema,
  /** null withdraws the stance: the party is "not stated" again. */
  stance: z.enum(STANCES).nullable(),
  note: z.string().trim().max(MAX_REVIEW_REASON_LENGTH).default(''),
});
export const resolveBracketSchema = z.object({
  layerId: layerIdSchema,
  bracketId: z.string().min(1).max(100),
  /** null keeps the bracketed text; a number takes that alternative. */
  alternative: z.number().int().min(0).max(50).nullable(),
});
export const confirmAdReferendumSchema = z.object({
  layerId: layerIdSchema,
  party: partySchema.optional(),
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
    confirmers: change.confirmers,
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
    if (done.adReferendum && change.confirmBy) {
      await openAdReferendum(tx, {
        frameworkId: framework.id,
        layerId: change.layerId,
        layerTitle: done.adReferendum.layerTitle,
        confirmBy: new Date(change.confirmBy),
        pending: done.adReferendum.required,
        partyNames: done.adReferendum.partyNames,
      });
      await queueAdReferendumOpened(tx, {
        framework,
        actorId: userId,
        layerTitle: done.adReferendum.layerTitle,
        pending: done.adReferendum.required,
        partyNames: done.adReferendum.partyNames,
        confirmBy: new Date(change.confirmBy),
      });
    } else {
      await updateAdReferendum(tx, framework.id, change.layerId, { closed: true });
    }
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
    await queueSilenceStarted(tx, { framework, actorId: userId, until: deadline });
  });
}

/**
 * The delegation a member acts for in `where`: their own, checked against a party the request
 * names (a member never acts for another delegation here), with who they are for the record.
 */
async function ownDelegation(
  db: Database,
  userId: string,
  actor: DelegationActor,
  named: string | undefined,
  where: string,
): Promise<{ party: string; act: DelegationAct }> {
  const party = actor.delegation;
  if (!party || actsFor(actor, party, { chair: false }) !== 'member') {
    throw new AppError(
      'forbidden',
      'Only a member of a delegation (not a viewer) may do this for it.',
      where,
    );
  }
  if (named !== undefined && named !== party) {
    throw new AppError('forbidden', 'You may act only for your own delegation.', where);
  }
  return { party, act: await actOf(db, userId, false) };
}

/**
 * A delegation's own act (an objection, a confirmation): the framework, the parsed body, and the
 * actor's own delegation with who they are, refused for anyone who does not speak for it.
 */
async function ownDelegationRequest<T extends { party?: string }>(
  db: Database,
  userId: string,
  target: FrameworkTarget,
  request: { schema: z.ZodType<T>; input: unknown },
  where: string,
) {
  const { membership, framework } = await requireFramework(db, userId, target, 'framework.read');
  const body = parseInput(request.schema, request.input, where);
  const actor = delegationActorOf(membership.role, framework, membership.delegation);
  return { framework, body, ...(await ownDelegation(db, userId, actor, body.party, where)) };
}

async function actOf(db: Database, userId: string, chair: boolean): Promise<DelegationAct> {
  const user = await findUserById(db, userId);
  return { by: userId, name: user?.name ?? '', chair, at: new Date().toISOString() };
}

/** A member of a delegation (not a viewer) breaks silence for it, before the deadline. */
export async function breakSilenceAs(
  db: Database,
  live: LiveDocuments,
  userId: string,
  target: FrameworkTarget,
  input: unknown,
): Promise<void> {
  const where = 'layer.silence.break';
  const { framework, body, party, act } = await ownDelegationRequest(
    db,
    userId,
    target,
    { schema: breakSilenceSchema, input },
    where,
  );
  const command: SilenceBreakCommand = {
    kind: 'silence.break',
    layerId: body.layerId,
    party,
    act,
    reason: body.reason,
  };
  await commandThenRecord(db, live, framework.id, command, where, async (tx) => {
    await setSilenceState(tx, framework.id, body.layerId, 'broken');
    await recordReviewEvent(tx, {
      workspaceId: target.workspaceId,
      frameworkId: framework.id,
      layerId: body.layerId,
      actorId: userId,
      kind: 'silence.broken',
      details: { party, reason: body.reason },
    });
  });
}

/**
 * A delegation states its stance on a layer (or withdraws it): only its own members, or an owner
 * as chair entering a stance announced orally, recorded as entered by the chair.
 */
export async function statePositionAs(
  db: Database,
  live: LiveDocuments,
  userId: string,
  target: FrameworkTarget,
  input: unknown,
): Promise<{ chair: boolean }> {
  const where = 'layer.position';
  const { membership, framework } = await requireFramework(db, userId, target, 'framework.read');
  const body = parseInput(positionSchema, input, where);
  const actor = delegationActorOf(membership.role, framework, membership.delegation);
  const as = actsFor(actor, body.party, { chair: true });
  if (!as) {
    throw new AppError(
      'forbidden',
      'Only a member of that delegation states its position (or the chair, on its behalf).',
      where,
    );
  }
  const command: PositionCommand = {
    kind: 'position',
    layerId: body.layerId,
    party: body.party,
    stance: body.stance,
    note: body.note,
    act: await actOf(db, userId, as === 'chair'),
  };
  const done = check(await live.commands.review(framework.id, command), where);
  try {
    await recordReviewEvent(db, {
      workspaceId: target.workspaceId,
      frameworkId: framework.id,
      layerId: body.layerId,
      actorId: userId,
      kind: 'position.stated',
      details: {
        party: body.party,
        stance: body.stance,
        note: body.note,
        chair: as === 'chair',
        previous: done.previous?.stance ?? null,
      },
    });
  } catch (error) {
    // Unrecorded, the stance must not stand: put back what the delegation had stated.
    const previous = done.previous;
    await live.commands
      .review(framework.id, {
        ...command,
        stance: previous?.stance ?? null,
        note: previous?.note ?? '',
        act: previous?.statedBy ?? command.act,
      })
      .catch(() => undefined);
    throw error;
  }
  return { chair: as === 'chair' };
}

/**
 * Resolves a bracket (a text edit by those who may change the layer), run on the server so the
 * review events say who resolved it, whose wording was chosen, and whose was not.
 */
export async function resolveBracketAs(
  db: Database,
  live: LiveDocuments,
  userId: string,
  target: FrameworkTarget,
  input: unknown,
): Promise<{ chosen: string }> {
  const where = 'layer.bracket.resolve';
  const { membership, framework } = await requireFramework(db, userId, target, 'framework.read');
  const body = parseInput(resolveBracketSchema, input, where);
  const command: BracketResolveCommand = {
    kind: 'bracket.resolve',
    layerId: body.layerId,
    bracketId: body.bracketId,
    choice: body.alternative === null ? { keep: true } : { alternative: body.alternative },
    actor: reviewActorOf(writerOf(membership.role, framework)),
  };
  const done = check(await live.commands.review(framework.id, command), where);
  const alternative =
    body.alternative === null ? null : (done.bracket.alternatives[body.alternative] ?? null);
  // The text is already changed (it is ordinary content, like any edit); the record says how.
  await recordReviewEvent(db, {
    workspaceId: target.workspaceId,
    frameworkId: framework.id,
    layerId: body.layerId,
    actorId: userId,
    kind: 'bracket.resolved',
    details: {
      bracketId: body.bracketId,
      text: done.bracket.text,
      party: done.bracket.party,
      chosen: done.chosen,
      chosenParty: alternative ? alternative.party : done.bracket.party,
    },
  });
  return { chosen: done.chosen };
}

/**
 * A delegation's capital confirms an agreement ad referendum (its own members only, once); the
 * last confirmation makes the layer agreed.
 */
export async function confirmAdReferendumAs(
  db: Database,
  live: LiveDocuments,
  userId: string,
  target: FrameworkTarget,
  input: unknown,
): Promise<{ agreed: boolean; pending: string[] }> {
  const where = 'layer.adref.confirm';
  const { framework, body, party, act } = await ownDelegationRequest(
    db,
    userId,
    target,
    { schema: confirmAdReferendumSchema, input },
    where,
  );
  const command: AdReferendumConfirmCommand = {
    kind: 'adref.confirm',
    layerId: body.layerId,
    party,
    act,
  };
  const base = {
    workspaceId: target.workspaceId,
    frameworkId: framework.id,
    layerId: body.layerId,
    actorId: userId,
  };
  const done = await commandThenRecord(db, live, framework.id, command, where, async (tx, done) => {
    await recordReviewEvent(tx, {
      ...base,
      kind: 'adref.confirmed',
      details: { party, pending: done.pending },
    });
    if (done.agreed) {
      await recordReviewEvent(tx, {
        ...base,
        kind: 'status.changed',
        details: { from: 'agreed_ad_ref', to: 'agreed', confirmBy: null },
      });
    }
    await updateAdReferendum(tx, framework.id, body.layerId, {
      pending: done.pending,
      closed: done.agreed,
    });
  });
  return { agreed: done.agreed, pending: done.pending };
}

/**
 * Flags agreements ad referendum past their confirm-by date, once each: an activity event that
 * names the late delegations (their members' and the owners' inboxes list it, see inboxOf) and
 * their mail. Claim, event and mail are one transaction per agreement, so the instance that
 * claims one also reports it, and a crash in between leaves it for the next round.
 */
export async function flagOverdueAdReferenda(
  db: Database,
  now = new Date(),
  scope: { frameworkId?: string } = {},
): Promise<number> {
  let flagged = 0;
  const failures: unknown[] = [];
  for (const row of await dueAdReferenda(db, now, scope)) {
    const won = await db
      .transaction(async (tx) => {
        if (!(await claimOverdueAdReferendum(tx, row.frameworkId, row.layerId))) return false;
        await recordReviewEvent(tx, {
          workspaceId: row.workspaceId,
          frameworkId: row.frameworkId,
          layerId: row.layerId,
          actorId: null,
          kind: 'adref.overdue',
          details: { pending: row.pending, confirmBy: row.confirmBy.toISOString() },
        });
        await queueAdReferendumOverdue(tx, row);
        return true;
      })
      .catch((error: unknown) => {
        // One that fails must not hold back the others; it stays open for the next round.
        failures.push(error);
        return false;
      });
    if (won) flagged += 1;
  }
  if (failures.length > 0) {
    throw new AggregateError(failures, `${failures.length} overdue ad referendum report(s) failed`);
  }
  return flagged;
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
          ? { from: result.from, to: result.to, until: silence.until.toISOString() }
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

/**
 * The overdue agreements ad referendum `userId` must chase or answer: all of a group they own
 * (the chair chases), and those where their own delegation has not confirmed.
 */
export async function overdueConfirmationsFor(
  db: Database,
  userId: string,
): Promise<Array<OverdueAdReferendum & { mine: boolean }>> {
  const rows = await withoutRefusingGroups(db, userId, await overdueAdReferendaFor(db, userId));
  return rows
    .map((row) => ({
      ...row,
      mine: row.delegation !== null && row.pending.includes(partyIdOf(row.delegation)),
    }))
    .filter((row) => row.mine || row.role === 'owner');
}
