import { and, asc, count, desc, eq, inArray, lte, ne, sql } from 'drizzle-orm';
import type { Database } from '../client';
import { documentSnapshots, documentUpdates } from '../schema';

export type StoredUpdate = { id: number; update: Uint8Array };
export type NewDocumentUpdate = { frameworkId: string; userId: string | null; update: Uint8Array };

/** The newest compacted state of a document, or undefined before the first compaction. */
export async function findLatestSnapshot(
  db: Database,
  frameworkId: string,
): Promise<{ id: number; state: Uint8Array; upToUpdateId: number } | undefined> {
  const [row] = await db
    .select({
      id: documentSnapshots.id,
      state: documentSnapshots.state,
      upToUpdateId: documentSnapshots.upToUpdateId,
    })
    .from(documentSnapshots)
    .where(eq(documentSnapshots.frameworkId, frameworkId))
    .orderBy(desc(documentSnapshots.upToUpdateId), desc(documentSnapshots.id))
    .limit(1);
  return row && { ...row, state: toBytes(row.state) };
}

/**
 * Every logged update of a document not yet folded into a snapshot, in log order. Compaction
 * deletes exactly the rows it folded in, so the remaining rows are the ones to apply after the
 * snapshot (an id below the snapshot's bound can still be unfolded: PostgreSQL ids are not
 * committed in order).
 */
export async function listDocumentUpdates(
  db: Database,
  frameworkId: string,
): Promise<StoredUpdate[]> {
  const rows = await db
    .select({ id: documentUpdates.id, update: documentUpdates.update })
    .from(documentUpdates)
    .where(eq(documentUpdates.frameworkId, frameworkId))
    .orderBy(asc(documentUpdates.id));
  return rows.map((r) => ({ id: r.id, update: toBytes(r.update) }));
}

/**
 * Appends updates to the log in one statement; returns their ids in the given order. The
 * statement's text is the same for any number of rows (arrays through unnest), so PostgreSQL
 * parses and plans it once per connection: a VALUES list per row count was a new statement for
 * almost every write of a busy server.
 */
export async function appendDocumentUpdates(
  db: Database,
  rows: NewDocumentUpdate[],
): Promise<number[]> {
  if (rows.length === 0) return [];
  const frameworkIds = sql.param(rows.map((r) => r.frameworkId));
  const userIds = sql.param(rows.map((r) => r.userId));
  // Hex text: both drivers send a text[] as it is, while an array of byte arrays is typed
  // bytea by postgres.js before the cast could apply.
  const updates = sql.param(rows.map((r) => Buffer.from(r.update).toString('hex')));
  const result = await db.execute(
    sql`insert into ${documentUpdates} (framework_id, user_id, update)
        select f, u, decode(b, 'hex')
        from unnest(${frameworkIds}::uuid[], ${userIds}::uuid[], ${updates}::text[])
          with ordinality as t(f, u, b, n)
        order by n
        returning id`,
  );
  return resultRows<{ id: number | string }>(result).map((r) => Number(r.id));
}

/** The rows of a raw query's result: postgres.js returns an array, PGlite `{ rows }`. */
function resultRows<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows: T[] }).rows ?? []);
}

export async function countDocumentUpdates(db: Database, frameworkId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(documentUpdates)
    .where(eq(documentUpdates.frameworkId, frameworkId));
  return Number(row?.n ?? 0);
}

/**
 * Compaction: stores `state` (the merge of the snapshot `baseSnapshotId` and the rows `foldedIds`)
 * as the new snapshot, then deletes exactly those rows and the older snapshots, in one
 * transaction. Several instances may compact the same document at once: the transaction takes a
 * per-document lock and gives up (returns false) when `baseSnapshotId` is no longer the latest
 * snapshot, so a compaction never deletes a snapshot or rows it did not fold in.
 */
export async function replaceWithSnapshot(
  db: Database,
  input: {
    frameworkId: string;
    state: Uint8Array;
    foldedIds: number[];
    baseSnapshotId: number | null;
  },
): Promise<boolean> {
  if (input.foldedIds.length === 0) return false;
  const upToUpdateId = Math.max(...input.foldedIds);
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`select pg_advisory_xact_lock(${COMPACTION_LOCK_SPACE}, hashtext(${input.frameworkId}))`,
    );
    const [latest] = await tx
      .select({ id: documentSnapshots.id })
      .from(documentSnapshots)
      .where(eq(documentSnapshots.frameworkId, input.frameworkId))
      .orderBy(desc(documentSnapshots.upToUpdateId), desc(documentSnapshots.id))
      .limit(1);
    if ((latest?.id ?? null) !== input.baseSnapshotId) return false;
    const [snapshot] = await tx
      .insert(documentSnapshots)
      .values({ frameworkId: input.frameworkId, state: input.state, upToUpdateId })
      .returning({ id: documentSnapshots.id });
    if (!snapshot) throw new Error('insert returned no row');
    // Chunked: a parameter list has a bound, and compaction runs on a few hundred rows.
    let deleted = 0;
    for (let i = 0; i < input.foldedIds.length; i += 1000) {
      const gone = await tx
        .delete(documentUpdates)
        .where(
          and(
            eq(documentUpdates.frameworkId, input.frameworkId),
            inArray(documentUpdates.id, input.foldedIds.slice(i, i + 1000)),
            lte(documentUpdates.id, upToUpdateId),
          ),
        )
        .returning({ id: documentUpdates.id });
      deleted += gone.length;
    }
    // Under the lock with an unchanged base nobody else deletes rows; if it happened anyway,
    // roll back rather than store a snapshot that disagrees with the log.
    if (deleted !== input.foldedIds.length) throw new Error('compaction: folded rows changed');
    await tx
      .delete(documentSnapshots)
      .where(
        and(
          eq(documentSnapshots.frameworkId, input.frameworkId),
          ne(documentSnapshots.id, snapshot.id),
        ),
      );
    return true;
  });
}

/** First key of the two-key advisory lock that serialises compactions of one document. */
const COMPACTION_LOCK_SPACE = 727_411_205;

/** PGlite returns bytea as Uint8Array, postgres-js as Buffer (a Uint8Array subclass): normalise. */
function toBytes(value: Uint8Array): Uint8Array {
  return value instanceof Buffer
    ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
    : value;
}
