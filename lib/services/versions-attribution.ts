/**
 * Attribution of changes between versions: keeping who changed what when compaction folds the
 * log, and reading it back for a comparison. The id arithmetic is lib/framework/attribution.ts;
 * this module only moves ChangeSets between the log, the attributions table and the comparison.
 * Imported by the sync server (persistence), so no Next-only modules here.
 */
import {
  insertAttributions,
  listAttributedUpdates,
  listAttributions,
} from '../../db/queries/attribution';
import type { Database } from '../../db/client';
import { SERVER_AUTHOR, changeSetsByAuthor, type AuthoredChanges } from '../framework/attribution';

/**
 * Keeps who sent the given log rows (`authored`: their ChangeSets per author, from
 * `changeSetsByAuthor`) before compaction deletes them. Called before the snapshot replaces the
 * rows: if this fails the compaction does not happen; if the compaction then fails or is
 * skipped, the kept copy duplicates rows still in the log, which readers merge (a union of id
 * ranges).
 */
export async function keepAttributions(
  db: Database,
  frameworkId: string,
  updateIds: number[],
  authored: AuthoredChanges[],
): Promise<void> {
  if (updateIds.length === 0) return;
  const upTo = updateIds.reduce((max, id) => (id > max ? id : max), 0);
  await insertAttributions(
    db,
    frameworkId,
    upTo,
    authored.map(({ author, changes }) => ({
      userId: author === SERVER_AUTHOR ? null : author,
      inserted: changes.inserted,
      deleted: changes.deleted,
    })),
  );
}

/** Every author's ChangeSet of a document: kept attributions plus the log not yet compacted. */
export async function loadAuthoredChanges(
  db: Database,
  frameworkId: string,
): Promise<AuthoredChanges[]> {
  const [kept, rows] = await Promise.all([
    listAttributions(db, frameworkId),
    listAttributedUpdates(db, frameworkId),
  ]);
  return [
    ...kept.map((k) => ({
      author: k.userId ?? SERVER_AUTHOR,
      changes: { inserted: k.inserted, deleted: k.deleted },
    })),
    ...changeSetsByAuthor(rows),
  ];
}
