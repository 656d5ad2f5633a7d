import type { NextAuthConfig } from 'next-auth';
import { SESSION_MAX_AGE_SECONDS } from '@/lib/auth/session-token';

/** The edge-safe part of the auth configuration: no database, no native modules. */
export const authConfig = {
  pages: { signIn: '/signin' },
  session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS },
  trustHost: true,
  providers: [],
} satisfies NextAuthConfig;
