import { AppError } from '../errors';
import type { CommentsNotice } from './protocol';
import type {
  FrameworkView,
  RestoreResult,
  ReviewCommand,
  ReviewCommandResult,
} from '../framework';

/**
 * How the app (route handlers, server actions) reaches the sync server's open documents: write
 * through the document registry with a server origin, and tell a document's connections that its
 * comments changed. The sync server registers itself here on start; on globalThis because Next.js
 * bundles its own copy of this module.
 */
export interface LiveDocuments {
  /**
   * Runs a review command on the document (loaded if nobody has it open) in one transaction with
   * a server origin; the change is stored, relayed and sent to every connection like any other.
   * Plain data in and out: the app's bundle has its own yjs, which must never touch the
   * server's documents (see lib/framework/review-commands.ts).
   */
  command(documentId: string, command: ReviewCommand): Promise<ReviewCommandResult>;
  /**
   * Tells every connection of the document, on every instance, that its comments changed,
   * carrying the changed thread when given (see CommentsNotice).
   */
  notifyComments(documentId: string, notice: CommentsNotice): void;
  /**
   * The document's whole current state (loaded if nobody has it open) as one Yjs update: plain
   * bytes, which the app applies to a Y.Doc of its own yjs (saving a named version).
   */
  encodedState(documentId: string): Promise<Uint8Array>;
  /**
   * Writes what this instance holds of the document and has not stored yet (nothing when it is
   * not open here), so a reader of the database sees the current state.
   */
  flush(documentId: string): Promise<void>;
  /** Restores a version's content (a plain view) as one new change with a server origin. */
  restore(documentId: string, version: FrameworkView): Promise<RestoreResult>;
}

type GlobalWithLiveDocuments = typeof globalThis & { __briefingLiveDocuments?: LiveDocuments };

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
