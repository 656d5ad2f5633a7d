/**
 * Amendments as the document sees them: what an amendment targets (a passage of a layer's
 * narrative, or one structured field), what that target reads now, and the one command that
 * applies an accepted amendment. The record itself (number, sponsors, status) lives in the
 * database; the document only ever receives the accepted change, as one server transaction.
 */
import type * as Y from 'yjs';
import {
  addCommitment,
  addTrigger,
  FrameworkError,
  readLayerView,
  readParties,
  removeCommitment,
  removeTrigger,
  setLayerField,
  updateCommitment,
  updateTrigger,
} from './doc';
import { markAttributes } from './narrative';
import { passageRange, type PassageAnchor } from './passage';
import { runsText, type ProposalRun } from './proposal-runs';
import { frozenBecause, gateOf, readLayerReviewState } from './review';
import { triggerSentence } from './trigger-sentence';
import { COMMITMENT_TYPE_LABELS, type CommitmentType } from './types';

export const COMMITMENT_AMENDABLE_FIELDS = [
  'party',
  'quantity',
  'unit',
  'conditions',
  'period',
] as const;
export const TRIGGER_AMENDABLE_FIELDS = ['condition', 'response', 'deadlineHours'] as const;
export type CommitmentAmendableField = (typeof COMMITMENT_AMENDABLE_FIELDS)[number];
export type TriggerAmendableField = (typeof TRIGGER_AMENDABLE_FIELDS)[number];

/** A commitment row an amendment proposes to add to a layer. */
export type ProposedCommitment = {
  type: CommitmentType;
  /** Party id ('' for none yet). */
  party: string;
  quantity: number | null;
  unit: string;
  conditions: string;
  period: string;
};

/** A trigger an amendment proposes to add to a layer. */
export type ProposedTrigger = {
  condition: string;
  response: string;
  /** Hours from the condition to the required response; null when not proposed. */
  deadlineHours: number | null;
  /**
   * Party ids of the parties that must respond. Absent in amendments
   * tabled before a proposal could name them: read as none.
   */
  responsibleParties?: string[];
};

/** What an amendment changes. */
export type AmendmentTarget =
  | { kind: 'passage'; anchor: PassageAnchor }
  /** A new row: nothing reads there before it is accepted. */
  | { kind: 'row'; item: 'commitment'; row: ProposedCommitment }
  | { kind: 'row'; item: 'trigger'; row: ProposedTrigger }
  /** Deleting a row: it reads as the whole row, so any change to it since tabling shows. */
  | { kind: 'remove'; item: 'commitment'; id: string }
  | { kind: 'remove'; item: 'trigger'; id: string }
  | { kind: 'field'; item: 'layer'; field: 'lead' }
  | { kind: 'field'; item: 'commitment'; id: string; field: CommitmentAmendableField }
  | { kind: 'field'; item: 'trigger'; id: string; field: TriggerAmendableField };

/** Fields whose value is a party id ('' for none). */
const PARTY_FIELDS = new Set(['lead', 'party']);
/** Fields whose value is a number ('' for not set). */
const NUMBER_FIELDS = new Set(['quantity', 'deadlineHours']);

/**
 * How a proposed commitment row reads, as its amendment's proposed text: "France: 2000
 * personnel (Troops), Two-year commitment; if the ceasefire holds". Made from the row on the
 * server, never taken from the client.
 */
export function describeProposedCommitment(
  row: ProposedCommitment,
  partyName: (id: string) => string,
): string {
  const who = row.party ? partyName(row.party) : 'No party yet';
  const amount = [row.quantity === null ? '' : String(row.quantity), row.unit.trim()]
    .filter(Boolean)
    .join(' ');
  const what = `${amount ? `${amount} ` : ''}(${COMMITMENT_TYPE_LABELS[row.type]})`;
  const period = row.period.trim() ? `, ${row.period.trim()}` : '';
  const conditions = row.conditions.trim() ? `; ${row.conditions.trim()}` : '';
  return `${who}: ${what}${period}${conditions}`;
}

export function isPartyField(target: AmendmentTarget): boolean {
  return target.kind === 'field' && PARTY_FIELDS.has(target.field);
}

/** A field's value as text: numbers in decimal, party ids as they are, nothing as ''. */
function asText(value: string | number | null | undefined): string {
  return value === null || value === undefined ? '' : String(value);
}

/**
 * What the target reads in the document now, as the amendment's base and proposal are written
 * (a passage's exact characters; a field's value as text). Null when the target is gone: the
 * layer, the row, or a passage whose anchors no longer resolve within one run of text.
 */
