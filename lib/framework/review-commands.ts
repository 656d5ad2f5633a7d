/**
 * The review workflow's writes to a document, as plain-data commands: the app sends a command
 * through the door (lib/collab/live-documents.ts) and the sync server runs it here, so the rules
 * are checked against the live state in one place, and a command could cross to another process.
 */
import type * as Y from 'yjs';
import { layerIds } from './doc';
import {
  agreementBlockers,
  checkTransition,
  isAgreedStatus,
  isLockedStatus,
  opposingParties,
  readLayerReviewState,
  silenceExpired,
  silenceRunning,
  writeLayerStatus,
  type LayerReviewState,
  type ReviewActor,
} from './review';
import type { LayerStatus, LayerStatusDetail } from './types';

export type StatusCommand = {
  kind: 'status';
  layerId: string;
  to: LayerStatus;
  actor: ReviewActor & { userId: string };
  confirmBy?: string;
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
  userId: string;
  party: string;
  reason: string;
  now: string;
};
export type SilenceExpireCommand = { kind: 'silence.expire'; layerId: string; now: string };

/** A change of a layer's review state that the workflow asks for. */
export type ReviewCommand =
  StatusCommand | SilenceStartCommand | SilenceBreakCommand | SilenceExpireCommand;

/** A layer's review state as one command wrote it: before and after. */
export type StatusWrite = { before: WrittenState; after: WrittenState };
export type WrittenState = { status: LayerStatus; detail: LayerStatusDetail };

/** What each command did when the rules let it: `written` is what a revert takes back. */
export type ReviewOutcomes = {
  status: { from: LayerStatus; to: LayerStatus; overridden: string[]; written: StatusWrite };
  'silence.start': { written: StatusWrite };
  'silence.break': { written: StatusWrite };
  'silence.expire':
    | { outcome: 'skipped' }
    | { outcome: 'blocked'; why: string; written: StatusWrite }
    | { outcome: 'agreed'; from: LayerStatus; written: StatusWrite };
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
      const opposing = opposingParties(state.positions);
      const override =
        command.override !== undefined && command.actor.canAgree && opposing.length > 0;
      if (isAgreedStatus(command.to)) {
        const blockers = agreementBlockers(state, override);
        if (blockers.length > 0) return fail('conflict', blockers.map((b) => b.message).join(' '));
      }
      const detail: LayerStatusDetail = {};
      if (command.to === 'agreed_ad_ref') detail.confirmBy = command.confirmBy;
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
        silenceExpired(state.statusDetail, new Date(command.now))
      ) {
        return fail('conflict', 'The layer is not under silence.');
      }
      const written = write(state.status, {
        ...state.statusDetail,
        silence: {
          ...state.statusDetail.silence!,
          broken: {
            by: command.userId,
            party: command.party,
            reason: command.reason,
            at: command.now,
          },
        },
      });
      return { ok: true, written };
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
      return { ok: true, outcome: 'agreed', from: state.status, written: write('agreed', {}) };
    }
  }
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
