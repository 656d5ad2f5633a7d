import NextAuth, { CredentialsSignin } from 'next-auth';
import { headers } from 'next/headers';
import Credentials from 'next-auth/providers/credentials';
import { getDb } from '@/db/client';
import { createAuthSession, deleteAuthSession } from '@/db/queries/users';
import { findSsoAccountUser } from '@/db/queries/sso-accounts';
import { oidcProvidersFromEnv } from '@/lib/auth/oidc-providers';
import { signUpPolicyFromEnv } from '@/lib/auth/sign-up-policy';
import { resolveSsoSignIn } from '@/lib/services/sso';
import { completeSecondStep, signInWithPassword } from '@/lib/services/second-factor-sign-in';
import { SESSION_MAX_AGE_SECONDS } from '@/lib/auth/session-token';
import { storedUserAgent } from '@/lib/auth/user-agent';
import { signInSchema } from '@/lib/validation';
import { log } from '@/lib/log';
import { authConfig } from './auth.config';
import { ssoInviteToken } from './sso-invite';
import {
  forgetSignInChallenge,
  rememberSignInChallenge,
  signInChallengeToken,
} from './sign-in-challenge';

export class InvalidCredentials extends CredentialsSignin {
  code = 'invalid';
}
export class RateLimited extends CredentialsSignin {
  constructor(readonly retryAfterSeconds: number) {
    super();
    this.code = `rate_limited:${retryAfterSeconds}`;
  }
}

/** The password was right; the sign-in continues at the second step (the code). */
export class SecondFactorNeeded extends CredentialsSignin {
  code = 'second_factor';
}
export class SignInExpired extends CredentialsSignin {
  code = 'expired';
}

export const {
  handlers: { GET, POST },
  auth,
  signIn,
  signOut,
} = NextAuth({
  ...authConfig,
  logger: {
    error(error) {
      // A wrong password is an expected outcome, answered on the form, not a server error.
      if (error instanceof CredentialsSignin) return;
      // Auth.js wraps the failure (a provider's refusal, a callback's throw) as its cause.
      log.error({ err: error, cause: error.cause }, 'auth error');
    },
  },
  providers: [
    Credentials({
      credentials: { email: {}, password: {} },
      async authorize(credentials, request) {
        const parsed = signInSchema.safeParse(credentials);
        if (!parsed.success) throw new InvalidCredentials();
        const result = await signInWithPassword(await getDb(), {
          ...parsed.data,
          address: request.headers.get('x-client-address'),
        });
        if (result.ok) return result.user;
        if (result.reason === 'rate_limited') throw new RateLimited(result.retryAfterSeconds);
        if (result.reason === 'second_factor') {
          // The token goes to an httpOnly cookie, never into a URL or the error's code.
          await rememberSignInChallenge(result.challengeToken);
          throw new SecondFactorNeeded();
        }
        throw new InvalidCredentials();
      },
    }),
    // The second step is a provider of its own: Auth.js still makes the session (the jwt
    // callback below, one code path for every sign-in), and a session exists only once the code
    // is right. The challenge binds it server-side to the password step that preceded it.
    Credentials({
      id: 'second-factor',
      credentials: { code: {} },
      async authorize(credentials, request) {
        const challengeToken = await signInChallengeToken();
        const code = typeof credentials.code === 'string' ? credentials.code.slice(0, 64) : '';
        if (!challengeToken) throw new SignInExpired();
        const result = await completeSecondStep(await getDb(), {
          challengeToken,
          code,
          address: request.headers.get('x-client-address'),
        });
        if (result.ok) {
          await forgetSignInChallenge();
          return result.user;
        }
        if (result.reason === 'rate_limited') throw new RateLimited(result.retryAfterSeconds);
        if (result.reason === 'expired') throw new SignInExpired();
        throw new InvalidCredentials();
      },
    }),
    ...oidcProvidersFromEnv().map((provider) => ({
      id: provider.id,
      name: provider.name,
      type: 'oidc' as const,
      issuer: provider.issuer,
      clientId: provider.clientId,
      clientSecret: provider.clientSecret,
    })),
  ],
  callbacks: {
    async signIn({ account, profile }) {
      if (account?.type !== 'oidc') return true;
      const result = await resolveSsoSignIn(
        await getDb(),
        {
          provider: account.provider,
          subject: account.providerAccountId,
          email: profile?.email,
          emailVerified: profile?.email_verified,
          name: profile?.name,
        },
        signUpPolicyFromEnv(),
        await ssoInviteToken(),
      );
      // A refusal goes back to the sign-in page, which words it from its own list.
      return result.ok ? true : `/signin?error=${result.reason}`;
    },
    async jwt({ token, user, account }) {
      // On sign-in only: a session row makes this JWT revocable (sign-out, removal).
      // A single sign-on's user is the provider's subject until resolved to ours (signIn linked it).
      const userId =
        account?.type === 'oidc'
          ? (await findSsoAccountUser(await getDb(), account.provider, account.providerAccountId))
              ?.id
          : user?.id;
      if (userId) {
        token.sub = userId;
        token.sid = await createAuthSession(
          await getDb(),
          userId,
          new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000),
          // Names the device in the profile's sessions list.
          storedUserAgent((await headers()).get('user-agent')),
        );
      }
      return token;
    },
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      if (typeof token.sid === 'string') session.sessionId = token.sid;
      return session;
    },
  },
  events: {
    async signOut(message) {
      if ('token' in message && typeof message.token?.sid === 'string') {
        await deleteAuthSession(await getDb(), message.token.sid);
      }
    },
  },
});
