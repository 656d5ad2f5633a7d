import { z } from 'zod';
import type { Database } from '../../db/client';
import { recordAudit } from '../../db/queries/audit';
import {
  addSponsor,
  decideAmendment,
  findAmendment,
  findAmendmentsByNumber,
  insertAmendment,
  listAmendments,
  removeSponsor,
  undoDecision,
  type AmendmentRow,
} from '../../db/queries/amendments';
import { recordReviewEvent, setSilenceState } from '../../db/queries/review';
import { findUserById } from '../../db/queries/users';
import type { Framework } from '../../db/schema';
import {
  MAX_COMPROMISE_SOURCES,
  MAX_DEADLINE_HOURS,
  MAX_RESPONSIBLE_PARTIES,
  MAX_JUSTIFICATION_LENGTH,
  MAX_PROPOSED_TEXT_LENGTH,
  MAX_TRIGGER_TEXT_LENGTH,
  amendmentTitle,
  type AmendmentListItem,
  type AmendmentView,
} from '../amendments/wire';
import type { LiveDocuments } from '../collab/live-documents';
import { AppError, forbidden, notFound } from '../errors';
import {
  COMMITMENT_AMENDABLE_FIELDS,
  COMMITMENT_TYPES,
  MAX_PROPOSAL_RUNS,
  describeProposedCommitment,
  isPlain,
  normaliseRuns,
  runsText,
  sameRuns,
  TRIGGER_AMENDABLE_FIELDS,
  viewOfState,
  type AmendmentTarget,
  type ProposalRun,
  type SilenceBreakCommand,
} from '../framework';
import { safeHref } from '../framework/links';
import { uuidSchema } from '../validation';
import { triggerSentence } from '../export/model';
import {
  buildCompilation,
  renderCompilationDocx,
  renderCompilationHtml,
} from '../export/compilation';
import {
  amendmentSpeakerOf,
  delegationActorOf,
  mayAgree,
  type DelegationActor,
} from '../write-rules';
import { parseInput, requireFramework, type FrameworkTarget } from './access';
import { queueAmendmentDecision } from './notifications';

/**
 * Amendments: a delegation tables a proposed change to the common text (a passage of a layer's
 * narrative, or a structured field) instead of editing it; other delegations co-sponsor; the
 * chair accepts (the server applies it to the live document as one change attributed to the
 * tabling delegate), rejects with a reason, or merges several into a compromise. Records live in
 * the database; every change is pushed to every open client on every instance.
 */

const anchorPart = z
  .string()
  .max(1000)
  .regex(/^[A-Za-z0-9+/=]+$/, 'Invalid anchor.');
const rowId = z.string().min(1).max(100);

export const amendmentTargetSchema: z.ZodType<AmendmentTarget> = z.union([
  z.object({
    kind: z.literal('passage'),
    anchor: z.object({ start: anchorPart, end: anchorPart }),
  }),
  z.object({
    kind: z.literal('row'),
    item: z.literal('commitment'),
    row: z.object({
      type: z.enum(COMMITMENT_TYPES),
      party: z.string().max(200),
      quantity: z.number().finite().min(0).max(1e12).nullable(),
      unit: z.string().trim().max(100),
      conditions: z.string().trim().max(2000),
      period: z.string().trim().max(200),
    }),
  }),
  z.object({
    kind: z.literal('row'),
    item: z.literal('trigger'),
    row: z.object({
      condition: z
        .string()
        .trim()
        .max(
          MAX_TRIGGER_TEXT_LENGTH,
          `A condition has at most ${MAX_TRIGGER_TEXT_LENGTH} characters.`,
        ),
      response: z
        .string()
        .trim()
        .max(
          MAX_TRIGGER_TEXT_LENGTH,
          `A response has at most ${MAX_TRIGGER_TEXT_LENGTH} characters.`,
        ),
      deadlineHours: z
        .number()
        .finite()
        .min(0, 'A deadline is zero hours or more.')
        .max(MAX_DEADLINE_HOURS, `A deadline is at most ${MAX_DEADLINE_HOURS} hours.`)
        .nullable(),
      responsibleParties: z
        .array(z.string().min(1).max(200))
        .max(
          MAX_RESPONSIBLE_PARTIES,
          `Name at most ${MAX_RESPONSIBLE_PARTIES} responsible parties.`,
        )
        .default([]),
    }),
  }),
  z.object({ kind: z.literal('remove'), item: z.literal('commitment'), id: rowId }),
  z.object({ kind: z.literal('remove'), item: z.literal('trigger'), id: rowId }),
  z.object({ kind: z.literal('field'), item: z.literal('layer'), field: z.literal('lead') }),
  z.object({
    kind: z.literal('field'),
    item: z.literal('commitment'),
    id: rowId,
    field: z.enum(COMMITMENT_AMENDABLE_FIELDS),
  }),
  z.object({
    kind: z.literal('field'),
    item: z.literal('trigger'),
    id: rowId,
    field: z.enum(TRIGGER_AMENDABLE_FIELDS),
  }),
]);

