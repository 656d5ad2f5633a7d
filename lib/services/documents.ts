import * as Y from 'yjs';
import type { Database } from '../../db/client';
import { findLatestSnapshot, listDocumentUpdates } from '../../db/queries/documents';
import type { LiveDocuments } from '../collab/live-documents';

/**
 * The stored state of a framework's document as one Yjs update. Callers have already authorised
 * the reader for this framework (the editor page, export and versions all do it first), so this
 * only reads. The editor page sends it with the HTML so the framework renders before the
 * websocket has synced; anything newer (changes not yet written) arrives with the sync.
 */
export async function readStoredDocument(db: Database, frameworkId: string): Promise<Uint8Array> {
  const [snapshot, rows] = await Promise.all([
    findLatestSnapshot(db, frameworkId),
    listDocumentUpdates(db, frameworkId),
  ]);
  const parts = [...(snapshot ? [snapshot.state] : []), ...rows.map((r) => r.update)];
  if (parts.length === 0) return Y.encodeStateAsUpdate(new Y.Doc());
  return parts.length === 1 ? parts[0]! : Y.mergeUpdates(parts);
}

/**
 * The document as people see it now: what the live document on this instance holds and has not
 * stored yet (the writer waits for a quiet period) is written first, then the store is read.
 * For readers that show or hand out the text itself: read mode's first paint, exports, "compare
 * with current".
 */
export async function readCurrentDocument(
  db: Database,
  frameworkId: string,
  live: LiveDocuments | null,
): Promise<Uint8Array> {
  await live?.commands.flush(frameworkId);
  return readStoredDocument(db, frameworkId);
}
