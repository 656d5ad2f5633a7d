/**
 * The daily digest goes out once a day at a fixed UTC hour (NOTIFY_DIGEST_HOUR_UTC, default 7):
 * it gathers what was queued for the user before that hour and not mailed yet.
 */
export function digestHourFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): number {
  const raw = env.NOTIFY_DIGEST_HOUR_UTC;
  if (raw === undefined || raw.trim() === '') return 7;
  const hour = Number(raw);
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) {
    throw new Error('NOTIFY_DIGEST_HOUR_UTC must be an hour from 0 to 23');
  }
  return hour;
}

/** The latest digest time at or before `now`: digest items queued before it are due. */
export function lastDigestTime(now: Date, hourUtc: number): Date {
  const at = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hourUtc));
  if (at.getTime() > now.getTime()) at.setUTCDate(at.getUTCDate() - 1);
  return at;
}

/** Wait before attempt `attempts + 1` after a failed send: 1 min doubling, at most 1 h. */
export function retryDelayMs(attempts: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 3600_000);
}