const proposalRunsSchema = z
  .array(
    z.object({
      text: z.string().max(MAX_PROPOSED_TEXT_LENGTH),
      marks: z
        .array(
          z.union([
            z.object({ type: z.literal('bold') }),
            z.object({ type: z.literal('italic') }),
            z.object({ type: z.literal('link'), href: z.string().max(2_000) }),
          ]),
        )
        .max(3),
    }),
  )
  .max(
    MAX_PROPOSAL_RUNS,
    `A proposal has at most ${MAX_PROPOSAL_RUNS} differently formatted runs: split the amendment.`,
  );

const proposedTextSchema = z
  .string()
  .max(
    MAX_PROPOSED_TEXT_LENGTH,
    `A proposed text has at most ${MAX_PROPOSED_TEXT_LENGTH} characters: split the amendment.`,
  );
const justificationSchema = z
  .string()
  .trim()
  .max(
    MAX_JUSTIFICATION_LENGTH,
    `A justification has at most ${MAX_JUSTIFICATION_LENGTH} characters.`,
  )
  .default('');

export const tableAmendmentSchema = z.object({
  layerId: z.string().min(1).max(100),
  target: amendmentTargetSchema,
  proposedText: proposedTextSchema,
  /** A passage's wording with its formatting; absent or null: plain text. */
  proposedRuns: proposalRunsSchema.nullish(),
  justification: justificationSchema,
  /** The delegation tabling it; when given it must be the member's own. */
  party: z.string().min(1).max(200).optional(),
});

export const amendmentActionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('cosponsor'), party: z.string().min(1).max(200).optional() }),
  z.object({ action: z.literal('leave'), party: z.string().min(1).max(200).optional() }),
  z.object({ action: z.literal('withdraw') }),
  z.object({
    action: z.literal('reject'),
    reason: z.string().trim().min(3, 'Say why the amendment is rejected.').max(2000),
  }),
  z.object({
    action: z.literal('accept'),
    /** The chair saw that the text moved on and applies the proposal to the current text. */
    overCurrent: z.boolean().default(false),
  }),
]);

export const compromiseSchema = z.object({
  sources: z
    .array(z.number().int().min(1))
    .min(1, 'Choose the amendments the compromise merges.')
    .max(MAX_COMPROMISE_SOURCES),
  proposedText: proposedTextSchema,
  proposedRuns: proposalRunsSchema.nullish(),
  justification: justificationSchema,
});

function viewOf(row: AmendmentRow): AmendmentView {
  return {
    id: row.id,
    number: row.number,
    layerId: row.layerId,
    target: row.target,
    baseText: row.baseText,
    proposedText: row.proposedText,
    proposedRuns: row.proposedRuns ?? null,
    justification: row.justification,
    party: row.party,
    partyName: row.partyName,
    tabledBy: row.tabledBy,
    tabledByName: row.tabledByName,
    tabledAt: row.createdAt.toISOString(),
    sponsors: row.sponsors.map((s) => ({ party: s.party, name: s.partyName })),
    status: row.status as AmendmentView['status'],
    decidedBy: row.decidedBy,
    decidedByName: row.decidedByName,
    decidedAt: row.decidedAt?.toISOString() ?? null,
    decisionReason: row.decisionReason,
    compromiseOf: row.compromiseOf,
    supersededBy: row.supersededBy,
  };
}

function notify(live: LiveDocuments | null, frameworkId: string, layerId: string | null) {
  live?.notices.commentsChanged(frameworkId, { layerId, thread: null, topic: 'amendments' });
}

