/**
 * Whether notification mail is on: an SMTP server is configured (the same test as mailerFromEnv,
 * without building a transport). Off, nothing is queued, so the inbox alone carries the news.
 */
export function notificationMailEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.SMTP_URL?.trim() || env.SMTP_HOST?.trim());
}
