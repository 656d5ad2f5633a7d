import { describe, expect, it } from 'vitest';
import { listSsoAccountsOfUser } from '../../db/queries/sso-accounts';
import { findUserByEmail } from '../../db/queries/users';
import { insertTestUser, testDatabaseConfigs } from '../../db/testing';
import type { SignUpPolicy } from '../auth/sign-up-policy';
import { signUp } from './accounts';
import { createInviteLink, revokeInviteLink } from './invites';
import { authenticate, SIGN_IN_MESSAGES } from './sign-in';
import { SIGN_UP_RULE_MESSAGES } from './sign-up-rules';
import { resolveSsoSignIn, SSO_MESSAGES, type SsoIdentity } from './sso';
import { useServiceFixture } from './testing/fixtures';
import { createWorkspaceAs } from './workspaces';

const OPEN: SignUpPolicy = { mode: 'open', emailDomains: [] };
const INVITE_ONLY: SignUpPolicy = { mode: 'invite-only', emailDomains: [] };
const FRENCH_ONLY: SignUpPolicy = { mode: 'open', emailDomains: ['gouv.fr'] };

let sequence = 0;
const fresh = (label: string, domain = 'example.test') => {
  sequence += 1;
  return `${label}.${Date.now()}.${sequence}@${domain}`;
};

function identity(email: string, overrides: Partial<SsoIdentity> = {}): SsoIdentity {
  sequence += 1;
  return {
    provider: 'ministry',
    subject: `subject-${Date.now()}-${sequence}`,
    email,
    emailVerified: true,
    name: 'Marie Dubois',
    ...overrides,
  };
}

describe.each(testDatabaseConfigs())('single sign-on accounts on $name', ({ config }) => {
  const fx = useServiceFixture(config);

  it('a first sign-on creates an account without a password, linked to the identity', async () => {
    const email = fresh('new');
    const who = identity(email);
    const result = await resolveSsoSignIn(fx.db, who, OPEN);
    expect(result).toMatchObject({
      ok: true,
      created: true,
      user: { email, name: 'Marie Dubois' },
    });
    const user = await findUserByEmail(fx.db, email);
    expect(user?.passwordHash).toBeNull();
    expect(await listSsoAccountsOfUser(fx.db, user!.id)).toEqual([
      { provider: 'ministry', subject: who.subject },
    ]);
  });

  it('a second sign-on of the same identity is the same user, even after an email change', async () => {
    const who = identity(fresh('again'));
    const first = await resolveSsoSignIn(fx.db, who, OPEN);
    const second = await resolveSsoSignIn(fx.db, { ...who, email: fresh('renamed') }, OPEN);
    expect(first.ok && second.ok).toBe(true);
    if (!first.ok || !second.ok) return;
    expect(second.user.id).toBe(first.user.id);
    expect(second.created).toBe(false);
  });

  it('links by verified email to an existing password account, in any letter case', async () => {
    const email = fresh('password');
    const account = await signUp(
      fx.db,
      { name: 'Piotr', email, password: 'a long passphrase' },
      { policy: OPEN },
    );
    const result = await resolveSsoSignIn(fx.db, identity(email.toUpperCase()), OPEN);
    expect(result).toMatchObject({
      ok: true,
      created: false,
      user: { id: account.id, name: 'Piotr' },
    });
    // The password still works beside the link.
    const signedIn = await authenticate(fx.db, {
      email,
      password: 'a long passphrase',
      address: null,
    });
    expect(signedIn.ok).toBe(true);
  });

  it('two providers naming the same verified email link to one user', async () => {
    const email = fresh('two-providers');
    const a = await resolveSsoSignIn(fx.db, identity(email), OPEN);
    const b = await resolveSsoSignIn(fx.db, identity(email, { provider: 'mfa' }), OPEN);
    expect(a.ok && b.ok && a.user.id === b.user.id).toBe(true);
    if (!a.ok) return;
    expect((await listSsoAccountsOfUser(fx.db, a.user.id)).map((l) => l.provider)).toEqual([
      'ministry',
      'mfa',
    ]);
  });

  it('refuses an unverified email and links nothing, not even to an existing account', async () => {
    const victim = await insertTestUser(fx.db, 'Victim');
    for (const emailVerified of [false, undefined, 'false', 1]) {
      const result = await resolveSsoSignIn(fx.db, identity(victim.email, { emailVerified }), OPEN);
      expect(result).toEqual({
        ok: false,
        reason: 'unverified_email',
        message: SSO_MESSAGES.unverified_email,
      });
    }
    expect(await listSsoAccountsOfUser(fx.db, victim.id)).toEqual([]);
  });

  it('refuses an identity without a usable email', async () => {
    for (const email of [undefined, '', 'not an email']) {
      const result = await resolveSsoSignIn(fx.db, identity('x', { email }), OPEN);
      expect(result).toMatchObject({ ok: false, reason: 'no_email' });
    }
  });

  it('names a new account after the email when the provider sends no usable name', async () => {
    const email = fresh('nameless');
    const result = await resolveSsoSignIn(fx.db, identity(email, { name: '   ' }), OPEN);
    expect(result).toMatchObject({ ok: true, user: { name: email.split('@')[0] } });
  });

  it('the password form refuses an account without a password like a wrong password', async () => {
    const email = fresh('sso-only');
    await resolveSsoSignIn(fx.db, identity(email), OPEN);
    const result = await authenticate(fx.db, { email, password: 'any password', address: null });
    expect(result).toEqual({ ok: false, reason: 'invalid' });
    expect(SIGN_IN_MESSAGES.invalid).not.toMatch(/single sign-on/i);
  });
});