export function readAmendmentTarget(
  doc: Y.Doc,
  layerId: string,
  target: AmendmentTarget,
): string | null {
  if (target.kind === 'passage') {
    // A passage deleted whole leaves its anchors side by side: nothing to amend any more.
    return passageRange(doc, layerId, target.anchor)?.text || null;
  }
  const layer = readLayerView(doc, layerId);
  if (!layer) return null;
  if (target.kind === 'row') return '';
  if (target.kind === 'remove') {
    // Every field of the row is in its words, so an edit to any of them reads as "moved on".
    const parties = readParties(doc);
    const partyName = (id: string) => parties.find((p) => p.id === id)?.name ?? id;
    if (target.item === 'trigger') {
      const row = layer.triggers.find((t) => t.id === target.id);
      if (!row) return null;
      // In the export's words, responsible parties included, as the new trigger proposals read.
      return triggerSentence(
        { ...row, responsible: row.responsibleParties.map(partyName) },
        parties.map((p) => p.name),
      );
    }
    const row = layer.commitments.find((c) => c.id === target.id);
    if (!row) return null;
    return describeProposedCommitment(row, partyName);
  }
  if (target.item === 'layer') return asText(layer.lead);
  if (target.item === 'commitment') {
    const row = layer.commitments.find((c) => c.id === target.id);
    return row ? asText(row[target.field]) : null;
  }
  const row = layer.triggers.find((t) => t.id === target.id);
  return row ? asText(row[target.field]) : null;
}

/**
 * Checks a proposed field value before it is tabled: a number where one is wanted, a party of
 * this framework where a party is. Returns the problem, or null.
 */
export function proposalProblem(doc: Y.Doc, target: AmendmentTarget, proposed: string) {
  if (target.kind === 'remove') return null;
  if (target.kind === 'row' && target.item === 'trigger') {
    const { condition, response, deadlineHours, responsibleParties = [] } = target.row;
    if (deadlineHours !== null && (!Number.isFinite(deadlineHours) || deadlineHours < 0)) {
      return 'Propose a deadline of zero hours or more.';
    }
    if (!condition.trim() && !response.trim()) {
      return 'Say what triggers the response, or what the response is.';
    }
    if (new Set(responsibleParties).size !== responsibleParties.length) {
      return 'Name each responsible party once.';
    }
    const known = new Set(readParties(doc).map((p) => p.id));
    if (responsibleParties.some((id) => !known.has(id))) {
      return 'Propose parties to this framework as responsible.';
    }
    return null;
  }
  if (target.kind === 'row') {
    const { party, quantity } = target.row;
    if (quantity !== null && (!Number.isFinite(quantity) || quantity < 0)) {
      return 'Propose a number of zero or more.';
    }
    if (party && !readParties(doc).some((p) => p.id === party)) {
      return 'Propose one of the parties to this framework.';
    }
    return null;
  }
  if (target.kind !== 'field') return null;
  if (NUMBER_FIELDS.has(target.field) && proposed !== '') {
    const n = Number(proposed);
    if (!Number.isFinite(n) || n < 0) return 'Propose a number of zero or more.';
  }
  if (PARTY_FIELDS.has(target.field) && proposed !== '') {
    if (!readParties(doc).some((p) => p.id === proposed)) {
      return 'Propose one of the parties to this framework.';
    }
  }
  return null;
}

export type AmendmentApplyCommand = {
  kind: 'amendment.apply';
  layerId: string;
  target: AmendmentTarget;
  /** The text the amendment was made against. */
  base: string;
  proposed: string;
  /**
   * The proposed wording of a passage with its formatting (its texts joined are `proposed`);
   * null: plain text, which takes the formatting the passage starts with.
   */
  proposedRuns: ProposalRun[] | null;
  /**
   * The chair saw that the passage changed since tabling and applies the proposal to the current
   * text anyway (never done without this explicit choice).
   */
  overCurrent: boolean;
};

export type AmendmentApplyResult =
  | { ok: true }
  | { ok: false; error: 'conflict'; reason: 'frozen'; message: string }
  | { ok: false; error: 'conflict'; reason: 'gone'; message: string }
  /** The target reads differently from the base: the chair compares and decides. */
  | { ok: false; error: 'conflict'; reason: 'moved_on'; message: string; current: string }
  | { ok: false; error: 'bad_request'; reason: 'invalid'; message: string };

/**
 * Applies an accepted amendment to the live document in one transaction with `origin`. Refused
 * when the layer is frozen (agreed, or under silence), when the target is gone, and when the
 * target moved on since tabling (unless `overCurrent`): never a silent wrong merge.
 */
