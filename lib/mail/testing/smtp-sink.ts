import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A message the sink received, as a reader would see it. */
export type ReceivedMail = {
  to: string[];
  from: string;
  subject: string;
  text: string;
  /** The HTML alternative, as sent ('' when none). */
  html: string;
  /** The whole message as it arrived (headers included). */
  raw: string;
};

/**
 * A real SMTP server on the loopback for tests (smtp-server, parsed by mailparser): keeps what it
 * receives, and with `dir` also writes each message there as `<n>.eml`, so another process (the
 * e2e specs, beside the global setup that started it) can read the mail.
 */
export async function startSmtpSink(
  port = 0,
  options: { dir?: string } = {},
): Promise<{
  port: number;
  received: ReceivedMail[];
  /** Resolves with the first message to `to` received after `since` messages (default: any). */
  next(to: string, since?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}> {
  const received: ReceivedMail[] = [];
  const waiters = new Set<() => void>();
  if (options.dir) mkdirSync(options.dir, { recursive: true });
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then(
          (parsed) => {
            const to = (Array.isArray(parsed.to) ? parsed.to : parsed.to ? [parsed.to] : [])
              .flatMap((address) => address.value)
              .map((address) => (address.address ?? '').toLowerCase());
            received.push({
              to,
              from: parsed.from?.text ?? '',
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : '',
              raw: raw.toString('utf8'),
            });
            if (options.dir) writeFileSync(path.join(options.dir, `${received.length}.eml`), raw);
            for (const wake of waiters) wake();
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.server.address() as AddressInfo;
  return {
    port: address.port,
    received,
    next(to, since = 0) {
      const find = () => received.slice(since).find((mail) => mail.to.includes(to.toLowerCase()));
      return new Promise((resolve, reject) => {
        const timeout = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no mail to ${to} within 10 s`));
        }, 10_000);
        const check = () => {
          const mail = find();
          if (!mail) return;
          clearTimeout(timeout);
          waiters.delete(check);
          resolve(mail);
        };
        waiters.add(check);
        check();
      });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
