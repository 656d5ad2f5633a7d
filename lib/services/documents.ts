import * as Y from 'yjs';
import type { Database } from '../../db/client';
import { findLatestSnapshot, listDocumentUpdates } from '../../db/queries/documents';
import { requireFramework } from './access';

/**
 * The stored state of a framework's document as one Yjs update, for a member who may read it.
 * The editor page sends it with the HTML so the framework renders before the websocket has
 * synced; anything newer (changes not yet written) arrives with the sync a moment later.
 */
export async function readStoredDocument(
  db: Database,
  userId: string,
  workspaceId: string,
  frameworkId: string,
): Promise<Uint8Array> {
  const { framework } = await requireFramework(
    db,
    userId,
    workspaceId,
    frameworkId,
    'framework.read',
  );
  const [snapshot, rows] = await Promise.all([
    findLatestSnapshot(db, framework.id),
    listDocumentUpdates(db, framework.id),
  ]);
  const parts = [...(snapshot ? [snapshot.state] : []), ...rows.map((r) => r.update)];
  if (parts.length === 0) return Y.encodeStateAsUpdate(new Y.Doc());
  return parts.length === 1 ? parts[0]! : Y.mergeUpdates(parts);
}
