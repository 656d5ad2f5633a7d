import { describe, expect, it } from 'vitest';
import { testDatabaseConfigs } from '../../db/testing';
import { AppError } from '../errors';
import { MAX_SIGN_UPS_PER_ADDRESS, SIGN_UP_MESSAGES, SIGN_UP_WINDOW_MS, signUp } from './accounts';
import { authenticate, MAX_FAILURES_PER_ACCOUNT } from './sign-in';
import { freshAddress, useServiceFixture } from './testing/fixtures';

let sequence = 0;
const fresh = (label: string) => {
  sequence += 1;
  return `${label}.${Date.now()}.${sequence}@example.test`;
};

async function errorOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

/** Issue 19, finding 7: sign-up tells nobody who has an account, and is throttled. */
describe.each(testDatabaseConfigs())('sign-up on $name', ({ config }) => {
  const fx = useServiceFixture(config);

  it('a taken email gets a neutral refusal that does not say an account exists', async () => {
    const email = fresh('taken');
    const address = freshAddress();
    await signUp(fx.db, { name: 'Ana', email, password: 'a long passphrase' }, { address });
    const refusal = await errorOf(
      signUp(
        fx.db,
        { name: 'Eve', email: email.toUpperCase(), password: 'another passphrase' },
        { address: freshAddress() },
      ),
    );
    expect(refusal.message).toBe(SIGN_UP_MESSAGES.notCreated);
    expect(refusal.message).not.toMatch(/exist|already|taken|registered/i);
    expect(refusal.kind).toBe('bad_request');
    // Its owner signing up again with their own password just gets in, as a fresh sign-up does.
    expect(
      await signUp(fx.db, { name: 'Ana', email, password: 'a long passphrase' }, { address }),
    ).toMatchObject({ email });
  });

  it('a taken email is no password oracle: wrong guesses count as failed sign-ins', async () => {
    const email = fresh('oracle');
    await signUp(fx.db, { name: 'Bo', email, password: 'the right passphrase' });
    const address = freshAddress();
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) {
      await errorOf(
        signUp(fx.db, { name: 'X', email, password: `guess number ${i}` }, { address }),
      );
    }
    // Locked for that address, through sign-up as through sign-in, even with the right password.
    expect(
      (
        await errorOf(
          signUp(fx.db, { name: 'X', email, password: 'the right passphrase' }, { address }),
        )
      ).kind,
    ).toBe('rate_limited');
    expect(
      await authenticate(fx.db, { email, password: 'the right passphrase', address }),
    ).toMatchObject({ ok: false, reason: 'rate_limited' });
  });

  it('throttles sign-ups per address, and only that address', async () => {
    const address = freshAddress('v6');
    for (let i = 0; i < MAX_SIGN_UPS_PER_ADDRESS; i++) {
      await signUp(
        fx.db,
        { name: 'Bot', email: fresh('bulk'), password: 'a long passphrase' },
        { address },
      );
    }
    const refused = await errorOf(
      signUp(
        fx.db,
        { name: 'Bot', email: fresh('bulk'), password: 'a long passphrase' },
        { address },
      ),
    );
    expect(refused.kind).toBe('rate_limited');
    // Probing taken emails from that address is refused the same way, before any lookup.
    expect(
      (
        await errorOf(
          signUp(
            fx.db,
            { name: 'Bot', email: fresh('probe'), password: 'a long passphrase' },
            { address },
          ),
        )
      ).kind,
    ).toBe('rate_limited');
    // Another address (another /64) signs up.
    expect(
      await signUp(
        fx.db,
        { name: 'Cy', email: fresh('other'), password: 'a long passphrase' },
        { address: freshAddress('v6') },
      ),
    ).toMatchObject({ name: 'Cy' });
    // After the window the address may sign up again.
    const later = new Date(Date.now() + SIGN_UP_WINDOW_MS + 1_000);
    expect(
      await signUp(
        fx.db,
        { name: 'Dee', email: fresh('later'), password: 'a long passphrase' },
        { address, now: later },
      ),
    ).toMatchObject({ name: 'Dee' });
  });
});
