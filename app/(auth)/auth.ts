import NextAuth, { CredentialsSignin } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import { getDb } from '@/db/client';
import { createAuthSession, deleteAuthSession } from '@/db/queries/users';
import { authenticate } from '@/lib/services/sign-in';
import { SESSION_MAX_AGE_SECONDS } from '@/lib/auth/session-token';
import { signInSchema } from '@/lib/validation';
import { log } from '@/lib/log';
import { authConfig } from './auth.config';

export class InvalidCredentials extends CredentialsSignin {
  code = 'invalid';
}
export class RateLimited extends CredentialsSignin {
  constructor(readonly retryAfterSeconds: number) {
    super();
    this.code = `rate_limited:${retryAfterSeconds}`;
  }
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
      log.error({ err: error }, 'auth error');
    },
  },
  providers: [
    Credentials({
      credentials: { email: {}, password: {} },
      async authorize(credentials, request) {
        const parsed = signInSchema.safeParse(credentials);
        if (!parsed.success) throw new InvalidCredentials();
        const result = await authenticate(await getDb(), {
          ...parsed.data,
          address: request.headers.get('x-client-address'),
        });
        if (result.ok) return result.user;
        if (result.reason === 'rate_limited') throw new RateLimited(result.retryAfterSeconds);
        throw new InvalidCredentials();
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      // On sign-in only: a session row makes this JWT revocable (sign-out, removal).
      if (user?.id) {
        token.sub = user.id;
        token.sid = await createAuthSession(
          await getDb(),
          user.id,
          new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000),
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
