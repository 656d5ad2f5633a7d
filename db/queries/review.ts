import { and, asc, desc, eq, gte, inArray, lte, type SQL } from 'drizzle-orm';
import type { Database } from '../client';
import {
  adReferendumDeadlines,
  frameworks,
  layerSilences,
  memberships,
  reviewEvents,
  users,
  type AdReferendumDeadline,
  type LayerSilence,
  type Membership,
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

/** An event with its actor's name and (current) delegation in the group. */
export type ReviewEventItem = ReviewEvent & {
  actorName: string | null;
  actorDelegation: string | null;
};

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
    .select({ event: reviewEvents, actorName: users.name, actorDelegation: memberships.delegation })
    .from(reviewEvents)
    .leftJoin(users, eq(users.id, reviewEvents.actorId))
    .leftJoin(
      memberships,
      and(
        eq(memberships.workspaceId, reviewEvents.workspaceId),
        eq(memberships.userId, reviewEvents.actorId),
      ),
    )
    .where(and(...conditions))
    .orderBy(desc(reviewEvents.createdAt), desc(reviewEvents.id))
    .limit(Math.min(filter.limit ?? 200, 500));
  return rows.map((r) => ({
    ...r.event,
    actorName: r.actorName,
    actorDelegation: r.actorDelegation,
  }));
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

/** Opens (or reopens) the ad referendum index row of a layer. */
export async function openAdReferendum(
  db: Database,
  row: {
    frameworkId: string;
    layerId: string;
    layerTitle: string;
    confirmBy: Date;
    pending: string[];
    partyNames: Record<string, string>;
  },
): Promise<void> {
  await db
    .insert(adReferendumDeadlines)
    .values({ ...row, state: 'open' })
    .onConflictDoUpdate({
      target: [adReferendumDeadlines.frameworkId, adReferendumDeadlines.layerId],
      set: {
        layerTitle: row.layerTitle,
        confirmBy: row.confirmBy,
        pending: row.pending,
        partyNames: row.partyNames,
        state: 'open',
      },
    });
}

/** Records who is still to confirm; `closed` when the layer left ad referendum. */
export async function updateAdReferendum(
  db: Database,
  frameworkId: string,
  layerId: string,
  change: { pending?: string[]; closed?: boolean },
): Promise<void> {
  const set: Partial<AdReferendumDeadline> = {};
  if (change.pending) set.pending = change.pending;
  if (change.closed) set.state = 'closed';
  if (Object.keys(set).length === 0) return;
  await db
    .update(adReferendumDeadlines)
    .set(set)
    .where(
      and(
        eq(adReferendumDeadlines.frameworkId, frameworkId),
        eq(adReferendumDeadlines.layerId, layerId),
      ),
    );
}

/**
 * The open agreements ad referendum past their confirm-by date, oldest first, with their group
 * (of one framework when `frameworkId` is given). Each is then claimed with
 * `claimOverdueAdReferendum` in the transaction that reports it.
 */
export async function dueAdReferenda(
  db: Database,
  now: Date,
  options: { frameworkId?: string; limit?: number } = {},
): Promise<Array<AdReferendumDeadline & { workspaceId: string }>> {
  const due = await db
    .select({ row: adReferendumDeadlines, workspaceId: frameworks.workspaceId })
    .from(adReferendumDeadlines)
    .innerJoin(frameworks, eq(frameworks.id, adReferendumDeadlines.frameworkId))
    .where(
      and(
        eq(adReferendumDeadlines.state, 'open'),
        lte(adReferendumDeadlines.confirmBy, now),
        options.frameworkId
          ? eq(adReferendumDeadlines.frameworkId, options.frameworkId)
          : undefined,
      ),
    )
    .orderBy(asc(adReferendumDeadlines.confirmBy))
    .limit(options.limit ?? 50);
  return due.map(({ row, workspaceId }) => ({ ...row, workspaceId }));
}

/**
 * Marks one agreement ad referendum overdue (open -> overdue); false when another instance did
 * first. Run in the transaction that reports it, so a crash between the two reports it later.
 */
export async function claimOverdueAdReferendum(
  db: Database,
  frameworkId: string,
  layerId: string,
): Promise<boolean> {
  const won = await db
    .update(adReferendumDeadlines)
    .set({ state: 'overdue' })
    .where(
      and(
        eq(adReferendumDeadlines.frameworkId, frameworkId),
        eq(adReferendumDeadlines.layerId, layerId),
        eq(adReferendumDeadlines.state, 'open'),
      ),
    )
    .returning({ layerId: adReferendumDeadlines.layerId });
  return won.length > 0;
}

export type OverdueAdReferendum = AdReferendumDeadline & {
  workspaceId: string;
  frameworkTitle: string;
  /** The reader's role and delegation in that group. */
  role: Membership['role'];
  delegation: string | null;
};

/** Overdue agreements ad referendum in every group `userId` belongs to, oldest deadline first. */
export async function overdueAdReferendaFor(
  db: Database,
  userId: string,
): Promise<OverdueAdReferendum[]> {
  const rows = await db
    .select({
      row: adReferendumDeadlines,
      workspaceId: frameworks.workspaceId,
      frameworkTitle: frameworks.title,
      role: memberships.role,
      delegation: memberships.delegation,
    })
    .from(adReferendumDeadlines)
    .innerJoin(frameworks, eq(frameworks.id, adReferendumDeadlines.frameworkId))
    .innerJoin(
      memberships,
      and(eq(memberships.workspaceId, frameworks.workspaceId), eq(memberships.userId, userId)),
    )
    .where(eq(adReferendumDeadlines.state, 'overdue'))
    .orderBy(asc(adReferendumDeadlines.confirmBy))
    .limit(200);
  return rows.map((r) => ({
    ...r.row,
    workspaceId: r.workspaceId,
    frameworkTitle: r.frameworkTitle,
    role: r.role,
    delegation: r.delegation,
  }));
}

/** A package act (agreed, reopened) in one of a member's groups, for their inbox. */
export type PackageNews = ReviewEvent & {
  workspaceId: string;
  frameworkTitle: string;
  actorName: string | null;
};

/** Package agreements and reopenings since `since` in the groups `userId` belongs to, newest first. */
export async function packageNewsFor(
  db: Database,
  userId: string,
  since: Date,
  limit = 50,
): Promise<PackageNews[]> {
  const rows = await db
    .select({ event: reviewEvents, frameworkTitle: frameworks.title, actorName: users.name })
    .from(reviewEvents)
    .innerJoin(frameworks, eq(frameworks.id, reviewEvents.frameworkId))
    .innerJoin(
      memberships,
      and(eq(memberships.workspaceId, reviewEvents.workspaceId), eq(memberships.userId, userId)),
    )
    .leftJoin(users, eq(users.id, reviewEvents.actorId))
    .where(
      and(
        inArray(reviewEvents.kind, ['package.agreed', 'package.reopened']),
        gte(reviewEvents.createdAt, since),
      ),
    )
    .orderBy(desc(reviewEvents.createdAt), desc(reviewEvents.id))
    .limit(limit);
  return rows.map((r) => ({
    ...r.event,
    frameworkTitle: r.frameworkTitle,
    actorName: r.actorName,
  }));
}