async function record(
  db: Database,
  framework: Framework,
  actorId: string,
  amendment: { id: string; number: number; layerId: string },
  kind: string,
  details: Record<string, string | number | null> = {},
) {
  await recordReviewEvent(db, {
    workspaceId: framework.workspaceId,
    frameworkId: framework.id,
    layerId: amendment.layerId,
    actorId,
    kind,
    details: { amendment: amendment.number, ...details },
  });
  await recordAudit(db, {
    workspaceId: framework.workspaceId,
    actorId,
    action: kind,
    targetType: 'amendment',
    targetId: amendment.id,
    details: { framework: framework.id, number: amendment.number, ...details },
  });
}

export async function listAmendmentsAs(
  db: Database,
  live: LiveDocuments | null,
  userId: string,
  target: FrameworkTarget,
): Promise<AmendmentListItem[]> {
  const { framework } = await requireFramework(db, userId, target, 'framework.read');
  const rows = (await listAmendments(db, framework.id)).map(viewOf);
  const open = rows.filter((r) => r.status === 'tabled');
  const now = live
    ? await live.queries.amendmentTargetsNow(
        framework.id,
        open.map((r) => ({ layerId: r.layerId, target: r.target })),
      )
    : [];
  const current = new Map(open.map((r, i) => [r.id, now[i] ?? null]));
  return rows.map((r) => ({ ...r, currentText: current.get(r.id) ?? null }));
}

/** The member and framework of an amendment request, with the member as a delegation actor. */
async function actorFor(db: Database, userId: string, target: FrameworkTarget) {
  const { membership, framework } = await requireFramework(db, userId, target, 'framework.read');
  const actor = delegationActorOf(membership.role, framework, membership.delegation);
  return { framework, actor, delegationName: membership.delegation };
}

/** Who tables, co-sponsors or withdraws: the member's own delegation, or the chair (owners). */
function speakerOrRefuse(actor: DelegationActor, named: string | undefined, where: string) {
  const speaker = amendmentSpeakerOf(actor);
  if (!speaker) {
    throw forbidden('Only a member of a delegation (or the chair) tables amendments.', where);
  }
  if (named !== undefined && (speaker.as !== 'member' || speaker.party !== named)) {
    throw forbidden('You may table amendments only for your own delegation.', where);
  }
  return speaker;
}

async function userName(db: Database, userId: string): Promise<string> {
  return (await findUserById(db, userId))?.name ?? '';
}

/**
 * Tables an amendment: the target must read now as the document has it (its text becomes the
 * base), the proposal must fit the field, and the layer must not be agreed. Tabling to a layer
 * under silence breaks the silence (DOMAIN: "by an objection or by tabling an amendment").
 */
export async function tableAmendmentAs(
  db: Database,
  live: LiveDocuments,
  userId: string,
  target: FrameworkTarget,
  input: unknown,
): Promise<AmendmentView> {
  const where = 'amendment.table';
  const { framework, actor } = await actorFor(db, userId, target);
  const body = parseInput(tableAmendmentSchema, input, where);
  const speaker = speakerOrRefuse(actor, body.party, where);
  if (!(await live.queries.layerExists(framework.id, body.layerId))) throw notFound('Layer', where);
  const read = await live.queries.amendmentTarget(
    framework.id,
    body.layerId,
    body.target,
    body.proposedText,
  );
  // A new row's proposed text is how the row reads, made here from the row itself; a removal
  // proposes nothing in its place (its base, read above, is the row as it reads now).
  const amended = body.target;
  if (amended.kind === 'row' && amended.item === 'trigger') {
    // In the words the export and read mode will print it in once accepted.
    const names = read.parties.map((p) => p.name);
    const nameOf = (id: string) => read.parties.find((p) => p.id === id)?.name ?? id;
    body.proposedText = triggerSentence(
      { ...amended.row, responsible: (amended.row.responsibleParties ?? []).map(nameOf) },
      names,
    );
  } else if (amended.kind === 'row') {
    const partyName = (id: string) => read.parties.find((p) => p.id === id)?.name ?? id;
    body.proposedText = describeProposedCommitment(amended.row, partyName);
  } else if (amended.kind === 'remove') {
    body.proposedText = '';
  }
  if (read.current === null) {
    throw new AppError(
      'bad_request',
      body.target.kind === 'passage'
        ? 'Select a passage within one paragraph of this layer’s text (it may just have been changed), then propose again.'
        : body.target.kind === 'remove'
          ? `That ${body.target.item === 'trigger' ? 'trigger' : 'commitment row'} is not in this layer (it may just have been removed).`
          : 'That row is no longer in the layer.',
      where,
    );
  }
  if (read.problem) throw new AppError('bad_request', read.problem, where);
  const runs = formattedWording(body.target, body.proposedText, body.proposedRuns, where);
  // The same words are a change only when their formatting is (plain wording keeps the text's).
  const sameFormatting =
    runs === null || (read.currentRuns !== null && sameRuns(runs, read.currentRuns));
  if (read.current === body.proposedText && sameFormatting) {
    throw new AppError('bad_request', 'The proposal is the same as the current text.', where);
  }
  const underSilence = read.frozen?.code === 'under_silence';
  if (read.frozen && !underSilence) throw new AppError('conflict', read.frozen.message, where);
  const party =
    speaker.as === 'member' ? (read.parties.find((p) => p.id === speaker.party) ?? null) : null;
  if (speaker.as === 'member' && !party) {
    throw forbidden('Your delegation is not a party to this framework.', where);
  }
  const name = await userName(db, userId);
  const created = await db.transaction(async (tx) => {
    const row = await insertAmendment(tx, {
      workspaceId: framework.workspaceId,
      frameworkId: framework.id,
      layerId: body.layerId,
      target: body.target,
      baseText: read.current!,
      proposedText: body.proposedText,
      proposedRuns: runs,
      justification: body.justification,
      party: party?.id ?? null,
      partyName: party?.name ?? null,
      tabledBy: userId,
      tabledByName: name,
      layerLead: read.lead,
    });
    await record(tx, framework, userId, row, 'amendment.tabled', { party: party?.name ?? null });
    return row;
  });
  if (underSilence) await breakSilenceByTabling(db, live, framework, userId, created, party, name);
  notify(live, framework.id, body.layerId);
  const [view] = (await listAmendments(db, framework.id, [created.id])).map(viewOf);
  return view!;
}

