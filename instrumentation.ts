/**
 * Next.js calls `register` once when the app's server starts (in the custom server too). The app
 * side of the product starts its own timed work here, so the sync server (server/) never imports
 * a use case: the silence scheduler runs in the app and acts on live documents through the door.
 */
export async function register(): Promise<void> {
  // The edge runtime has no database; this file is built for it too.
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const [{ getDb }, { log }, { silenceCheckMsFromEnv, startSilenceScheduler }, housekeeping] =
    await Promise.all([
      import('./db/client'),
      import('./lib/log'),
      import('./lib/services/silence-scheduler'),
      import('./lib/services/auth-housekeeping'),
    ]);
  startSilenceScheduler(getDb, silenceCheckMsFromEnv(), log.child({ module: 'silence' }));
  // Old throttle events and ended sessions, hourly (issue 19, finding 12).
  housekeeping.startAuthHousekeeping(getDb, 3600_000, log.child({ module: 'auth-housekeeping' }));
}
