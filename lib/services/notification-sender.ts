import type { Logger } from 'pino';
import type { Database } from '../../db/client';
import {
  claimDueNotifications,
  finishNotifications,
  pruneNotifications,
  retryNotificationsAt,
} from '../../db/queries/notifications';
import { findMembership } from '../../db/queries/workspaces';
import type { NotificationRow } from '../../db/schema';
import type { Mailer } from '../mail';
import { lastDigestTime, retryDelayMs } from '../notifications/digest';
import { renderDigest, renderImmediate, type RenderedMail } from '../notifications/render';
import type { NotificationPayload } from '../notifications/types';
import { unsubscribePath, unsubscribeToken } from '../notifications/unsubscribe-token';
import { withoutRefusingGroups } from './second-factor-requirement';

/** Attempts before a mail is given up (with the backoff, about a day of trying). */
export const MAX_ATTEMPTS = 30;
/** How long a claim holds before another sender may take the rows (a crashed sender's). */
const LEASE_MS = 5 * 60_000;
/** Finished rows are kept this long, then pruned. */
const KEEP_DONE_MS = 7 * 24 * 3600_000;

export type SenderOptions = {
  secret: string;
  digestHourUtc: number;
  now?: Date;
  maxUsers?: number;
};

export type RoundResult = { sent: number; dropped: number; retried: number };

/** Only what the user can still read is mailed: a member of the group, not refused by it. */
async function readable(
  db: Database,
  userId: string,
  rows: NotificationRow[],
): Promise<NotificationRow[]> {
  const members: NotificationRow[] = [];
  const memberOf = new Map<string, boolean>();
  for (const row of rows) {
    if (!memberOf.has(row.workspaceId)) {
      memberOf.set(row.workspaceId, Boolean(await findMembership(db, row.workspaceId, userId)));
    }
    if (memberOf.get(row.workspaceId)) members.push(row);
  }
  return withoutRefusingGroups(db, userId, members);
}

/**
 * One round: claims due rows, mails each immediate one, gathers a digest user's into one mail,
 * drops what the user turned off or can no longer read, and puts back (with backoff) what the
 * SMTP server refused. Returns what it did.
 */
export async function sendDueNotifications(
  db: Database,
  mailer: Mailer,
  options: SenderOptions,
): Promise<RoundResult> {
  const now = options.now ?? new Date();
  const result: RoundResult = { sent: 0, dropped: 0, retried: 0 };
  const claimed = await claimDueNotifications(db, {
    now,
    digestBefore: lastDigestTime(now, options.digestHourUtc),
    leaseMs: LEASE_MS,
    maxUsers: options.maxUsers ?? 50,
  });
  for (const user of claimed.users) {
    const rows = claimed.rows.filter((r) => r.userId === user.id);
    if (user.mode === 'off') {
      await finishNotifications(db, ids(rows), 'off', now);
      result.dropped += rows.length;
      continue;
    }
    const allowed = await readable(db, user.id, rows);
    const refused = rows.filter((r) => !allowed.includes(r));
    await finishNotifications(db, ids(refused), 'no_access', now);
    result.dropped += refused.length;
    const unsubscribeUrl = `${mailer.publicOrigin}${unsubscribePath(unsubscribeToken(user.id, options.secret))}`;
    const batches =
      user.mode === 'digest' ? (allowed.length > 0 ? [allowed] : []) : allowed.map((row) => [row]);
    for (const batch of batches) {
      const items = batch
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
        .map((r) => r.payload as NotificationPayload);
      const mail: RenderedMail =
        user.mode === 'digest'
          ? renderDigest(mailer.publicOrigin, items, unsubscribeUrl)
          : renderImmediate(mailer.publicOrigin, items[0]!, unsubscribeUrl);
      try {
        await mailer.send({
          to: user.email,
          ...mail,
          headers: {
            'List-Unsubscribe': `<${unsubscribeUrl}/one-click>`,
            'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          },
        });
        await finishNotifications(db, ids(batch), 'sent', now);
        result.sent += 1;
      } catch {
        const attempts = Math.max(...batch.map((r) => r.attempts));
        if (attempts >= MAX_ATTEMPTS) {
          await finishNotifications(db, ids(batch), 'failed', now);
          result.dropped += batch.length;
        } else {
          await retryNotificationsAt(
            db,
            ids(batch),
            new Date(now.getTime() + retryDelayMs(attempts)),
          );
          result.retried += batch.length;
        }
      }
    }
  }
  return result;
}

function ids(rows: NotificationRow[]): string[] {
  return rows.map((r) => r.id);
}

/**
 * Runs `sendDueNotifications` every `intervalMs` in this process (instrumentation.ts starts it
 * when SMTP is configured); one round at a time, and finished rows are pruned hourly.
 */
export function startNotificationSender(
  db: () => Promise<Database>,
  mailer: Mailer,
  options: Omit<SenderOptions, 'now'> & { intervalMs: number },
  log: Logger,
): { stop(): void } {
  let running = false;
  let lastPrune = 0;
  const tick = () => {
    if (running) return;
    running = true;
    db()
      .then(async (database) => {
        const done = await sendDueNotifications(database, mailer, options);
        if (done.sent + done.dropped + done.retried > 0) log.info(done, 'notification mail round');
        if (done.retried > 0) log.warn({ retried: done.retried }, 'notification mail deferred');
        if (Date.now() - lastPrune > 3600_000) {
          lastPrune = Date.now();
          await pruneNotifications(database, new Date(Date.now() - KEEP_DONE_MS));
        }
      })
      .catch((error: unknown) => log.error({ err: error }, 'notification sender round failed'))
      .finally(() => {
        running = false;
      });
  };
  const timer = setInterval(tick, options.intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/** NOTIFY_SEND_INTERVAL_MS: how often the outbox is looked at (default 10 s). */
export function notifyIntervalMsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.NOTIFY_SEND_INTERVAL_MS;
  if (raw === undefined || raw === '') return 10_000;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 50) {
    throw new Error('NOTIFY_SEND_INTERVAL_MS must be an integer of at least 50');
  }
  return value;
}
