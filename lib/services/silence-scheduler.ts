import type { Logger } from 'pino';
import type { Database } from '../../db/client';
import { dueSilences } from '../../db/queries/review';
import { liveDocumentsIfRunning, type LiveDocuments } from '../collab/live-documents';
import { queueOverdueInitials } from './notifications';
import { expireSilence, flagOverdueAdReferenda } from './review';

/**
 * Ends every silence procedure whose deadline has passed, through the live documents, whether or
 * not anyone has the document open. Several instances may run it; the claim in the database lets
 * one handle each silence.
 */
export async function expireDueSilences(
  db: Database,
  live: LiveDocuments,
  log: Logger,
  now = new Date(),
): Promise<void> {
  for (const silence of await dueSilences(db, now)) {
    try {
      const outcome = await expireSilence(db, live, silence, now);
      log.info(
        { frameworkId: silence.frameworkId, layerId: silence.layerId, outcome },
        'silence deadline',
      );
    } catch (error) {
      log.error({ err: error, frameworkId: silence.frameworkId }, 'silence expiry failed');
    }
  }
  // Deadlines of the same round: agreements ad referendum whose capitals are late.
  const flagged = await flagOverdueAdReferenda(db, now);
  if (flagged > 0) log.info({ flagged }, 'ad referendum confirmations overdue');
  // And frozen versions whose initialling date passed: reported once each (mail, when on).
  const initials = await queueOverdueInitials(db, now);
  if (initials > 0) log.info({ initials }, 'initials overdue');
}

/**
 * Runs `expireDueSilences` every `intervalMs` while the sync server runs in this process (the
 * app starts it, see instrumentation.ts; a round waits when the door is not open yet).
 */
export function startSilenceScheduler(
  db: () => Promise<Database>,
  intervalMs: number,
  log: Logger,
): { stop(): void } {
  let running = false;
  const tick = () => {
    const live = liveDocumentsIfRunning();
    // One round at a time: a slow database must not pile rounds up.
    if (running || !live) return;
    running = true;
    db()
      .then((database) => expireDueSilences(database, live, log))
      .catch((error: unknown) => log.error({ err: error }, 'silence scheduler round failed'))
      .finally(() => {
        running = false;
      });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/** REVIEW_SILENCE_CHECK_MS: how often due silences are looked for (default 15 s). */
export function silenceCheckMsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.REVIEW_SILENCE_CHECK_MS;
  if (raw === undefined || raw === '') return 15_000;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 50) {
    throw new Error('REVIEW_SILENCE_CHECK_MS must be an integer of at least 50');
  }
  return value;
}
