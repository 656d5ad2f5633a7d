import { AppError } from '../errors';
import type {
  AmendmentApplyCommand,
  AmendmentApplyResult,
  AmendmentTarget,
  FrameworkView,
  PackageCommand,
  PackageCommandResult,
  PackageRefused,
  PackageWrite,
  PassageAnchor,
  ProposalRun,
  RestoreResult,
  ReviewCommand,
  ReviewCommandResult,
  RevertResult,
  StatusWrite,
} from '../framework';
import type { CommentsNotice } from './protocol';

/**
 * Someone's access changed: role change, removal, a framework deleted or archived, or sessions of
 * a user ended (signed out from another browser, password changed or reset).
 */
export type AccessChange =
  | { kind: 'member'; workspaceId: string; userId: string }
  | { kind: 'framework'; workspaceId: string; frameworkId: string }
  | { kind: 'sessions'; userId: string };

/**
 * The one door between the app (route handlers, server actions, use cases in lib/services) and
 * the sync server's live documents. The server implements it with its direct connection
 * (server/collab/direct/) and registers it once at start; the app finds it with
 * `liveDocuments()`. Commands change documents, queries read them, notices tell connections.
 *
 * Plain data in and out: the app never holds a live Y.Doc, so every write goes through a command
 * the server checks and runs as one transaction with its own origin (see lib/framework).
 */
export interface LiveDocuments {
  readonly commands: LiveCommands;
  readonly queries: LiveQueries;
  readonly notices: LiveNotices;
}

/** Writes to live documents, each one transaction with a server origin naming what it is. */
export interface LiveCommands {
  /**
   * Runs a review command on the document (loaded if nobody has it open); the change is stored,
   * relayed and sent to every connection like any other.
   */
  review<C extends ReviewCommand>(documentId: string, command: C): Promise<ReviewCommandResult<C>>;
  /** Takes back what a review command wrote, unless the layer changed again since. */
  revertReview(documentId: string, layerId: string, written: StatusWrite): Promise<RevertResult>;
  /** Runs a package command (lib/framework/packages.ts): several layers and the packages at once. */
  package<C extends PackageCommand>(
    documentId: string,
    command: C,
  ): Promise<PackageCommandResult<C>>;
  /** Takes back what a package command wrote, unless the packages or its layers changed since. */
  revertPackage(
    documentId: string,
    written: PackageWrite,
  ): Promise<{ ok: true; written: PackageWrite } | PackageRefused>;
  /**
   * Applies an accepted amendment as one change (lib/framework/amendments.ts), refused when the
   * layer is frozen or the target moved on; `authorId` is recorded as the change's author.
   */
  amendment(
    documentId: string,
    command: AmendmentApplyCommand,
    authorId: string | null,
  ): Promise<AmendmentApplyResult>;
  /** Restores a version's content (a plain view) as one new change. */
  restore(documentId: string, version: FrameworkView): Promise<RestoreResult>;
  /**
   * Writes what this instance holds of the document and has not stored yet (nothing when it is
   * not open here), so a reader of the database sees the current state.
   */
  flush(documentId: string): Promise<void>;
}

/** Reads of live documents (loaded if nobody has them open); they change nothing. */
export interface LiveQueries {
  /** The document's whole current state as one Yjs update (saving a named version). */
  encodedState(documentId: string): Promise<Uint8Array>;
  layerExists(documentId: string, layerId: string): Promise<boolean>;
  /**
   * The text of a layer's narrative at an anchor, bounded (lib/framework passageText); null when
   * the anchor is not a passage of that layer's text.
   */
  passageText(documentId: string, layerId: string, anchor: PassageAnchor): Promise<string | null>;
  /**
   * What an amendment's target reads now (null: gone), and what is wrong with a proposal for it
   * (null: nothing), from lib/framework/amendments.ts.
   */
  amendmentTarget(
    documentId: string,
    layerId: string,
    target: AmendmentTarget,
    proposed: string,
  ): Promise<{
    current: string | null;
    /** A passage's words now with their formatting (null: not a passage, or gone). */
    currentRuns: ProposalRun[] | null;
    problem: string | null;
    /** Why the layer is frozen (agreed: 'locked'; 'under_silence'), or null. */
    frozen: { code: string; message: string } | null;
    parties: Array<{ id: string; name: string }>;
    /** The layer's lead party id ('' for none). */
    lead: string;
  }>;
  /** What each target reads now (null: gone), in the order given. */
  amendmentTargetsNow(
    documentId: string,
    targets: Array<{ layerId: string; target: AmendmentTarget }>,
  ): Promise<Array<string | null>>;
}

/** Messages to the connections of live documents, on every instance. Fire and forget. */
export interface LiveNotices {
  /** A document's comments changed, carrying the changed thread when given (see CommentsNotice). */
  commentsChanged(documentId: string, notice: CommentsNotice): void;
  /** Open connections affected by the change re-check their access now (not at the next round). */
  accessChanged(change: AccessChange): void;
}

type GlobalWithLiveDocuments = typeof globalThis & { __briefingLiveDocuments?: LiveDocuments };

/**
 * Registers the sync server's implementation; on globalThis because Next.js bundles its own copy
 * of this module, and the app's copy must find what the custom server registered.
 */
export function registerLiveDocuments(live: LiveDocuments): void {
  (globalThis as GlobalWithLiveDocuments).__briefingLiveDocuments = live;
}

/** Forgets `live` if it is the registered one (a closing server; tests run several). */
export function unregisterLiveDocuments(live: LiveDocuments): void {
  const g = globalThis as GlobalWithLiveDocuments;
  if (g.__briefingLiveDocuments === live) g.__briefingLiveDocuments = undefined;
}

/** The registered live documents; "unavailable" when no sync server runs in this process. */
export function liveDocuments(): LiveDocuments {
  const live = liveDocumentsIfRunning();
  if (!live) throw new AppError('unavailable', 'The document server is not running.', 'live');
  return live;
}

/** The registered live documents, or null when no sync server runs in this process. */
export function liveDocumentsIfRunning(): LiveDocuments | null {
  return (globalThis as GlobalWithLiveDocuments).__briefingLiveDocuments ?? null;
}
