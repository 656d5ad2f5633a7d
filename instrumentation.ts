/**
 * Next.js calls `register` once when the app's server starts (in the custom server too). The app
 * side of the product starts its own timed work here, so the sync server (server/) never imports
 * a use case: the silence scheduler runs in the app and acts on live documents through the door.
 */
export async function register(): Promise<void> {
  // The edge runtime has no database; this file is built for it too.
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const [
    { getDb },
    { log },
    { silenceCheckMsFromEnv, startSilenceScheduler },
    housekeeping,
    { mailerFromEnv },
    sender,
    { digestHourFromEnv },
    { ensureAuthSecret },
  ] = await Promise.all([
    import('./db/client'),
    import('./lib/log'),
    import('./lib/services/silence-scheduler'),
    import('./lib/services/auth-housekeeping'),
    import('./lib/mail'),
    import('./lib/services/notification-sender'),
    import('./lib/notifications/digest'),
    import('./lib/auth/secret'),
  ]);
  startSilenceScheduler(getDb, silenceCheckMsFromEnv(), log.child({ module: 'silence' }));
  // Old throttle events and ended sessions, hourly (issue 19, finding 12).
  housekeeping.startAuthHousekeeping(getDb, 3600_000, log.child({ module: 'auth-housekeeping' }));
  // Notification mail from the outbox, only when SMTP is configured (else nothing is queued).
  const mailer = mailerFromEnv();
  if (mailer) {
    sender.startNotificationSender(
      getDb,
      mailer,
      {
        secret: ensureAuthSecret(),
        digestHourUtc: digestHourFromEnv(),
        intervalMs: sender.notifyIntervalMsFromEnv(),
      },
      log.child({ module: 'notifications' }),
    );
  }
}
