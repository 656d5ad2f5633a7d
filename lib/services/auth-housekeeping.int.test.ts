import { eq, inArray } from 'drizzle-orm';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createAuthSession, recordSignInFailure } from '../../db/queries/users';
import { createPasswordResetToken } from '../../db/queries/password-resets';
import { authSessions, passwordResetTokens, signInFailures } from '../../db/schema';
import { insertTestUser, testDatabaseConfigs } from '../../db/testing';
import { pruneAuthRecords, startAuthHousekeeping } from './auth-housekeeping';
import { useServiceFixture } from './testing/fixtures';

const HOUR = 3600_000;

/** Issue 19, finding 12: throttle events and ended sessions do not pile up forever. */
describe.each(testDatabaseConfigs())('auth housekeeping on $name', ({ config }) => {
  const fx = useServiceFixture(config);

  async function seed() {
    const now = Date.now();
    const key = `housekeeping:${now}:${Math.random()}`;
    // Two hours old (past every window), and one a minute old (still counted).
    await recordSignInFailure(fx.db, [`${key}:old`], new Date(now - 2 * HOUR));
    await recordSignInFailure(fx.db, [`${key}:recent`], new Date(now - 60_000));
    const user = await insertTestUser(fx.db, 'Sessions');
    const ended = await createAuthSession(fx.db, user.id, new Date(now - 1_000));
    const live = await createAuthSession(fx.db, user.id, new Date(now + HOUR));
    const hash = `housekeeping-${now}-${Math.random()}`;
    await createPasswordResetToken(fx.db, {
      userId: user.id,
      tokenHash: `${hash}:expired`,
      expiresAt: new Date(now - 1_000),
    });
    await createPasswordResetToken(fx.db, {
      userId: user.id,
      tokenHash: `${hash}:usable`,
      expiresAt: new Date(now + HOUR),
    });
    return { key, ended, live, hash };
  }
  const keysLeft = async (key: string) =>
    (
      await fx.db
        .select({ key: signInFailures.key })
        .from(signInFailures)
        .where(inArray(signInFailures.key, [`${key}:old`, `${key}:recent`]))
    ).map((row) => row.key);
  const sessionExists = async (id: string) =>
    (await fx.db.select().from(authSessions).where(eq(authSessions.id, id))).length === 1;

  it('prunes throttle events past every window, ended sessions and expired reset links, keeping the rest', async () => {
    const { key, ended, live, hash } = await seed();
    const pruned = await pruneAuthRecords(fx.db);
    expect(pruned.resetLinks).toBeGreaterThanOrEqual(1);
    expect(
      (
        await fx.db
          .select({ hash: passwordResetTokens.tokenHash })
          .from(passwordResetTokens)
          .where(inArray(passwordResetTokens.tokenHash, [`${hash}:expired`, `${hash}:usable`]))
      ).map((row) => row.hash),
    ).toEqual([`${hash}:usable`]);
    expect(pruned.throttleEvents).toBeGreaterThanOrEqual(1);
    expect(pruned.sessions).toBeGreaterThanOrEqual(1);
    expect(await keysLeft(key)).toEqual([`${key}:recent`]);
    expect(await sessionExists(ended)).toBe(false);
    expect(await sessionExists(live)).toBe(true);
  });

  it('runs on its own timer', async () => {
    const { key, ended, live } = await seed();
    const housekeeping = startAuthHousekeeping(
      () => Promise.resolve(fx.db),
      50,
      pino({ level: 'silent' }),
    );
    try {
      const deadline = Date.now() + 5_000;
      while ((await sessionExists(ended)) || (await keysLeft(key)).length > 1) {
        expect(Date.now()).toBeLessThan(deadline);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(await sessionExists(live)).toBe(true);
    } finally {
      housekeeping.stop();
    }
  });
});