describe.each(testDatabaseConfigs())('invite-only and email domains on $name', ({ config }) => {
  const fx = useServiceFixture(config);

  async function inviteLink() {
    const owner = await insertTestUser(fx.db, 'Chair');
    const ws = await createWorkspaceAs(fx.db, owner.id, 'Coalition');
    const link = await createInviteLink(fx.db, owner.id, ws.id, {
      role: 'editor',
      expiresInDays: 7,
      maxUses: 5,
    });
    return { owner, ws, token: link.token, inviteId: link.invite.id };
  }

  async function refusalOf(promise: Promise<unknown>): Promise<string> {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    return (error as Error).message;
  }

  const password = 'a long passphrase';

  it('invite-only: sign-up without an invite is refused and creates nothing', async () => {
    const email = fresh('uninvited');
    expect(
      await refusalOf(signUp(fx.db, { name: 'Eve', email, password }, { policy: INVITE_ONLY })),
    ).toBe(SIGN_UP_RULE_MESSAGES.invite_only);
    expect(await findUserByEmail(fx.db, email)).toBeUndefined();
  });

  it('invite-only: sign-up with a made-up or revoked invite is refused', async () => {
    const { owner, ws, token, inviteId } = await inviteLink();
    await revokeInviteLink(fx.db, owner.id, ws.id, inviteId);
    for (const inviteToken of [token, 'made-up-token']) {
      const email = fresh('bad-invite');
      expect(
        await refusalOf(
          signUp(fx.db, { name: 'Eve', email, password }, { policy: INVITE_ONLY, inviteToken }),
        ),
      ).toBe(SIGN_UP_RULE_MESSAGES.invite_only);
    }
  });

  it('invite-only: sign-up through a usable invite link creates the account', async () => {
    const { token } = await inviteLink();
    const email = fresh('invited');
    const user = await signUp(
      fx.db,
      { name: 'Jan', email, password },
      { policy: INVITE_ONLY, inviteToken: token },
    );
    expect(user.email).toBe(email);
  });

  it('invite-only: a first sign-on needs an invite; an existing account needs none', async () => {
    const email = fresh('sso-uninvited');
    expect(await resolveSsoSignIn(fx.db, identity(email), INVITE_ONLY)).toEqual({
      ok: false,
      reason: 'invite_only',
      message: SIGN_UP_RULE_MESSAGES.invite_only,
    });
    expect(await findUserByEmail(fx.db, email)).toBeUndefined();

    const { token } = await inviteLink();
    const invited = await resolveSsoSignIn(fx.db, identity(email), INVITE_ONLY, token);
    expect(invited).toMatchObject({ ok: true, created: true });

    const member = await insertTestUser(fx.db, 'Member');
    expect(await resolveSsoSignIn(fx.db, identity(member.email), INVITE_ONLY)).toMatchObject({
      ok: true,
      created: false,
      user: { id: member.id },
    });
  });

  it('domains: sign-up and a first sign-on outside the list are refused', async () => {
    const message = SIGN_UP_RULE_MESSAGES.domain_not_allowed(['gouv.fr']);
    const outsider = fresh('outsider', 'gmail.example');
    expect(
      await refusalOf(
        signUp(fx.db, { name: 'Eve', email: outsider, password }, { policy: FRENCH_ONLY }),
      ),
    ).toBe(message);
    // A subdomain is not the domain: "gouv.fr.evil.example" must not pass, nor "x.gouv.fr".
    for (const email of [fresh('lookalike', 'gouv.fr.evil.example'), fresh('sub', 'x.gouv.fr')]) {
      expect(await resolveSsoSignIn(fx.db, identity(email), FRENCH_ONLY)).toMatchObject({
        ok: false,
        reason: 'domain_not_allowed',
        message,
      });
      expect(await findUserByEmail(fx.db, email)).toBeUndefined();
    }
  });

  it('domains: sign-up and a first sign-on inside the list go through', async () => {
    const insider = fresh('insider', 'GOUV.FR');
    await signUp(fx.db, { name: 'Claire', email: insider, password }, { policy: FRENCH_ONLY });
    expect(await findUserByEmail(fx.db, insider)).toBeDefined();
    const ssoInsider = fresh('sso-insider', 'gouv.fr');
    expect(await resolveSsoSignIn(fx.db, identity(ssoInsider), FRENCH_ONLY)).toMatchObject({
      ok: true,
      created: true,
    });
  });

  it('domains apply to invited sign-ups too', async () => {
    const { token } = await inviteLink();
    const policy: SignUpPolicy = { mode: 'invite-only', emailDomains: ['mfa.gov.pl'] };
    expect(
      await refusalOf(
        signUp(
          fx.db,
          { name: 'Eve', email: fresh('invited-outsider'), password },
          { policy, inviteToken: token },
        ),
      ),
    ).toBe(SIGN_UP_RULE_MESSAGES.domain_not_allowed(['mfa.gov.pl']));
  });
});
