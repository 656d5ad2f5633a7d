import { and, eq, inArray, isNotNull, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../client';
import {
  comments,
  frameworkVersions,
  frameworks,
  notifications,
  users,
  versionInitialling,
  type NotificationRow,
} from '../schema';

type NotifyMode = (typeof users.$inferSelect)['notifyMode'];

export async function insertNotifications(
  db: Database,
  rows: Array<{
    userId: string;
    workspaceId: string;
    frameworkId: string;
    kind: string;
    payload: Record<string, unknown>;
  }>,
): Promise<void> {
  if (rows.length === 0) return;
  await db.insert(notifications).values(rows);
}

/** Rows claimed for sending, with where and how their user wants them. */
export type ClaimedNotifications = {
  users: Array<{ id: string; email: string; mode: NotifyMode }>;
  rows: NotificationRow[];
};

function dueAt(now: Date): SQL {
  return and(
    isNull(notifications.doneAt),
    lte(notifications.nextAttemptAt, now),
    or(isNull(notifications.claimedUntil), lt(notifications.claimedUntil, now)),
  )!;
}

/**
 * Claims the due rows of up to `maxUsers` users for `leaseMs`: for digest users only rows queued
 * before `digestBefore`. The users' rows are locked (`for no key update skip locked`) while the
 * claim is written, so two instances never claim rows of the same user at once: each user's
 * rows go to one sender, and a digest gathers all of them.
 */
export async function claimDueNotifications(
  db: Database,
  options: { now: Date; digestBefore: Date; leaseMs: number; maxUsers: number },
): Promise<ClaimedNotifications> {
  const { now, digestBefore } = options;
  return db.transaction(async (tx) => {
    const claimedUsers = await tx
      .select({ id: users.id, email: users.email, mode: users.notifyMode })
      .from(users)
      .where(
        sql`exists (select 1 from ${notifications} where ${notifications.userId} = ${users.id} and ${dueAt(now)} and (${users.notifyMode} <> 'digest' or ${lt(notifications.createdAt, digestBefore)}))`,
      )
      .limit(options.maxUsers)
      .for('no key update', { skipLocked: true });
    if (claimedUsers.length === 0) return { users: [], rows: [] };
    const digest = claimedUsers.filter((u) => u.mode === 'digest').map((u) => u.id);
    const other = claimedUsers.filter((u) => u.mode !== 'digest').map((u) => u.id);
    const whose = [
      other.length > 0 ? inArray(notifications.userId, other) : undefined,
      digest.length > 0
        ? and(inArray(notifications.userId, digest), lt(notifications.createdAt, digestBefore))
        : undefined,
    ].filter((c): c is SQL => c !== undefined);
    const rows = await tx
      .update(notifications)
      .set({
        claimedUntil: new Date(now.getTime() + options.leaseMs),
        attempts: sql`${notifications.attempts} + 1`,
      })
      .where(and(dueAt(now), or(...whose)))
      .returning();
    return { users: claimedUsers, rows };
  });
}

/** Marks claimed rows done: sent, or dropped with the reason. */
export async function finishNotifications(
  db: Database,
  ids: string[],
  outcome: 'sent' | 'off' | 'no_access' | 'failed',
  now: Date,
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(notifications)
    .set({ doneAt: now, outcome, claimedUntil: null })
    .where(inArray(notifications.id, ids));
}

/** Puts claimed rows back for a later attempt. */
export async function retryNotificationsAt(db: Database, ids: string[], at: Date): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(notifications)
    .set({ nextAttemptAt: at, claimedUntil: null })
    .where(inArray(notifications.id, ids));
}

/** Forgets finished rows done before `before` (the outbox is not an archive). */
export async function pruneNotifications(db: Database, before: Date): Promise<number> {
  const rows = await db
    .delete(notifications)
    .where(and(isNotNull(notifications.doneAt), lt(notifications.doneAt, before)))
    .returning({ id: notifications.id });
  return rows.length;
}

export async function setNotifyMode(db: Database, userId: string, mode: NotifyMode): Promise<void> {
  await db.update(users).set({ notifyMode: mode }).where(eq(users.id, userId));
}

/** Who wrote in a thread (the people a reply is news to). */
export async function threadAuthorIds(db: Database, threadId: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ id: comments.authorId })
    .from(comments)
    .where(and(eq(comments.threadId, threadId), isNotNull(comments.authorId)));
  return rows.map((r) => r.id!);
}

export type OverdueInitialling = {
  versionId: string;
  frameworkId: string;
  requiredParties: string[];
  deadline: Date;
};

/**
 * Frozen versions whose initialling deadline has passed and that were not reported yet (of one
 * framework when `frameworkId` is given). Each is then claimed with `claimOverdueInitialling` in
 * the transaction that reports it.
 */
export async function dueInitialling(
  db: Database,
  now: Date,
  options: { frameworkId?: string; limit?: number } = {},
): Promise<OverdueInitialling[]> {
  const rows = await db
    .select()
    .from(versionInitialling)
    .where(
      and(
        isNotNull(versionInitialling.deadline),
        lte(versionInitialling.deadline, now),
        isNull(versionInitialling.overdueNotifiedAt),
        options.frameworkId ? eq(versionInitialling.frameworkId, options.frameworkId) : undefined,
      ),
    )
    .limit(options.limit ?? 50);
  return rows.map((r) => ({
    versionId: r.versionId,
    frameworkId: r.frameworkId,
    requiredParties: r.requiredParties,
    deadline: r.deadline!,
  }));
}

/** Marks one version's overdue initials reported; false when another instance did first. */
export async function claimOverdueInitialling(
  db: Database,
  versionId: string,
  now: Date,
): Promise<boolean> {
  const won = await db
    .update(versionInitialling)
    .set({ overdueNotifiedAt: now })
    .where(
      and(
        eq(versionInitialling.versionId, versionId),
        isNull(versionInitialling.overdueNotifiedAt),
      ),
    )
    .returning({ versionId: versionInitialling.versionId });
  return won.length > 0;
}

/** A framework's title, group and a version's name, for notification text. */
export async function versionLabel(
  db: Database,
  versionId: string,
): Promise<{ name: string; frameworkTitle: string; workspaceId: string } | undefined> {
  const [row] = await db
    .select({
      name: frameworkVersions.name,
      frameworkTitle: frameworks.title,
      workspaceId: frameworks.workspaceId,
    })
    .from(frameworkVersions)
    .innerJoin(frameworks, eq(frameworks.id, frameworkVersions.frameworkId))
    .where(eq(frameworkVersions.id, versionId));
  return row;
}

/** Notification rows of a user, newest first (tests and support). */
export async function listNotificationsOf(db: Database, userId: string) {
  return db
    .select()
    .from(notifications)
    .where(eq(notifications.userId, userId))
    .orderBy(sql`${notifications.createdAt} desc`);
}
