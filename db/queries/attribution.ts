import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Database } from '../client';
import { documentAttributions, documentUpdates, users, type StoredIdRanges } from '../schema';

export type AttributedUpdate = { id: number; userId: string | null; update: Uint8Array };
export type StoredAttribution = {
  userId: string | null;
  inserted: StoredIdRanges;
  deleted: StoredIdRanges;
};

const toBytes = (value: Uint8Array): Uint8Array =>
  value instanceof Buffer
    ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
    : value;

/**
 * A document's logged updates with their senders, in log order; with `ids`, only those rows
 * (the ones a compaction is about to fold).
 */
export async function listAttributedUpdates(
  db: Database,
  frameworkId: string,
  ids?: number[],
): Promise<AttributedUpdate[]> {
  if (ids && ids.length === 0) return [];
  const rows = await db
    .select({
      id: documentUpdates.id,
      userId: documentUpdates.userId,
      update: documentUpdates.update,
    })
    .from(documentUpdates)
    .where(
      ids
        ? and(eq(documentUpdates.frameworkId, frameworkId), inArray(documentUpdates.id, ids))
        : eq(documentUpdates.frameworkId, frameworkId),
    )
    .orderBy(asc(documentUpdates.id));
  return rows.map((r) => ({ ...r, update: toBytes(r.update) }));
}

/** Keeps the attribution of folded log rows (one row per author). */
export async function insertAttributions(
  db: Database,
  frameworkId: string,
  upToUpdateId: number,
  rows: StoredAttribution[],
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insert(documentAttributions)
    .values(rows.map((r) => ({ ...r, frameworkId, upToUpdateId })));
}

/**
 * Keeps who sent the given log rows (`rows`: their ChangeSets per user) before compaction deletes
 * them. Called before the snapshot replaces the rows: if this fails the compaction does not
 * happen; if the compaction then fails or is skipped, the kept copy duplicates rows still in the
 * log, which readers merge (a union of id ranges).
 */
export async function keepAttributions(
  db: Database,
  frameworkId: string,
  updateIds: number[],
  rows: StoredAttribution[],
): Promise<void> {
  if (updateIds.length === 0) return;
  const upTo = updateIds.reduce((max, id) => (id > max ? id : max), 0);
  await insertAttributions(db, frameworkId, upTo, rows);
}

/** Every kept attribution of a document (of rows compaction folded away). */
export async function listAttributions(
  db: Database,
  frameworkId: string,
): Promise<StoredAttribution[]> {
  return db
    .select({
      userId: documentAttributions.userId,
      inserted: documentAttributions.inserted,
      deleted: documentAttributions.deleted,
    })
    .from(documentAttributions)
    .where(eq(documentAttributions.frameworkId, frameworkId))
    .orderBy(asc(documentAttributions.id));
}

/** Names of the given users (missing ids are left out). */
export async function findUserNames(
  db: Database,
  ids: string[],
): Promise<Array<{ id: string; name: string }>> {
  if (ids.length === 0) return [];
  return db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, ids));
}
