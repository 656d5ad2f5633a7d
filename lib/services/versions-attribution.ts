/**
 * Reading attribution back for a comparison of versions: kept attributions (of log rows that
 * compaction folded) plus the rows not yet folded. The id arithmetic and the stored form are
 * lib/framework/attribution.ts; keeping attributions at compaction is the sync server's
 * persistence, through db/queries/attribution.ts.
 */
import { listAttributedUpdates, listAttributions } from '../../db/queries/attribution';
import type { Database } from '../../db/client';
import {
  authoredChangesOf,
  changeSetsByAuthor,
  type AuthoredChanges,
} from '../framework/attribution';

/** Every author's ChangeSet of a document: kept attributions plus the log not yet compacted. */
export async function loadAuthoredChanges(
  db: Database,
  frameworkId: string,
): Promise<AuthoredChanges[]> {
  const [kept, rows] = await Promise.all([
    listAttributions(db, frameworkId),
    listAttributedUpdates(db, frameworkId),
  ]);
  return [...authoredChangesOf(kept), ...changeSetsByAuthor(rows)];
}
