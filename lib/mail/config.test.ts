import { describe, expect, it } from 'vitest';
import { mailConfigFromEnv } from './config';

const base = {
  MAIL_FROM: 'Briefing <briefing@example.org>',
  PUBLIC_URL: 'https://b.example.org/x',
};

describe('mailConfigFromEnv', () => {
  it('is off without an SMTP server', () => {
    expect(mailConfigFromEnv({ MAIL_FROM: 'a@b.c' })).toBeNull();
  });

  it('reads a URL, and the public origin from PUBLIC_URL before AUTH_URL', () => {
    expect(
      mailConfigFromEnv({ ...base, SMTP_URL: 'smtp://u:p@mail:25', AUTH_URL: 'https://other' }),
    ).toEqual({
      smtp: { url: 'smtp://u:p@mail:25' },
      from: base.MAIL_FROM,
      publicOrigin: 'https://b.example.org',
    });
  });

  it('reads the parts, with the port following SMTP_SECURE, and falls back to AUTH_URL', () => {
    expect(
      mailConfigFromEnv({
        SMTP_HOST: 'mail.example.org',
        SMTP_SECURE: 'true',
        SMTP_USER: 'u',
        SMTP_PASS: 'p',
        MAIL_FROM: 'b@example.org',
        AUTH_URL: 'https://briefing.example.org',
      }),
    ).toEqual({
      smtp: { host: 'mail.example.org', port: 465, secure: true, user: 'u', pass: 'p' },
      from: 'b@example.org',
      publicOrigin: 'https://briefing.example.org',
    });
    expect(mailConfigFromEnv({ ...base, SMTP_HOST: 'mail' })?.smtp).toMatchObject({
      port: 587,
      secure: false,
      user: null,
    });
  });

  it('names every variable at fault', () => {
    expect(() =>
      mailConfigFromEnv({
        SMTP_HOST: 'mail',
        SMTP_PORT: 'x',
        SMTP_SECURE: 'maybe',
        SMTP_USER: 'u',
      }),
    ).toThrow(
      'Mail is misconfigured: SMTP_SECURE must be true or false; SMTP_PORT must be a port number; ' +
        'SMTP_USER and SMTP_PASS go together; MAIL_FROM is not set; PUBLIC_URL (or AUTH_URL) must ' +
        'be set to the http(s) address people open.',
    );
    expect(() => mailConfigFromEnv({ ...base, SMTP_URL: 'http://mail' })).toThrow(
      'SMTP_URL must start with smtp:// or smtps://',
    );
  });
});
