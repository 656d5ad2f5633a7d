import { describe, expect, it } from 'vitest';
import { testDatabaseConfigs } from '../../db/testing';
import { signUp } from './accounts';
import {
  authenticate,
  MAX_FAILURES_PER_ACCOUNT,
  MAX_FAILURES_PER_ADDRESS,
  SIGN_IN_WINDOW_MS,
} from './sign-in';
import { freshAddress, useServiceFixture } from './testing/fixtures';

let sequence = 0;

/** Issue 19, finding 4: failures lock an account for the address that made them, not for all. */
describe.each(testDatabaseConfigs())('sign-in lockout on $name', ({ config }) => {
  const fx = useServiceFixture(config);

  async function account() {
    sequence += 1;
    const email = `lockout.${Date.now()}.${sequence}@example.test`;
    await signUp(fx.db, { name: 'Owner', email, password: 'the right passphrase' });
    return email;
  }
  const attempt = (email: string, password: string, address: string | null, now?: Date) =>
    authenticate(fx.db, { email, password, address }, now);

  it('wrong passwords from one address leave the owner free to sign in from another', async () => {
    const email = await account();
    const attacker = freshAddress();
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT + 3; i++) {
      expect((await attempt(email, `guess ${i}`, attacker)).ok).toBe(false);
    }
    // The attacker's address is locked out of this account, even with the right password.
    expect(await attempt(email, 'the right passphrase', attacker)).toMatchObject({
      ok: false,
      reason: 'rate_limited',
    });
    // The owner, from their own address, signs in.
    expect(await attempt(email, 'the right passphrase', freshAddress())).toMatchObject({
      ok: true,
      user: { email },
    });
    // And the window ends for the attacker's address as before.
    const later = new Date(Date.now() + SIGN_IN_WINDOW_MS + 1_000);
    expect((await attempt(email, 'the right passphrase', attacker, later)).ok).toBe(true);
  });

  it('addresses of one IPv6 /64 count as one address', async () => {
    const email = await account();
    const prefix = freshAddress('v6').split('::')[0]!;
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) {
      await attempt(email, 'guess', `${prefix}::${(i + 1).toString(16)}`);
    }
    expect(await attempt(email, 'the right passphrase', `${prefix}:ffff::1`)).toMatchObject({
      reason: 'rate_limited',
    });
    expect((await attempt(email, 'the right passphrase', freshAddress('v6'))).ok).toBe(true);
  });

  it('an address spraying many accounts is still stopped', async () => {
    const address = freshAddress();
    for (let i = 0; i < MAX_FAILURES_PER_ADDRESS; i++) {
      await attempt(`nobody.${i}.${Date.now()}@example.test`, 'x', address);
    }
    const email = await account();
    expect(await attempt(email, 'the right passphrase', address)).toMatchObject({
      reason: 'rate_limited',
    });
    expect((await attempt(email, 'the right passphrase', freshAddress())).ok).toBe(true);
  });
});
