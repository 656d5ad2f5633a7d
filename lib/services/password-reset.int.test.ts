import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordResetTokens } from '../../db/schema';
import { createAuthSession, createUser, findSessionUser } from '../../db/queries/users';
import { testDatabaseConfigs } from '../../db/testing';
import { createMailer, type Mailer } from '../mail';
import { startSmtpSink } from '../mail/testing/smtp-sink';
import { signUp } from './accounts';
import {
  isUsableResetLink,
  MAX_RESET_MAILS_PER_EMAIL,
  MAX_RESET_REQUESTS_PER_ADDRESS,
  requestPasswordReset,
  resetPassword,
  RESET_LINK_TTL_MS,
  RESET_MESSAGES,
} from './password-reset';
import { authenticate } from './sign-in';
import { freshAddress, kindOf, useServiceFixture } from './testing/fixtures';

const ORIGIN = 'https://briefing.example.org';
let sink: Awaited<ReturnType<typeof startSmtpSink>>;
let mailer: Mailer;

beforeAll(async () => {
  sink = await startSmtpSink();
  mailer = createMailer({
    smtp: { url: `smtp://127.0.0.1:${sink.port}` },
    from: 'Briefing <briefing@example.org>',
    publicOrigin: ORIGIN,
  });
});
afterAll(() => sink.close());

let sequence = 0;

describe.each(testDatabaseConfigs())('password reset by email on $name', ({ config }) => {
  const fx = useServiceFixture(config);

  async function account(password = 'the forgotten passphrase') {
    sequence += 1;
    const email = `reset.${Date.now()}.${sequence}@example.test`;
    const user = await signUp(fx.db, { name: 'Forgetful', email, password });
    return { ...user, email };
  }
  /** Asks for a link from a fresh address and returns the token read from the real mail. */
  async function linkFor(email: string, now?: Date) {
    const before = sink.received.length;
    const { delivery } = await requestPasswordReset(
      fx.db,
      mailer,
      { email },
      { address: freshAddress() },
      now,
    );
    await delivery;
    const mail = await sink.next(email, before);
    const match = new RegExp(`${ORIGIN}/reset-password/([A-Za-z0-9_-]+)`).exec(mail.text);
    expect(match, mail.text).not.toBeNull();
    return { token: match![1]!, mail };
  }

  it('mails a link to the account, storing only a hash of its secret', async () => {
    const { id, email } = await account();
    const { token, mail } = await linkFor(email);
    expect(mail.subject).toBe('Choose a new password for the briefing workspace');
    expect(mail.from).toContain('briefing@example.org');
    const rows = await fx.db
      .select()
      .from(passwordResetTokens)
      .where(eq(passwordResetTokens.userId, id));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(rows[0]!.tokenHash).not.toContain(token);
    expect(rows[0]!.expiresAt.getTime() - rows[0]!.createdAt.getTime()).toBeCloseTo(
      RESET_LINK_TTL_MS,
      -4,
    );
  });

  it('sets the new password once, ends every session, and the link never works again', async () => {
    const { id, email } = await account();
    const session = await createAuthSession(fx.db, id, new Date(Date.now() + 3600_000));
    const { token } = await linkFor(email);
    expect(await isUsableResetLink(fx.db, token)).toBe(true);

    await expect(resetPassword(fx.db, { token, password: 'short' })).rejects.toThrow(
      'Use at least 10 characters.',
    );
    // A refused password does not use the link up.
    expect(await isUsableResetLink(fx.db, token)).toBe(true);

    expect(await resetPassword(fx.db, { token, password: 'a brand new passphrase' })).toEqual({
      email,
    });
    expect(await findSessionUser(fx.db, session)).toBeUndefined();
    const signIn = (password: string) =>
      authenticate(fx.db, { email, password, address: freshAddress() });
    expect((await signIn('a brand new passphrase')).ok).toBe(true);
    expect((await signIn('the forgotten passphrase')).ok).toBe(false);

    expect(await isUsableResetLink(fx.db, token)).toBe(false);
    await expect(resetPassword(fx.db, { token, password: 'a third passphrase' })).rejects.toThrow(
      RESET_MESSAGES.unusable,
    );
    expect((await signIn('a brand new passphrase')).ok).toBe(true);
  });

  it('a link expires after 30 minutes, and a newer password retires older links', async () => {
    const { email } = await account();
    const asked = new Date();
    const { token: late } = await linkFor(email, asked);
    const tooLate = new Date(asked.getTime() + RESET_LINK_TTL_MS + 1000);
    expect(await isUsableResetLink(fx.db, late, tooLate)).toBe(false);
    expect(
      await kindOf(
        resetPassword(fx.db, { token: late, password: 'a brand new passphrase' }, tooLate),
      ),
    ).toBe('not_found');

    const { token: first } = await linkFor(email);
    const { token: second } = await linkFor(email);
    await resetPassword(fx.db, { token: second, password: 'a brand new passphrase' });
    expect(await isUsableResetLink(fx.db, first)).toBe(false);
    expect(
      await kindOf(
        resetPassword(fx.db, { token: 'made-up', password: 'x'.repeat(3) + 'abcdefgh' }),
      ),
    ).toBe('not_found');
  });

  it('answers an unknown email and a single sign-on account exactly as a real one, mailing neither', async () => {
    const { email } = await account();
    sequence += 1;
    const ssoOnly = await createUser(fx.db, {
      email: `reset.sso.${Date.now()}.${sequence}@example.test`,
      name: 'SSO',
      passwordHash: null,
    });
    const ask = async (address: string) => {
      const result = await requestPasswordReset(
        fx.db,
        mailer,
        { email: address },
        { address: freshAddress() },
      );
      await result.delivery;
      return result.message;
    };
    const before = sink.received.length;
    const answers = [
      await ask(email),
      await ask(`nobody.${Date.now()}@example.test`),
      await ask(ssoOnly.email),
    ];
    expect(answers).toEqual([RESET_MESSAGES.sent, RESET_MESSAGES.sent, RESET_MESSAGES.sent]);
    await sink.next(email, before);
    expect(sink.received.slice(before).flatMap((m) => m.to)).toEqual([email]);
  });

  it('throttles requests per address and mails per email, and is off without SMTP', async () => {
    const address = freshAddress();
    for (let i = 0; i < MAX_RESET_REQUESTS_PER_ADDRESS; i++) {
      await requestPasswordReset(
        fx.db,
        mailer,
        { email: `sweep${i}.${Date.now()}@example.test` },
        { address },
      );
    }
    expect(
      await kindOf(requestPasswordReset(fx.db, mailer, { email: 'x@example.test' }, { address })),
    ).toBe('rate_limited');

    const { email } = await account();
    const before = sink.received.length;
    for (let i = 0; i < MAX_RESET_MAILS_PER_EMAIL + 2; i++) {
      const result = await requestPasswordReset(
        fx.db,
        mailer,
        { email },
        { address: freshAddress() },
      );
      expect(result.message).toBe(RESET_MESSAGES.sent);
      await result.delivery;
    }
    expect(sink.received.slice(before).filter((m) => m.to.includes(email))).toHaveLength(
      MAX_RESET_MAILS_PER_EMAIL,
    );

    await expect(
      requestPasswordReset(fx.db, null, { email }, { address: freshAddress() }),
    ).rejects.toThrow(RESET_MESSAGES.unavailable);
    expect(
      await kindOf(
        requestPasswordReset(fx.db, mailer, { email: 'not an email' }, { address: null }),
      ),
    ).toBe('bad_request');
  });
});