export function applyAmendment(
  doc: Y.Doc,
  command: AmendmentApplyCommand,
  origin: unknown,
): AmendmentApplyResult {
  const state = readLayerReviewState(doc, command.layerId);
  if (!state) return gone('The layer of this amendment is no longer in the framework.');
  const frozen = frozenBecause(gateOf(state.status, state.statusDetail));
  if (frozen) return { ok: false, error: 'conflict', reason: 'frozen', message: frozen.message };
  const current = readAmendmentTarget(doc, command.layerId, command.target);
  if (current === null) {
    return gone(
      command.target.kind === 'passage'
        ? 'The passage this amendment changes is no longer in the text as one run: apply it by hand.'
        : command.target.kind === 'remove'
          ? `The ${command.target.item === 'trigger' ? 'trigger' : 'commitment row'} this amendment removes is no longer in the layer: nothing was applied; resolve it by hand.`
          : 'The row this amendment changes is no longer in the layer.',
    );
  }
  if (current !== command.base && !command.overCurrent) {
    return {
      ok: false,
      error: 'conflict',
      reason: 'moved_on',
      message: 'The text changed since this amendment was tabled: compare and decide.',
      current,
    };
  }
  const problem = proposalProblem(doc, command.target, command.proposed);
  if (problem) return { ok: false, error: 'bad_request', reason: 'invalid', message: problem };
  try {
    doc.transact(
      () =>
        writeTarget(doc, command.layerId, command.target, command.proposed, command.proposedRuns),
      origin,
    );
  } catch (error) {
    if (error instanceof FrameworkError) {
      return { ok: false, error: 'bad_request', reason: 'invalid', message: error.message };
    }
    throw error;
  }
  return { ok: true };
}

function gone(message: string): AmendmentApplyResult {
  return { ok: false, error: 'conflict', reason: 'gone', message };
}

function writeTarget(
  doc: Y.Doc,
  layerId: string,
  target: AmendmentTarget,
  proposed: string,
  runs: ProposalRun[] | null,
) {
  if (target.kind === 'passage') {
    const range = passageRange(doc, layerId, target.anchor);
    if (!range) return;
    // Plain wording keeps the formatting the passage starts with (bold, a bracket's mark);
    // formatted wording brings its own, and keeps only the rest (a bracket's mark).
    const attributes = attributesAt(range.node, range.from) ?? {};
    range.node.delete(range.from, range.to - range.from);
    if (runs && runsText(runs) === proposed) {
      const kept = withoutFormatting(attributes);
      let at = range.from;
      for (const run of runs) {
        range.node.insert(at, run.text, { ...kept, ...markAttributes(run.marks) });
        at += run.text.length;
      }
    } else if (proposed) range.node.insert(range.from, proposed, attributes);
    return;
  }
  if (target.kind === 'row') {
    if (target.item === 'trigger') {
      addTrigger(doc, layerId, {
        ...target.row,
        responsibleParties: target.row.responsibleParties ?? [],
      });
    } else addCommitment(doc, layerId, { ...target.row });
    return;
  }
  if (target.kind === 'remove') {
    if (target.item === 'trigger') removeTrigger(doc, layerId, target.id);
    else removeCommitment(doc, layerId, target.id);
    return;
  }
  const value = NUMBER_FIELDS.has(target.field)
    ? proposed === ''
      ? null
      : Number(proposed)
    : proposed;
  if (target.item === 'layer') {
    setLayerField(doc, layerId, 'lead', proposed === '' ? null : proposed);
  } else if (target.item === 'commitment') {
    updateCommitment(doc, layerId, target.id, { [target.field]: value });
  } else {
    updateTrigger(doc, layerId, target.id, { [target.field]: value });
  }
}

/** Attribute names of the marks a proposal sets itself (`name--id` for several of a kind). */
const FORMATTING = new Set(['bold', 'strong', 'italic', 'em', 'link']);

function withoutFormatting(attributes: object): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(attributes).filter(([name]) => !FORMATTING.has(name.split('--')[0]!)),
  );
}

/** The formatting attributes of the character at `index` of a text node. */
function attributesAt(node: Y.XmlText, index: number): object | undefined {
  let at = 0;
  for (const op of node.toDelta() as Array<{ insert?: unknown; attributes?: object }>) {
    const length = typeof op.insert === 'string' ? op.insert.length : 1;
    if (index < at + length) return op.attributes;
    at += length;
  }
  return undefined;
}
