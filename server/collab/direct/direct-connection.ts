import { encodeCommentsChangedMessage, type CommentsNotice } from '../../../lib/collab/protocol';
import * as Y from 'yjs';
import type { LiveDocuments } from '../../../lib/collab/live-documents';
import { restoreFramework, runReviewCommand } from '../../../lib/framework';
import type { LiveDocument } from '../document/live-document';
import type { DocumentRegistry } from '../document/registry';

/** The origin of changes the server makes itself (review workflow, silence expiry). */
export class ServerOrigin {
  constructor(readonly reason: string) {}
}

/** LiveDocuments plus direct access for the server's own code and tests (same yjs copy). */
export type ServerLiveDocuments = LiveDocuments & {
  /** Runs `fn` on the document in one transaction with a server origin. */
  write<T>(documentId: string, fn: (doc: Y.Doc, origin: unknown) => T): Promise<T>;
  read<T>(documentId: string, fn: (doc: Y.Doc) => T): Promise<T>;
};

/** Tells this instance's synced connections of `document` that its comments changed. */
export function sendCommentsChanged(document: LiveDocument, notice: CommentsNotice): void {
  const message = encodeCommentsChangedMessage(notice);
  for (const connection of document.connections) {
    if (connection.synced) connection.send(message);
  }
}

/**
 * LiveDocuments over this instance's registry (see lib/collab/live-documents.ts).
 * `publishComments` carries a comment change to the other instances, whose connections may have
 * the document open even when nobody here does.
 */
export function liveDocumentsOf(
  registry: DocumentRegistry,
  publishComments: (documentId: string, notice: CommentsNotice) => void = () => undefined,
  flush: (documentId: string) => Promise<void> = async () => undefined,
): ServerLiveDocuments {
  const live: ServerLiveDocuments = {
    command(documentId, command) {
      return live.write(documentId, (doc, origin) => runReviewCommand(doc, command, origin));
    },
    async write(documentId, fn) {
      const document = await registry.acquire(documentId);
      try {
        const origin = new ServerOrigin('review');
        let result!: ReturnType<typeof fn>;
        document.doc.transact(() => {
          result = fn(document.doc, origin);
        }, origin);
        return result;
      } finally {
        registry.release(document);
      }
    },
    async read(documentId, fn) {
      const document = await registry.acquire(documentId);
      try {
        return fn(document.doc);
      } finally {
        registry.release(document);
      }
    },
    restore(documentId, version) {
      return live.write(documentId, (doc, origin) => restoreFramework(doc, version, origin));
    },
    flush,
    encodedState(documentId) {
      return live.read(documentId, (doc) => Y.encodeStateAsUpdate(doc));
    },
    notifyComments(documentId, notice) {
      const document = registry.documents.get(documentId);
      if (document) sendCommentsChanged(document, notice);
      publishComments(documentId, notice);
    },
  };
  return live;
}
