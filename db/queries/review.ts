import { and, asc, desc, eq, lte, type SQL } from 'drizzle-orm';
import type { Database } from '../client';
import {
  frameworks,
  layerSilences,
  reviewEvents,
  users,
  type LayerSilence,
  type ReviewEvent,
  type ReviewEventDetails,
} from '../schema';

export type ReviewEventInput = {
  workspaceId: string;
  frameworkId: string;
  layerId: string | null;
  /** null: the server itself. */
  actorId: string | null;
  kind: string;
  details?: ReviewEventDetails;
};

export async function recordReviewEvent(db: Database, event: ReviewEventInput): Promise<void> {
  await db.insert(reviewEvents).values({ ...event, details: event.details ?? {} });
}

export type ReviewEventItem = ReviewEvent & { actorName: string | null };

/** The activity of a framework, newest first, optionally for one layer and/or one person. */
export async function listReviewEvents(
  db: Database,
  frameworkId: string,
  filter: { layerId?: string; actorId?: string; limit?: number } = {},
): Promise<ReviewEventItem[]> {
  const conditions: SQL[] = [eq(reviewEvents.frameworkId, frameworkId)];
  if (filter.layerId) conditions.push(eq(reviewEvents.layerId, filter.layerId));
  if (filter.actorId) conditions.push(eq(reviewEvents.actorId, filter.actorId));
  const rows = await db
    .select({ event: reviewEvents, actorName: users.name })
    .from(reviewEvents)
    .leftJoin(users, eq(users.id, reviewEvents.actorId))
    .where(and(...conditions))
    .orderBy(desc(reviewEvents.createdAt), desc(reviewEvents.id))
    .limit(Math.min(filter.limit ?? 200, 500));
  return rows.map((r) => ({ ...r.event, actorName: r.actorName }));
}

/** Starts (or restarts) the silence index row of a layer. */
export async function startSilence(
  db: Database,
  row: { frameworkId: string; layerId: string; until: Date; startedBy: string | null },
): Promise<void> {
  await db
    .insert(layerSilences)
    .values({ ...row, state: 'running' })
    .onConflictDoUpdate({
      target: [layerSilences.frameworkId, layerSilences.layerId],
      set: { until: row.until, startedBy: row.startedBy, state: 'running' },
    });
}

export async function setSilenceState(
  db: Database,
  frameworkId: string,
  layerId: string,
  state: 'broken' | 'expired' | 'ended',
): Promise<void> {
  await db
    .update(layerSilences)
    .set({ state })
    .where(and(eq(layerSilences.frameworkId, frameworkId), eq(layerSilences.layerId, layerId)));
}

/** Running silences whose deadline has passed, with their group, oldest first. */
export async function dueSilences(
  db: Database,
  now: Date,
  limit = 50,
): Promise<Array<LayerSilence & { workspaceId: string }>> {
  const rows = await db
    .select({ silence: layerSilences, workspaceId: frameworks.workspaceId })
    .from(layerSilences)
    .innerJoin(frameworks, eq(frameworks.id, layerSilences.frameworkId))
    .where(and(eq(layerSilences.state, 'running'), lte(layerSilences.until, now)))
    .orderBy(asc(layerSilences.until))
    .limit(limit);
  return rows.map((r) => ({ ...r.silence, workspaceId: r.workspaceId }));
}

/**
 * Claims a due silence for expiry (running -> expired) so that one instance handles it; false
 * when another instance (or a break) got there first.
 */
export async function claimSilence(
  db: Database,
  frameworkId: string,
  layerId: string,
): Promise<boolean> {
  const rows = await db
    .update(layerSilences)
    .set({ state: 'expired' })
    .where(
      and(
        eq(layerSilences.frameworkId, frameworkId),
        eq(layerSilences.layerId, layerId),
        eq(layerSilences.state, 'running'),
      ),
    )
    .returning({ layerId: layerSilences.layerId });
  return rows.length > 0;
}