/** Tabling an amendment to a layer under silence breaks it, for the tabling delegation. */
async function breakSilenceByTabling(
  db: Database,
  live: LiveDocuments,
  framework: Framework,
  userId: string,
  amendment: { number: number; layerId: string },
  party: { id: string; name: string } | null,
  name: string,
) {
  const reason = `Amendment ${amendment.number} tabled.`;
  const command: SilenceBreakCommand = {
    kind: 'silence.break',
    layerId: amendment.layerId,
    party: party?.id ?? '',
    act: { by: userId, name, chair: party === null, at: new Date().toISOString() },
    reason,
  };
  const result = await live.commands.review(framework.id, command);
  if (!result.ok) return; // The deadline passed meanwhile: the amendment stays tabled.
  await setSilenceState(db, framework.id, amendment.layerId, 'broken');
  await recordReviewEvent(db, {
    workspaceId: framework.workspaceId,
    frameworkId: framework.id,
    layerId: amendment.layerId,
    actorId: userId,
    kind: 'silence.broken',
    details: { party: party?.id ?? null, reason },
  });
}

/**
 * The formatted wording of a proposal, checked: only a passage is formatted, its runs say
 * exactly the proposed text, and its links are web or mail addresses. Null: plain wording.
 */
function formattedWording(
  target: AmendmentTarget,
  proposedText: string,
  given: ProposalRun[] | null | undefined,
  where: string,
): ProposalRun[] | null {
  if (!given) return null;
  if (target.kind !== 'passage') {
    throw new AppError('bad_request', 'Only the wording of a passage carries formatting.', where);
  }
  const links = given.flatMap((r) => r.marks.filter((m) => m.type === 'link'));
  if (links.some((m) => safeHref(m.href) === null)) {
    throw new AppError(
      'bad_request',
      'A link in a proposal is a web or mail address (http, https or mailto).',
      where,
    );
  }
  const runs = normaliseRuns(given);
  if (runsText(runs) !== proposedText) {
    throw new AppError(
      'bad_request',
      'The formatted wording does not say the proposed text: propose again.',
      where,
    );
  }
  return isPlain(runs) ? null : runs;
}

async function requireAmendment(
  db: Database,
  frameworkId: string,
  amendmentId: string,
  where: string,
): Promise<AmendmentRow> {
  if (!uuidSchema.safeParse(amendmentId).success) throw notFound('Amendment', where);
  const row = await findAmendment(db, frameworkId, amendmentId);
  if (!row) throw notFound('Amendment', where);
  return row;
}

function alreadyDecided(row: { number: number; status: string }, where: string): AppError {
  return new AppError(
    'conflict',
    `Amendment ${row.number} is already ${row.status}: it cannot change again.`,
    where,
  );
}

