import { describe, expect, it } from 'vitest';
import { findSecondFactorStanding } from '../../db/queries/second-factor';
import { createAuthSession, createUser, findUserByEmail } from '../../db/queries/users';
import { findLiveSessionIds } from '../../db/queries/collab-access';
import { testDatabaseConfigs } from '../../db/testing';
import { addMember } from '../../db/queries/workspaces';
import { totpCode } from '../auth/totp';
import { SecondFactorRequired } from '../second-factor';
import { requireFramework, requireMember } from './access';
import { signUp } from './accounts';
import { pruneAuthRecords } from './auth-housekeeping';
import { createFrameworkAs } from './frameworks';
import {
  confirmTotpEnrolment,
  disableTotp,
  RECOVERY_CODE_COUNT,
  secondFactorStatus,
  startTotpEnrolment,
} from './second-factor';
import {
  OWNER_NEEDS_SECOND_FACTOR,
  setSecondFactorRequirement,
  withoutRefusingGroups,
} from './second-factor-requirement';
import {
  CHALLENGE_TTL_MS,
  completeSecondStep,
  signInWithPassword,
  type PasswordStepResult,
} from './second-factor-sign-in';
import { MAX_FAILURES_PER_ACCOUNT } from './sign-in';
import { freshAddress, kindOf, useServiceFixture } from './testing/fixtures';
import { createTestFramework, createTestUser } from '../../server/collab/testing/test-support';

// The sign-in steps read the key as the product does (AUTH_SECRET); enrolment is given it here.
process.env.AUTH_SECRET ??= 'integration-test-auth-secret';
const SECRET = process.env.AUTH_SECRET;
const PASSWORD = 'the right passphrase';
let sequence = 0;

/** A moment on a step boundary, so "the next step" is exactly 30 s later. */
const stepStart = (offsetSteps = 0) =>
  new Date((Math.floor(Date.now() / 30_000) + offsetSteps) * 30_000);

const challengeOf = (result: PasswordStepResult): string => {
  if (result.ok || result.reason !== 'second_factor')
    throw new Error(`no challenge: ${JSON.stringify(result)}`);
  return result.challengeToken;
};

