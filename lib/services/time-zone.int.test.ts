import { describe, expect, it } from 'vitest';
import { createAuthSession, findSessionUser } from '../../db/queries/users';
import { testDatabaseConfigs } from '../../db/testing';
import { setOwnTimeZone } from './accounts';
import { useServiceFixture } from './testing/fixtures';

describe.each(testDatabaseConfigs())('the time zone a user reads in, on $name', ({ config }) => {
  const fx = useServiceFixture(config, { users: { reader: 'Zone Reader' } });

  it('is stored, read back with the session, refused when unknown, and cleared to the browser’s', async () => {
    const sessionId = await createAuthSession(fx.db, fx.reader.id, new Date(Date.now() + 60_000));
    const zone = async () => (await findSessionUser(fx.db, sessionId))?.timeZone;
    expect(await zone()).toBeNull();
    expect(await setOwnTimeZone(fx.db, fx.reader.id, 'Europe/Kyiv')).toBe('Europe/Kyiv');
    expect(await zone()).toBe('Europe/Kyiv');
    await expect(setOwnTimeZone(fx.db, fx.reader.id, 'Mars/Olympus')).rejects.toMatchObject({
      kind: 'bad_request',
    });
    await expect(setOwnTimeZone(fx.db, fx.reader.id, { zone: 'UTC' })).rejects.toMatchObject({
      kind: 'bad_request',
    });
    expect(await zone()).toBe('Europe/Kyiv');
    expect(await setOwnTimeZone(fx.db, fx.reader.id, '')).toBeNull();
    expect(await zone()).toBeNull();
  });
});
