import { encodeCommentsChangedMessage, type CommentsNotice } from '../../../lib/collab/protocol';
import type { LiveDocument } from './live-document';

/**
 * Tells this instance's synced connections of `document` that its comments changed: for a
 * notice from the app (the direct connection) or from another instance (the relay).
 */
export function sendCommentsChanged(document: LiveDocument, notice: CommentsNotice): void {
  const message = encodeCommentsChangedMessage(notice);
  for (const connection of document.connections) {
    if (connection.synced) connection.send(message);
  }
}