/** One act on one amendment: co-sponsor or leave, withdraw, reject, accept. */
export async function actOnAmendmentAs(
  db: Database,
  live: LiveDocuments,
  userId: string,
  target: FrameworkTarget & { amendmentId: string },
  input: unknown,
): Promise<AmendmentView> {
  const body = parseInput(amendmentActionSchema, input, 'amendment.act');
  const where = `amendment.${body.action}`;
  const { framework, actor, delegationName } = await actorFor(db, userId, target);
  const row = await requireAmendment(db, framework.id, target.amendmentId, where);
  if (row.status !== 'tabled') throw alreadyDecided(row, where);

  switch (body.action) {
    case 'cosponsor':
    case 'leave': {
      const speaker = speakerOrRefuse(actor, body.party, where);
      if (speaker.as !== 'member') {
        throw forbidden('Only a delegation co-sponsors an amendment.', where);
      }
      if (speaker.party === row.party) {
        throw new AppError('conflict', 'Your delegation tabled this amendment.', where);
      }
      if (body.action === 'cosponsor') {
        const name = delegationName ?? speaker.party;
        const added = await addSponsor(db, {
          amendmentId: row.id,
          party: speaker.party,
          partyName: name,
          userId,
        });
        if (!added)
          throw new AppError('conflict', 'Your delegation already co-sponsors it.', where);
      } else if (!(await removeSponsor(db, row.id, speaker.party))) {
        throw new AppError('conflict', 'Your delegation does not co-sponsor it.', where);
      }
      await record(db, framework, userId, row, `amendment.${body.action}`, {
        party: speaker.party,
      });
      break;
    }
    case 'withdraw': {
      const speaker = amendmentSpeakerOf(actor);
      const own =
        speaker !== null &&
        (speaker.as === 'member' ? speaker.party === row.party : row.party === null);
      if (!own) throw forbidden('Only the tabling delegation withdraws its amendment.', where);
      if (
        !(await decideAmendment(db, row.id, {
          status: 'withdrawn',
          decidedBy: userId,
          reason: null,
        }))
      ) {
        throw alreadyDecided({ number: row.number, status: 'decided' }, where);
      }
      await record(db, framework, userId, row, 'amendment.withdrawn');
      break;
    }
    case 'reject': {
      if (!mayAgree(actor)) throw forbidden('Only the chair decides on amendments.', where);
      const decided = await decideAmendment(db, row.id, {
        status: 'rejected',
        decidedBy: userId,
        reason: body.reason,
      });
      if (!decided) throw alreadyDecided({ number: row.number, status: 'decided' }, where);
      await record(db, framework, userId, row, 'amendment.rejected', { reason: body.reason });
      await queueAmendmentDecision(db, {
        framework,
        actorId: userId,
        amendment: row,
        decision: 'rejected',
        reason: body.reason,
      });
      break;
    }
    case 'accept':
      await accept(db, live, userId, framework, actor, row, body.overCurrent, where);
      break;
  }
  notify(live, framework.id, row.layerId);
  return viewOf((await findAmendment(db, framework.id, row.id))!);
}

/**
 * The chair accepts: the decision is claimed in the database first (so of two chairs at once
 * exactly one applies it), then the document applies the change; when the document refuses
 * (frozen layer, text moved on, target gone) the decision is put back and the chair is told why.
 */
async function accept(
  db: Database,
  live: LiveDocuments,
  userId: string,
  framework: Framework,
  actor: DelegationActor,
  row: AmendmentRow,
  overCurrent: boolean,
  where: string,
) {
  if (!mayAgree(actor)) throw forbidden('Only the chair decides on amendments.', where);
  const decided = await decideAmendment(db, row.id, {
    status: 'accepted',
    decidedBy: userId,
    reason: null,
  });
  if (!decided) throw alreadyDecided({ number: row.number, status: 'decided' }, where);
  const applied = await live.commands
    .amendment(
      framework.id,
      {
        kind: 'amendment.apply',
        layerId: row.layerId,
        target: row.target,
        base: row.baseText,
        proposed: row.proposedText,
        proposedRuns: row.proposedRuns ?? null,
        overCurrent,
      },
      row.tabledBy,
    )
    .catch(async (error: unknown) => {
      await undoDecision(db, row.id, 'accepted');
      throw error;
    });
  if (!applied.ok) {
    await undoDecision(db, row.id, 'accepted');
    throw new AppError(applied.error, applied.message, where);
  }
  const title = amendmentTitle(viewOf(row));
  await record(db, framework, userId, row, 'amendment.accepted', { title });
  await queueAmendmentDecision(db, {
    framework,
    actorId: userId,
    amendment: row,
    decision: 'accepted',
    reason: null,
  });
}

