import { mailConfigFromEnv } from './config';
import { createMailer, type Mailer } from './transport';

export type { Mailer, MailMessage } from './transport';
export { createMailer } from './transport';
export { mailConfigFromEnv, type MailConfig } from './config';

let configured: Mailer | null | undefined;

/** The deployment's mailer, or null when no SMTP server is configured (mail features are off). */
export function mailerFromEnv(): Mailer | null {
  if (configured === undefined) {
    const config = mailConfigFromEnv();
    configured = config ? createMailer(config) : null;
  }
  return configured;
}