describe.each(testDatabaseConfigs())('second factor on $name', ({ config }) => {
  const fx = useServiceFixture(config);

  /** A password account with TOTP on: its secret, recovery codes and a kept session. */
  async function enrolledUser(now = stepStart()) {
    sequence += 1;
    const email = `totp.${Date.now()}.${sequence}@example.test`;
    await signUp(fx.db, { name: 'Ana', email, password: PASSWORD });
    const user = (await findUserByEmail(fx.db, email))!;
    const sessionId = await createAuthSession(fx.db, user.id, new Date(Date.now() + 3600_000));
    const { secret } = await startTotpEnrolment(fx.db, user, SECRET);
    const recoveryCodes = await confirmTotpEnrolment(
      fx.db,
      { id: user.id, sessionId },
      totpCode(secret, now),
      now,
      SECRET,
    );
    return { user, email, secret, recoveryCodes, sessionId };
  }

  it('turns on only after a current code, and ends the other sessions', async () => {
    sequence += 1;
    const email = `enrol.${Date.now()}.${sequence}@example.test`;
    await signUp(fx.db, { name: 'Bo', email, password: PASSWORD });
    const user = (await findUserByEmail(fx.db, email))!;
    const here = await createAuthSession(fx.db, user.id, new Date(Date.now() + 3600_000));
    const elsewhere = await createAuthSession(fx.db, user.id, new Date(Date.now() + 3600_000));
    const { secret, uri } = await startTotpEnrolment(fx.db, user, SECRET);
    expect(uri).toContain(`secret=${secret}`);
    expect(await secondFactorStatus(fx.db, user, SECRET)).toMatchObject({
      kind: 'pending',
      secret,
    });

    const now = stepStart();
    const confirm = (code: string) =>
      confirmTotpEnrolment(fx.db, { id: user.id, sessionId: here }, code, now, SECRET);
    expect(await kindOf(confirm('000000'))).toBe('bad_request');
    const stale = totpCode(secret, new Date(now.getTime() - 5 * 60_000));
    expect(await kindOf(confirm(stale))).toBe('bad_request');
    expect((await findSecondFactorStanding(fx.db, user.id))?.totpEnabled).toBe(false);

    const codes = await confirm(totpCode(secret, now));
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(codes).size).toBe(RECOVERY_CODE_COUNT);
    expect(await secondFactorStatus(fx.db, user, SECRET)).toEqual({
      kind: 'on',
      recoveryCodesLeft: RECOVERY_CODE_COUNT,
    });
    const live = await findLiveSessionIds(fx.db, [here, elsewhere]);
    expect([...live]).toEqual([here]);
  });

  it('an account without a password has its identity provider as the factor', async () => {
    const sso = await createUser(fx.db, {
      email: `sso.${Date.now()}@example.test`,
      name: 'Sso',
      passwordHash: null,
    });
    expect(await secondFactorStatus(fx.db, sso, SECRET)).toEqual({ kind: 'single-sign-on' });
    expect(await kindOf(startTotpEnrolment(fx.db, sso, SECRET))).toBe('conflict');
  });

  it('a right password gives a challenge, not a session; the code completes it once', async () => {
    const now = stepStart(1);
    const { user, email, secret } = await enrolledUser(stepStart());
    const address = freshAddress();
    const first = await signInWithPassword(fx.db, { email, password: PASSWORD, address }, now);
    expect(first).toMatchObject({ ok: false, reason: 'second_factor' });
    const token = challengeOf(first);

    const step = (challengeToken: string, code: string, at = now) =>
      completeSecondStep(fx.db, { challengeToken, code, address }, at);
    expect(await step(token, '123456')).toEqual({ ok: false, reason: 'invalid' });
    expect(await step('made-up-token', totpCode(secret, now))).toEqual({
      ok: false,
      reason: 'expired',
    });
    expect(await step(token, totpCode(secret, now))).toMatchObject({
      ok: true,
      user: { id: user.id },
    });
    // Single use: the same challenge does not sign in twice.
    expect(await step(token, totpCode(secret, now))).toEqual({ ok: false, reason: 'expired' });

    // Replay: a new sign-in with the code already used in this window is refused...
    const again = challengeOf(
      await signInWithPassword(fx.db, { email, password: PASSWORD, address }, now),
    );
    expect(await step(again, totpCode(secret, now))).toEqual({ ok: false, reason: 'invalid' });
    // ...and the next step's code is accepted.
    const later = new Date(now.getTime() + 30_000);
    expect((await step(again, totpCode(secret, later), later)).ok).toBe(true);
  });

  it('a challenge expires', async () => {
    const { email, secret } = await enrolledUser();
    const now = stepStart(1);
    const address = freshAddress();
    const token = challengeOf(
      await signInWithPassword(fx.db, { email, password: PASSWORD, address }, now),
    );
    const late = new Date(now.getTime() + CHALLENGE_TTL_MS + 1_000);
    expect(
      await completeSecondStep(
        fx.db,
        { challengeToken: token, code: totpCode(secret, late), address },
        late,
      ),
    ).toEqual({ ok: false, reason: 'expired' });
    // Housekeeping removes it.
    expect((await pruneAuthRecords(fx.db, late)).challenges).toBeGreaterThanOrEqual(1);
    expect((await pruneAuthRecords(fx.db, late)).challenges).toBe(0);
  });

  it('a recovery code signs in once', async () => {
    const { user, email, recoveryCodes } = await enrolledUser();
    const now = stepStart(1);
    const address = freshAddress();
    const code = recoveryCodes[0]!;
    const signInWith = async (typed: string) =>
      completeSecondStep(
        fx.db,
        {
          challengeToken: challengeOf(
            await signInWithPassword(fx.db, { email, password: PASSWORD, address }, now),
          ),
          code: typed,
          address,
        },
        now,
      );
    // Typed in capitals and without the dash, as people do.
    expect(await signInWith(code.toUpperCase().replace('-', ' '))).toMatchObject({ ok: true });
    expect(await signInWith(code)).toEqual({ ok: false, reason: 'invalid' });
    expect(await secondFactorStatus(fx.db, user, SECRET)).toEqual({
      kind: 'on',
      recoveryCodesLeft: RECOVERY_CODE_COUNT - 1,
    });
  });

  it('wrong codes are throttled like wrong passwords, and a right password buys no more', async () => {
    const { email, secret } = await enrolledUser();
    const now = stepStart(1);
    const attacker = freshAddress();
    const challenge = async () =>
      challengeOf(
        await signInWithPassword(fx.db, { email, password: PASSWORD, address: attacker }, now),
      );
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) {
      // A fresh challenge each time: the password step clears password failures, not these.
      const result = await completeSecondStep(
        fx.db,
        { challengeToken: await challenge(), code: String(100000 + i), address: attacker },
        now,
      );
      expect(result).toEqual({ ok: false, reason: 'invalid' });
    }
    expect(
      await completeSecondStep(
        fx.db,
        { challengeToken: await challenge(), code: totpCode(secret, now), address: attacker },
        now,
      ),
    ).toMatchObject({ ok: false, reason: 'rate_limited' });
    // The owner, from their own address, is not locked out.
    const owner = freshAddress();
    const token = challengeOf(
      await signInWithPassword(fx.db, { email, password: PASSWORD, address: owner }, now),
    );
    expect(
      (
        await completeSecondStep(
          fx.db,
          { challengeToken: token, code: totpCode(secret, now), address: owner },
          now,
        )
      ).ok,
    ).toBe(true);
  });

  it('turning it off needs a current code', async () => {
    const { user, secret } = await enrolledUser();
    const now = stepStart(1);
    expect(await kindOf(disableTotp(fx.db, user.id, '000000', now, SECRET))).toBe('bad_request');
    await disableTotp(fx.db, user.id, totpCode(secret, now), now, SECRET);
    expect(await secondFactorStatus(fx.db, user, SECRET)).toEqual({ kind: 'off' });
  });

  it('a group that requires it refuses members without it, in the access function', async () => {
    const owner = await createTestUser(fx.db, 'Owner');
    const member = await createTestUser(fx.db, 'Member');
    const sso = await createUser(fx.db, {
      email: `sso-member.${Date.now()}@example.test`,
      name: 'Sso member',
      passwordHash: null,
    });
    const { workspaceId, frameworkId } = await createTestFramework(fx.db, owner, [
      [member, 'editor'],
    ]);
    await addMember(fx.db, { workspaceId, userId: sso.id, role: 'editor' });

    // The owner without a second factor may not turn it on.
    await expect(
      setSecondFactorRequirement(fx.db, owner.id, { workspaceId, required: true }),
    ).rejects.toThrow(OWNER_NEEDS_SECOND_FACTOR);
    // With one, they may; a member who is not an owner may not.
    const now = stepStart();
    const { secret } = await startTotpEnrolment(
      fx.db,
      { id: owner.id, email: 'o@example.test' },
      SECRET,
    );
    await confirmTotpEnrolment(fx.db, owner, totpCode(secret, now), now, SECRET);
    expect(
      await kindOf(setSecondFactorRequirement(fx.db, member.id, { workspaceId, required: true })),
    ).toBe('forbidden');
    expect(
      await setSecondFactorRequirement(fx.db, owner.id, { workspaceId, required: true }),
    ).toEqual({ membersWithout: 1 });

    // The member with a password and no TOTP is refused everywhere routes go through.
    await expect(requireMember(fx.db, member.id, workspaceId, 'workspace.read')).rejects.toThrow(
      SecondFactorRequired,
    );
    await expect(
      requireFramework(fx.db, member.id, { workspaceId, frameworkId }, 'framework.read'),
    ).rejects.toBeInstanceOf(SecondFactorRequired);
    expect(
      await kindOf(
        createFrameworkAs(fx.db, member.id, workspaceId, { title: 'X', template: 'blank' }),
      ),
    ).toBe('forbidden');
    // What the inbox gathers across groups leaves this group out for them, not other groups.
    const elsewhere = { workspaceId: (await createTestFramework(fx.db, member)).workspaceId };
    expect(await withoutRefusingGroups(fx.db, member.id, [{ workspaceId }, elsewhere])).toEqual([
      elsewhere,
    ]);
    expect(await withoutRefusingGroups(fx.db, owner.id, [{ workspaceId }])).toEqual([
      { workspaceId },
    ]);
    // The owner with TOTP and the single sign-on member are let in.
    await requireMember(fx.db, owner.id, workspaceId, 'workspace.read');
    await requireMember(fx.db, sso.id, workspaceId, 'workspace.read');

    // After enrolling, the member gets in.
    const { secret: memberSecret } = await startTotpEnrolment(
      fx.db,
      { id: member.id, email: 'm@example.test' },
      SECRET,
    );
    await confirmTotpEnrolment(fx.db, member, totpCode(memberSecret, now), now, SECRET);
    await requireFramework(fx.db, member.id, { workspaceId, frameworkId }, 'framework.read');
    expect(await withoutRefusingGroups(fx.db, member.id, [{ workspaceId }])).toHaveLength(1);

    // Optional again: nobody is refused for it.
    await setSecondFactorRequirement(fx.db, owner.id, { workspaceId, required: false });
  });
});
