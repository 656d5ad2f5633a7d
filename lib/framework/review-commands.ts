/**
 * The review workflow's writes to a document, as plain-data commands: the app sends a command
 * through the door (lib/collab/live-documents.ts) and the sync server runs it here, so the rules
 * are checked against the live state in one place, and a command could cross to another process.
 */
import type * as Y from 'yjs';
import { resolveBracket, type BracketChoice } from './brackets';
import {
  layerIds,
  readLayerView,
  readPackages,
  readParties,
  removePosition,
  setPosition,
} from './doc';
import { packageOf, packageTransitionRefusal } from './packages';
import {
  agreementBlockers,
  checkTransition,
  frozenBecause,
  gateOf,
  isAgreedStatus,
  isLockedStatus,
  opposingParties,
  readLayerReviewState,
  silenceExpired,
  silenceRunning,
  writeLayerStatus,
  type Bracket,
  type LayerReviewState,
  type ReviewActor,
} from './review';
import type {
  AdReferendum,
  DelegationAct,
  LayerStatus,
  LayerStatusDetail,
  Position,
  Stance,
} from './types';

export type StatusCommand = {
  kind: 'status';
  layerId: string;
  to: LayerStatus;
  actor: ReviewActor & { userId: string };
  confirmBy?: string;
  /** For agreed_ad_ref: party ids whose capitals must confirm (default: every party). */
  confirmers?: string[];
  override?: { reason: string };
  now: string;
};
export type SilenceStartCommand = {
  kind: 'silence.start';
  layerId: string;
  userId: string;
  until: string;
  now: string;
};
export type SilenceBreakCommand = {
  kind: 'silence.break';
  layerId: string;
  /** The delegation that objects, and who acted for it. */
  party: string;
  act: DelegationAct;
  reason: string;
};
/** A delegation states (or, with `stance` null, withdraws) its stance on a layer. */
export type PositionCommand = {
  kind: 'position';
  layerId: string;
  party: string;
  stance: Stance | null;
  note: string;
  act: DelegationAct;
};
/** A bracket is resolved: its text kept, or one of its alternatives chosen. */
export type BracketResolveCommand = {
  kind: 'bracket.resolve';
  layerId: string;
  bracketId: string;
  choice: BracketChoice;
  actor: ReviewActor;
};
/** A delegation's capital confirms an agreement ad referendum. */
export type AdReferendumConfirmCommand = {
  kind: 'adref.confirm';
  layerId: string;
  party: string;
  act: DelegationAct;
};
export type SilenceExpireCommand = { kind: 'silence.expire'; layerId: string; now: string };

/** A change of a layer's review state that the workflow asks for. */
export type ReviewCommand =
  | StatusCommand
  | SilenceStartCommand
  | SilenceBreakCommand
  | SilenceExpireCommand
  | PositionCommand
  | AdReferendumConfirmCommand
  | BracketResolveCommand;

/** A layer's review state as one command wrote it: before and after. */
export type StatusWrite = { before: WrittenState; after: WrittenState };
export type WrittenState = { status: LayerStatus; detail: LayerStatusDetail };

/** What each command did when the rules let it: `written` is what a revert takes back. */
export type ReviewOutcomes = {
  status: {
    from: LayerStatus;
    to: LayerStatus;
    overridden: string[];
    /** For agreed_ad_ref: who must confirm, and the layer's title (for the deadline index). */
    adReferendum?: { required: string[]; layerTitle: string; partyNames: Record<string, string> };
    written: StatusWrite;
  };
  'silence.start': { written: StatusWrite };
  'silence.break': { written: StatusWrite };
  /** `previous` is what a revert puts back (null: the party had not stated). */
  position: { previous: Position | null };
  'adref.confirm': { agreed: boolean; pending: string[]; written: StatusWrite };
  'bracket.resolve': { bracket: Bracket; chosen: string };
  'silence.expire':
    | { outcome: 'skipped' }
    | { outcome: 'blocked'; why: string; written: StatusWrite }
    | { outcome: 'agreed'; from: LayerStatus; to: LayerStatus; written: StatusWrite };
};

/** Why a command (or a revert) was refused. */
export type ReviewRefused = {
  ok: false;
  error: 'not_found' | 'forbidden' | 'conflict';
  message: string;
};

/** The result of `command`: its own outcome, or a refusal. */
export type ReviewCommandResult<C extends ReviewCommand = ReviewCommand> =
  ({ ok: true } & ReviewOutcomes[C['kind']]) | ReviewRefused;

/** The result of a revert: what it wrote (a revert can itself be reverted), or a refusal. */
export type RevertResult = { ok: true; written: StatusWrite } | ReviewRefused;

const fail = (error: ReviewRefused['error'], message: string): ReviewRefused => ({
  ok: false,
  error,
  message,
});