/**
 * The chair merges tabled amendments of one layer into a compromise: a new amendment by the
 * chair, on the first source's target and base, that supersedes them all in one transaction.
 */
export async function tableCompromiseAs(
  db: Database,
  live: LiveDocuments,
  userId: string,
  target: FrameworkTarget,
  input: unknown,
): Promise<AmendmentView> {
  const where = 'amendment.compromise';
  const { framework, actor } = await actorFor(db, userId, target);
  if (!mayAgree(actor)) throw forbidden('Only the chair proposes a compromise.', where);
  const body = parseInput(compromiseSchema, input, where);
  const numbers = [...new Set(body.sources)].sort((a, b) => a - b);
  const sources = (await findAmendmentsByNumber(db, framework.id, numbers)).sort(
    (a, b) => a.number - b.number,
  );
  if (sources.length !== numbers.length) throw notFound('Amendment', where);
  const first = sources[0]!;
  if (sources.some((s) => s.layerId !== first.layerId)) {
    throw new AppError('bad_request', 'A compromise merges amendments to one layer.', where);
  }
  const closed = sources.find((s) => s.status !== 'tabled');
  if (closed) throw alreadyDecided(closed, where);
  // Accepting a row or a removal applies the row itself, not a wording: a compromise would say
  // one thing and do another.
  if (sources.some((s) => s.target.kind === 'row' || s.target.kind === 'remove')) {
    throw new AppError(
      'bad_request',
      'A proposed row or removal is accepted or rejected as it is: a compromise rewords a passage or a field.',
      where,
    );
  }
  const name = await userName(db, userId);
  const created = await db.transaction(async (tx) => {
    const row = await insertAmendment(tx, {
      workspaceId: framework.workspaceId,
      frameworkId: framework.id,
      layerId: first.layerId,
      target: first.target,
      baseText: first.baseText,
      proposedText: body.proposedText,
      proposedRuns: formattedWording(first.target, body.proposedText, body.proposedRuns, where),
      justification: body.justification,
      party: null,
      partyName: null,
      tabledBy: userId,
      tabledByName: name,
      compromiseOf: numbers,
      layerLead: first.layerLead,
    });
    for (const source of sources) {
      const superseded = await decideAmendment(tx, source.id, {
        status: 'superseded',
        decidedBy: userId,
        reason: `Merged into the chair's compromise, amendment ${row.number}.`,
        supersededBy: row.number,
      });
      // Decided by someone else meanwhile: the whole compromise is rolled back.
      if (!superseded) throw alreadyDecided({ number: source.number, status: 'decided' }, where);
    }
    await record(tx, framework, userId, row, 'amendment.compromise', {
      sources: numbers.join(', '),
    });
    return row;
  });
  notify(live, framework.id, first.layerId);
  return viewOf((await findAmendment(db, framework.id, created.id))!);
}

export const COMPILATION_FORMATS = ['docx', 'html'] as const;
export type CompilationFormat = (typeof COMPILATION_FORMATS)[number];

/** The compilation of the framework's amendments as a file (four columns, one table). */
export async function compilationAs(
  db: Database,
  live: LiveDocuments,
  userId: string,
  target: FrameworkTarget,
  format: string | null,
): Promise<{ bytes: Uint8Array; contentType: string; fileName: string }> {
  const where = 'amendment.compilation';
  if (format !== 'docx' && format !== 'html') {
    throw new AppError('bad_request', 'Choose the format: docx or html.', where);
  }
  const amendments = await listAmendmentsAs(db, live, userId, target);
  const view = viewOfState(await live.queries.encodedState(target.frameworkId));
  const model = buildCompilation(view, amendments, new Date());
  const base = `${view.title.trim() || 'Framework'} - compilation of amendments`;
  const fileName = `${base.replace(/[^\p{L}\p{N}._ -]+/gu, '').trim()}.${format}`;
  if (format === 'html') {
    return {
      bytes: new TextEncoder().encode(renderCompilationHtml(model)),
      contentType: 'text/html; charset=utf-8',
      fileName,
    };
  }
  return {
    bytes: await renderCompilationDocx(model),
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    fileName,
  };
}
