import nodemailer from 'nodemailer';
import type { MailConfig } from './config';

/** One message: plain text, optionally with an HTML alternative and extra headers. */
export type MailMessage = {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** e.g. List-Unsubscribe; values must come from the server, never from user text. */
  headers?: Record<string, string>;
};

/** Sends mail; the one thing features (password reset, later notifications) depend on. */
export interface Mailer {
  /** The origin links in mail point at. */
  readonly publicOrigin: string;
  /** Resolves when the SMTP server accepted the message; rejects when it did not. */
  send(message: MailMessage): Promise<void>;
}

/** A mailer over nodemailer's SMTP transport. */
export function createMailer(config: MailConfig): Mailer {
  const transport =
    'url' in config.smtp
      ? nodemailer.createTransport(config.smtp.url)
      : nodemailer.createTransport({
          host: config.smtp.host,
          port: config.smtp.port,
          secure: config.smtp.secure,
          auth: config.smtp.user
            ? { user: config.smtp.user, pass: config.smtp.pass ?? '' }
            : undefined,
        });
  return {
    publicOrigin: config.publicOrigin,
    async send(message) {
      await transport.sendMail({ from: config.from, ...message });
    },
  };
}