/** Writes a layer's review state, returning what it was and what it became. */
function writer(doc: Y.Doc, layerId: string, state: LayerReviewState, origin: unknown) {
  return (status: LayerStatus, detail: LayerStatusDetail): StatusWrite => {
    writeLayerStatus(doc, layerId, status, detail, origin);
    return {
      before: { status: state.status, detail: state.statusDetail },
      after: { status, detail: structuredClone(detail) },
    };
  };
}

/** Runs one review command on a document (one transaction with `origin`); never throws on rules. */
export function runReviewCommand<C extends ReviewCommand>(
  doc: Y.Doc,
  command: C,
  origin: unknown,
): ReviewCommandResult<C> {
  // Each branch returns the outcome of its own kind; TypeScript cannot narrow C by the switch.
  return runCommand(doc, command, origin) as ReviewCommandResult<C>;
}

/**
 * Undoes a command's write (`written` of its result) when what it wrote could not be recorded in
 * the database: the review event and the status must not part ways. Refused (conflict) when the
 * layer changed again since, so a later change is never clobbered.
 */
export function revertReviewWrite(
  doc: Y.Doc,
  layerId: string,
  written: StatusWrite,
  origin: unknown,
): RevertResult {
  const state = readLayerReviewState(doc, layerId);
  if (!state) return fail('not_found', 'Layer not found.');
  const { before, after } = written;
  if (!sameState({ status: state.status, detail: state.statusDetail }, after)) {
    return fail('conflict', 'The layer changed again since; nothing was reverted.');
  }
  return { ok: true, written: writer(doc, layerId, state, origin)(before.status, before.detail) };
}

/** Whether the document has a layer with this id. */
export function layerExists(doc: Y.Doc, layerId: string): boolean {
  return layerIds(doc).includes(layerId);
}

