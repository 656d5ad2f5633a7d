import * as Y from 'yjs';
import type {
  AccessChange,
  LiveDocuments,
  LiveCommands,
  LiveNotices,
  LiveQueries,
} from '../../../lib/collab/live-documents';
import type { CommentsNotice } from '../../../lib/collab/protocol';
import {
  applyAmendment,
  frozenBecause,
  gateOf,
  layerExists,
  proposalProblem,
  readAmendmentTarget,
  passageRuns,
  readLayerLead,
  readLayerReviewState,
  readParties,
  passageText,
  restoreFramework,
  revertPackageWrite,
  revertReviewWrite,
  runPackageCommand,
  runReviewCommand,
} from '../../../lib/framework';
import { sendCommentsChanged } from '../document/comments-changed';
import { ServerOrigin } from '../document/server-origin';
import type { DocumentRegistry } from '../document/registry';

/** What the direct connection needs from the rest of the sync server. */
export type DirectConnectionDeps = {
  registry: DocumentRegistry;
  /** Writes what this instance holds of a document and has not stored yet. */
  flush(documentId: string): Promise<void>;
  /** Carries a comments notice to the other instances (their connections may have it open). */
  publishComments(documentId: string, notice: CommentsNotice): void;
  /** Re-checks this instance's connections affected by an access change. */
  recheckAccess(change: AccessChange): void;
  /** Carries an access change to the other instances. */
  publishAccessChange(change: AccessChange): void;
};

/**
 * The server side of the one door (lib/collab/live-documents.ts), like Hocuspocus's
 * `openDirectConnection`: the only way code outside the sync server touches a live document. Each
 * operation takes the document from the registry (loading it when nobody has it open), runs in
 * one transaction with a ServerOrigin, and lets go; the change is then stored, relayed and sent
 * to every connection like any other.
 */
export class DirectConnection implements LiveDocuments {
  readonly commands: LiveCommands;
  readonly queries: LiveQueries;
  readonly notices: LiveNotices;

  constructor(private readonly deps: DirectConnectionDeps) {
    this.commands = {
      review: (documentId, command) =>
        this.write(documentId, (doc, origin) => runReviewCommand(doc, command, origin), 'review'),
      revertReview: (documentId, layerId, written) =>
        this.write(
          documentId,
          (doc, origin) => revertReviewWrite(doc, layerId, written, origin),
          'review',
        ),
      package: (documentId, command) =>
        this.write(documentId, (doc, origin) => runPackageCommand(doc, command, origin), 'review'),
      revertPackage: (documentId, written) =>
        this.write(documentId, (doc, origin) => revertPackageWrite(doc, written, origin), 'review'),
      amendment: (documentId, command, authorId) =>
        this.write(
          documentId,
          (doc, origin) => applyAmendment(doc, command, origin),
          'amendment',
          authorId,
        ),
      restore: (documentId, version) =>
        this.write(documentId, (doc, origin) => restoreFramework(doc, version, origin), 'restore'),
      flush: (documentId) => deps.flush(documentId),
    };
    this.queries = {
      encodedState: (documentId) => this.read(documentId, (doc) => Y.encodeStateAsUpdate(doc)),
      layerExists: (documentId, layerId) =>
        this.read(documentId, (doc) => layerExists(doc, layerId)),
      passageText: (documentId, layerId, anchor) =>
        this.read(documentId, (doc) => passageText(doc, layerId, anchor)),
      amendmentTarget: (documentId, layerId, target, proposed) =>
        this.read(documentId, (doc) => {
          const state = readLayerReviewState(doc, layerId);
          const frozen = state && frozenBecause(gateOf(state.status, state.statusDetail));
          return {
            current: readAmendmentTarget(doc, layerId, target),
            currentRuns:
              target.kind === 'passage' ? passageRuns(doc, layerId, target.anchor) : null,
            problem: proposalProblem(doc, target, proposed),
            frozen: frozen ? { code: frozen.code, message: frozen.message } : null,
            parties: readParties(doc),
            lead: readLayerLead(doc, layerId),
          };
        }),
      amendmentTargetsNow: (documentId, targets) =>
        this.read(documentId, (doc) =>
          targets.map(({ layerId, target }) => readAmendmentTarget(doc, layerId, target)),
        ),
    };
    this.notices = {
      commentsChanged: (documentId, notice) => {
        const document = deps.registry.documents.get(documentId);
        if (document) sendCommentsChanged(document, notice);
        deps.publishComments(documentId, notice);
      },
      accessChanged: (change) => {
        deps.recheckAccess(change);
        deps.publishAccessChange(change);
      },
    };
  }

  /**
   * Runs `fn` on the document in one transaction with a server origin. For the server's own code
   * and tests, which share the server's yjs; the app goes through `commands`.
   */
  async write<T>(
    documentId: string,
    fn: (doc: Y.Doc, origin: ServerOrigin) => T,
    reason = 'review',
    authorId: string | null = null,
  ): Promise<T> {
    const document = await this.deps.registry.acquire(documentId);
    try {
      const origin = new ServerOrigin(reason, authorId);
      let result!: T;
      document.doc.transact(() => {
        result = fn(document.doc, origin);
      }, origin);
      return result;
    } finally {
      this.deps.registry.release(document);
    }
  }

  /** Runs `fn` on the document (loaded if nobody has it open); for server code and tests. */
  async read<T>(documentId: string, fn: (doc: Y.Doc) => T): Promise<T> {
    const document = await this.deps.registry.acquire(documentId);
    try {
      return fn(document.doc);
    } finally {
      this.deps.registry.release(document);
    }
  }
}
