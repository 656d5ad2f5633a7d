/** How to reach the SMTP server: a URL, or its parts. */
export type SmtpServer =
  | { url: string }
  | {
      host: string;
      port: number;
      /** TLS from the first byte (port 465 style); false: STARTTLS when the server offers it. */
      secure: boolean;
      user: string | null;
      pass: string | null;
    };

/** Outgoing mail, as configured by the environment. */
export type MailConfig = {
  smtp: SmtpServer;
  /** The From header, e.g. "Briefing workspace <briefing@diplomatie.gouv.fr>". */
  from: string;
  /** Origin links in mail point at (PUBLIC_URL, else AUTH_URL), never the request's Host. */
  publicOrigin: string;
};

type Env = Readonly<Record<string, string | undefined>>;

const TRUE = new Set(['1', 'true', 'yes']);
const FALSE = new Set(['', '0', 'false', 'no']);

/**
 * Reads SMTP_URL, or SMTP_HOST with SMTP_PORT, SMTP_SECURE, SMTP_USER and SMTP_PASS; MAIL_FROM;
 * and the public origin for links (PUBLIC_URL, else AUTH_URL). Null when no SMTP server is set
 * (no mail is sent). Throws one error naming every variable at fault, so a deployment with broken
 * mail settings fails at start, not when someone first asks for a reset link.
 */
export function mailConfigFromEnv(env: Env = process.env): MailConfig | null {
  const value = (name: string) => env[name]?.trim() ?? '';
  const url = value('SMTP_URL');
  const host = value('SMTP_HOST');
  if (!url && !host) return null;
  const problems: string[] = [];
  if (url && host) problems.push('set SMTP_URL or SMTP_HOST, not both');

  let smtp: SmtpServer;
  if (url) {
    if (!/^smtps?:\/\/[^/]/.test(url))
      problems.push('SMTP_URL must start with smtp:// or smtps://');
    smtp = { url };
  } else {
    const secureRaw = value('SMTP_SECURE').toLowerCase();
    if (!TRUE.has(secureRaw) && !FALSE.has(secureRaw)) {
      problems.push('SMTP_SECURE must be true or false');
    }
    const secure = TRUE.has(secureRaw);
    const portRaw = value('SMTP_PORT');
    const port = portRaw === '' ? (secure ? 465 : 587) : Number(portRaw);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      problems.push('SMTP_PORT must be a port number');
    }
    const user = value('SMTP_USER') || null;
    const pass = env.SMTP_PASS ?? null;
    if ((user === null) !== (pass === null || pass === '')) {
      problems.push('SMTP_USER and SMTP_PASS go together');
    }
    smtp = { host, port, secure, user, pass: pass || null };
  }

  const from = value('MAIL_FROM');
  if (!from) problems.push('MAIL_FROM is not set');
  else if (!/@[^@\s>]+>?$/.test(from) || /[\r\n]/.test(from)) {
    problems.push('MAIL_FROM must be an address, e.g. "Briefing <briefing@example.org>"');
  }

  const publicOrigin = originOf(value('PUBLIC_URL') || value('AUTH_URL'));
  if (publicOrigin === undefined) {
    problems.push('PUBLIC_URL (or AUTH_URL) must be set to the http(s) address people open');
  }

  if (problems.length > 0) throw new Error(`Mail is misconfigured: ${problems.join('; ')}.`);
  return { smtp, from, publicOrigin: publicOrigin! };
}

function originOf(text: string): string | undefined {
  if (!text) return undefined;
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : undefined;
  } catch {
    return undefined;
  }
}