function runCommand(
  doc: Y.Doc,
  command: ReviewCommand,
  origin: unknown,
): ReviewCommandResult<ReviewCommand> {
  const state = readLayerReviewState(doc, command.layerId);
  if (!state) return fail('not_found', 'Layer not found.');
  const write = writer(doc, command.layerId, state, origin);
  switch (command.kind) {
    case 'status': {
      const verdict = checkTransition(state.status, command.to, command.actor, state.statusDetail);
      if (!verdict.ok)
        return fail(verdict.code === 'forbidden' ? 'forbidden' : 'conflict', verdict.message);
      const inPackage = packageOf(readPackages(doc), command.layerId);
      const packaged = packageTransitionRefusal(inPackage, state.status, command.to);
      if (packaged) return fail('conflict', packaged.message);
      const opposing = opposingParties(state.positions);
      const override =
        command.override !== undefined && command.actor.canAgree && opposing.length > 0;
      if (isAgreedStatus(command.to)) {
        const blockers = agreementBlockers(state, override);
        if (blockers.length > 0) return fail('conflict', blockers.map((b) => b.message).join(' '));
      }
      const pending = pendingConfirmations(state.statusDetail.adReferendum);
      if (command.to === 'agreed' && state.status === 'agreed_ad_ref' && pending.length > 0) {
        return fail(
          'conflict',
          `Agreed ad referendum: pending confirmation by ${pending.join(', ')}.`,
        );
      }
      const detail: LayerStatusDetail = {};
      if (command.to === 'agreed_ad_ref') {
        const parties = readParties(doc).map((p) => p.id);
        const required = command.confirmers ?? parties;
        const unknown = required.filter((p) => !parties.includes(p));
        if (unknown.length > 0)
          return fail('conflict', `Not a party to this framework: ${unknown.join(', ')}.`);
        if (required.length === 0)
          return fail('conflict', 'Name the delegations whose capitals must confirm.');
        detail.confirmBy = command.confirmBy;
        detail.adReferendum = { required: [...new Set(required)], confirmed: {} };
      }
      if (command.to === 'agreed' && state.statusDetail.adReferendum) {
        detail.adReferendum = state.statusDetail.adReferendum;
      }
      if (
        command.to === 'agreed' &&
        state.status === 'agreed_ad_ref' &&
        state.statusDetail.override
      ) {
        detail.override = state.statusDetail.override;
      }
      if (override) {
        detail.override = {
          by: command.actor.userId,
          at: command.now,
          parties: opposing,
          reason: command.override!.reason,
        };
      }
      return {
        ok: true,
        from: state.status,
        to: command.to,
        overridden: override ? opposing : [],
        ...(detail.adReferendum &&
          command.to === 'agreed_ad_ref' && {
            adReferendum: {
              required: detail.adReferendum.required,
              layerTitle: readLayerView(doc, command.layerId)?.title ?? '',
              partyNames: Object.fromEntries(readParties(doc).map((p) => [p.id, p.name])),
            },
          }),
        written: write(command.to, detail),
      };
    }
    case 'silence.start': {
      if (isLockedStatus(state.status)) return fail('conflict', 'The layer is already agreed.');
      if (silenceRunning(state.statusDetail))
        return fail('conflict', 'The layer is already under silence.');
      const written = write(state.status, {
        ...state.statusDetail,
        silence: { until: command.until, startedBy: command.userId, startedAt: command.now },
      });
      return { ok: true, written };
    }
    case 'silence.break': {
      if (
        !silenceRunning(state.statusDetail) ||
        silenceExpired(state.statusDetail, new Date(command.act.at))
      ) {
        return fail('conflict', 'The layer is not under silence.');
      }
      if (!readParties(doc).some((p) => p.id === command.party))
        return fail('forbidden', 'Your delegation is not a party to this framework.');
      const { by, name, chair, at } = command.act;
      const written = write(state.status, {
        ...state.statusDetail,
        silence: {
          ...state.statusDetail.silence!,
          broken: { by, name, chair, party: command.party, reason: command.reason, at },
        },
      });
      return { ok: true, written };
    }
    case 'position': {
      if (!readParties(doc).some((p) => p.id === command.party))
        return fail('forbidden', 'That delegation is not a party to this framework.');
      const frozen = frozenBecause(gateOf(state.status, state.statusDetail));
      if (frozen) {
        const why = frozen.code === 'under_silence' ? ' Break the silence to object.' : '';
        return fail('conflict', frozen.message + why);
      }
      const previous = readLayerView(doc, command.layerId)?.positions[command.party] ?? null;
      doc.transact(() => {
        if (command.stance === null) removePosition(doc, command.layerId, command.party, origin);
        else
          setPosition(
            doc,
            command.layerId,
            command.party,
            { stance: command.stance, note: command.note, statedBy: command.act },
            origin,
          );
      }, origin);
      return { ok: true, previous };
    }
    case 'bracket.resolve': {
      if (!command.actor.canEdit) return fail('forbidden', 'You may not change the text.');
      const frozen = frozenBecause(gateOf(state.status, state.statusDetail));
      if (frozen) return fail('conflict', frozen.message);
      const done = resolveBracket(doc, command.layerId, command.bracketId, command.choice, origin);
      if (!done) return fail('not_found', 'That bracket or alternative is no longer there.');
      return { ok: true, ...done };
    }
    case 'adref.confirm': {
      const adRef = state.statusDetail.adReferendum;
      if (state.status !== 'agreed_ad_ref' || !adRef)
        return fail('conflict', 'The layer is not agreed ad referendum.');
      if (!adRef.required.includes(command.party))
        return fail('forbidden', 'Your delegation is not asked to confirm this agreement.');
      if (adRef.confirmed[command.party])
        return fail('conflict', 'Your delegation has already confirmed.');
      const next: AdReferendum = {
        required: adRef.required,
        confirmed: { ...adRef.confirmed, [command.party]: command.act },
      };
      const pending = pendingConfirmations(next);
      const detail: LayerStatusDetail = { ...state.statusDetail, adReferendum: next };
      if (pending.length > 0) {
        return { ok: true, agreed: false, pending, written: write(state.status, detail) };
      }
      // The last capital confirmed: the layer is agreed, keeping the record of who confirmed.
      const { confirmBy: _done, ...rest } = detail;
      return { ok: true, agreed: true, pending, written: write('agreed', rest) };
    }
    case 'silence.expire': {
      if (!silenceExpired(state.statusDetail, new Date(command.now)))
        return { ok: true, outcome: 'skipped' };
      const blockers = agreementBlockers(state, false);
      const { silence: _ended, ...rest } = state.statusDetail;
      if (blockers.length > 0) {
        const written = write(state.status, rest);
        const why = blockers.map((b) => b.message).join(' ');
        return { ok: true, outcome: 'blocked', why, written };
      }
      // In a package, the silence agrees the layer in package; the package is agreed in one act.
      const to = packageOf(readPackages(doc), command.layerId) ? 'agreed_in_package' : 'agreed';
      return { ok: true, outcome: 'agreed', from: state.status, to, written: write(to, {}) };
    }
  }
}

/** The parties asked to confirm an agreement ad referendum that have not yet. */
export function pendingConfirmations(adRef: AdReferendum | undefined): string[] {
  return adRef ? adRef.required.filter((p) => !adRef.confirmed[p]) : [];
}

/** Status and detail equal (details are small plain JSON written whole). */
function sameState(a: WrittenState, b: WrittenState): boolean {
  return a.status === b.status && canonical(a.detail) === canonical(b.detail);
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => x.localeCompare(y)))
      : v,
  );
}
