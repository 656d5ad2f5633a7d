import type { Logger } from 'pino';
import type { Database } from '../../db/client';
import { deleteExpiredResetTokens } from '../../db/queries/password-resets';
import { deleteExpiredSignInChallenges } from '../../db/queries/second-factor';
import { deleteExpiredAuthSessions, pruneSignInFailures } from '../../db/queries/users';
import { SIGN_UP_WINDOW_MS } from './accounts';
import { RESET_WINDOW_MS } from './password-reset';
import { SIGN_IN_WINDOW_MS } from './sign-in';

/** How long a throttle event can still count: the longest window that reads it. */
const THROTTLE_RETENTION_MS = Math.max(SIGN_IN_WINDOW_MS, SIGN_UP_WINDOW_MS, RESET_WINDOW_MS);

/**
 * Deletes what the sign-in tables no longer need: throttle events past every window that counts
 * them, sessions that ended, expired password reset links and second-factor challenges past
 * their few minutes. Safe on several instances at once (plain deletes).
 */
export async function pruneAuthRecords(
  db: Database,
  now = new Date(),
): Promise<{ throttleEvents: number; sessions: number; resetLinks: number; challenges: number }> {
  const throttleEvents = await pruneSignInFailures(
    db,
    new Date(now.getTime() - THROTTLE_RETENTION_MS),
  );
  const sessions = await deleteExpiredAuthSessions(db, now);
  const resetLinks = await deleteExpiredResetTokens(db, now);
  const challenges = await deleteExpiredSignInChallenges(db, now);
  return { throttleEvents, sessions, resetLinks, challenges };
}

/** Runs `pruneAuthRecords` now and every `intervalMs` (the app starts it, see instrumentation.ts). */
export function startAuthHousekeeping(
  db: () => Promise<Database>,
  intervalMs: number,
  log: Logger,
): { stop(): void } {
  let running = false;
  const tick = () => {
    if (running) return;
    running = true;
    db()
      .then((database) => pruneAuthRecords(database))
      .then((pruned) => {
        if (pruned.throttleEvents + pruned.sessions + pruned.resetLinks + pruned.challenges > 0)
          log.debug(pruned, 'auth records pruned');
      })
      .catch((error: unknown) => log.error({ err: error }, 'auth housekeeping round failed'))
      .finally(() => {
        running = false;
      });
  };
  const first = setTimeout(tick, Math.min(intervalMs, 10_000));
  first.unref();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    stop: () => {
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}
