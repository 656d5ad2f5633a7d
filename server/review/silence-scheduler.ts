import type { Logger } from 'pino';
import type { Database } from '../../db/client';
import { dueSilences } from '../../db/queries/review';
import type { LiveDocuments } from '../../lib/collab/live-documents';
import { expireSilence } from '../../lib/services/review';

/**
 * Ends silence procedures at their deadline, whether or not anyone has the document open: every
 * `intervalMs` it asks the database for due silences and expires each through the registry.
 * Several instances may run it; the claim in the database lets one handle each silence.
 */
export function startSilenceScheduler(
  db: Database,
  live: LiveDocuments,
  intervalMs: number,
  log: Logger,
): { stop(): void; round(): Promise<void> } {
  let running: Promise<void> | null = null;
  const round = async () => {
    for (const silence of await dueSilences(db, new Date())) {
      try {
        const outcome = await expireSilence(db, live, silence);
        log.info(
          { frameworkId: silence.frameworkId, layerId: silence.layerId, outcome },
          'silence deadline',
        );
      } catch (error) {
        log.error({ err: error, frameworkId: silence.frameworkId }, 'silence expiry failed');
      }
    }
  };
  const tick = () => {
    // One round at a time: a slow database must not pile rounds up.
    if (running) return;
    running = round()
      .catch((error: unknown) => log.error({ err: error }, 'silence scheduler round failed'))
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    stop: () => clearInterval(timer),
    round: async () => {
      await running;
      await round();
    },
  };
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
