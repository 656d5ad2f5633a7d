import { describe, expect, it } from 'vitest';
import {
  createAuthSession,
  createUser,
  findSessionUser,
  findUserById,
} from '../../db/queries/users';
import { testDatabaseConfigs } from '../../db/testing';
import { verifyPassword } from '../auth/password';
import { signUp } from './accounts';
import { changeOwnPassword, PASSWORD_MESSAGES } from './passwords';
import {
  LAST_SEEN_REFRESH_MS,
  listOwnSessions,
  noteSessionSeen,
  signOutOtherSessions,
  signOutSession,
} from './sessions';
import { MAX_FAILURES_PER_ACCOUNT } from './sign-in';
import { kindOf, useServiceFixture } from './testing/fixtures';

const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
const CHROME =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const PASSWORD = 'the first passphrase';

let sequence = 0;

describe.each(testDatabaseConfigs())('sessions and password change on $name', ({ config }) => {
  const fx = useServiceFixture(config);
  const inAnHour = () => new Date(Date.now() + 3600_000);

  /** A user with a password signed in from two browsers. */
  async function signedInTwice() {
    sequence += 1;
    const email = `sessions.${Date.now()}.${sequence}@example.test`;
    const user = await signUp(fx.db, { name: 'Delegate', email, password: PASSWORD });
    const here = await createAuthSession(fx.db, user.id, inAnHour(), CHROME);
    const there = await createAuthSession(fx.db, user.id, inAnHour(), FIREFOX);
    return { user, here, there, actor: { userId: user.id, sessionId: here } };
  }
  const live = async (sessionId: string) => (await findSessionUser(fx.db, sessionId)) !== undefined;

  it('lists my live sessions with their device, this browser first and marked', async () => {
    const { here, there, actor } = await signedInTwice();
    const sessions = await listOwnSessions(fx.db, actor);
    expect(sessions.map((s) => [s.id, s.device, s.current])).toEqual([
      [here, 'Chrome on Linux', true],
      [there, 'Firefox on Windows', false],
    ]);
    expect(sessions[0]!.signedInAt).toBeInstanceOf(Date);
  });

  it('signs out one of my other sessions, which stops working at once', async () => {
    const { here, there, actor } = await signedInTwice();
    await signOutSession(fx.db, actor, there);
    expect(await live(there)).toBe(false);
    expect(await live(here)).toBe(true);
    expect((await listOwnSessions(fx.db, actor)).map((s) => s.id)).toEqual([here]);
  });

  it("refuses to sign out someone else's session, as if it did not exist", async () => {
    const mine = await signedInTwice();
    const theirs = await signedInTwice();
    expect(await kindOf(signOutSession(fx.db, mine.actor, theirs.there))).toBe('not_found');
    expect(await kindOf(signOutSession(fx.db, mine.actor, 'not-a-uuid'))).toBe('not_found');
    expect(await kindOf(signOutOtherSessions(fx.db, mine.actor))).toBe('resolved');
    expect(await live(theirs.there)).toBe(true);
    expect(await live(theirs.here)).toBe(true);
  });

  it('"sign out everywhere else" keeps only this session', async () => {
    const { user, here, there, actor } = await signedInTwice();
    const third = await createAuthSession(fx.db, user.id, inAnHour(), null);
    expect(await signOutOtherSessions(fx.db, actor)).toBe(2);
    expect([await live(here), await live(there), await live(third)]).toEqual([true, false, false]);
  });

  it('moves "last seen" only when it is a few minutes old', async () => {
    const { here, actor } = await signedInTwice();
    const [first] = await listOwnSessions(fx.db, actor);
    const soon = new Date(first!.lastSeenAt.getTime() + LAST_SEEN_REFRESH_MS - 1000);
    await noteSessionSeen(fx.db, { sessionId: here, lastSeenAt: first!.lastSeenAt }, soon);
    expect((await listOwnSessions(fx.db, actor))[0]!.lastSeenAt).toEqual(first!.lastSeenAt);
    const later = new Date(first!.lastSeenAt.getTime() + LAST_SEEN_REFRESH_MS + 1000);
    await noteSessionSeen(fx.db, { sessionId: here, lastSeenAt: first!.lastSeenAt }, later);
    expect((await listOwnSessions(fx.db, actor))[0]!.lastSeenAt).toEqual(later);
  });

  it('changing my password ends my other sessions and keeps this one', async () => {
    const { user, here, there, actor } = await signedInTwice();
    expect(
      await changeOwnPassword(fx.db, actor, { current: PASSWORD, next: 'a second passphrase' }),
    ).toEqual({ sessionsEnded: 1 });
    expect(await live(here)).toBe(true);
    expect(await live(there)).toBe(false);
    const stored = (await findUserById(fx.db, user.id))!.passwordHash!;
    expect(await verifyPassword(stored, 'a second passphrase')).toBe(true);
    expect(await verifyPassword(stored, PASSWORD)).toBe(false);
  });

  it('refuses a wrong current password, a weak new one, and changes nothing', async () => {
    const { user, there, actor } = await signedInTwice();
    await expect(
      changeOwnPassword(fx.db, actor, { current: 'not my password', next: 'a second passphrase' }),
    ).rejects.toThrow(PASSWORD_MESSAGES.wrongCurrent);
    await expect(
      changeOwnPassword(fx.db, actor, { current: PASSWORD, next: 'aaaaaaaaaaaa' }),
    ).rejects.toThrow('Use a less repetitive password.');
    await expect(
      changeOwnPassword(fx.db, actor, { current: PASSWORD, next: PASSWORD }),
    ).rejects.toThrow(PASSWORD_MESSAGES.sameAsCurrent);
    expect(await live(there)).toBe(true);
    const stored = (await findUserById(fx.db, user.id))!.passwordHash!;
    expect(await verifyPassword(stored, PASSWORD)).toBe(true);
  });

  it('stops guessing the current password after a few tries', async () => {
    const { actor } = await signedInTwice();
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) {
      expect(
        await kindOf(
          changeOwnPassword(fx.db, actor, { current: `guess ${i}`, next: 'new passphrase 1' }),
        ),
      ).toBe('forbidden');
    }
    expect(
      await kindOf(
        changeOwnPassword(fx.db, actor, { current: PASSWORD, next: 'new passphrase 1' }),
      ),
    ).toBe('rate_limited');
  });

  it('refuses an account without a password (single sign-on only)', async () => {
    sequence += 1;
    const user = await createUser(fx.db, {
      email: `sso.${Date.now()}.${sequence}@example.test`,
      name: 'SSO only',
      passwordHash: null,
    });
    const sessionId = await createAuthSession(fx.db, user.id, inAnHour());
    await expect(
      changeOwnPassword(
        fx.db,
        { userId: user.id, sessionId },
        { current: '', next: 'new passphrase 1' },
      ),
    ).rejects.toThrow(PASSWORD_MESSAGES.noPassword);
    expect((await findUserById(fx.db, user.id))!.passwordHash).toBeNull();
  });
});
