import { cookies } from 'next/headers';
import { CHALLENGE_TTL_MS } from '@/lib/services/second-factor-sign-in';

// Carries a pending second step from the password to the code. httpOnly, so page scripts never
// see it; the server knows the challenge only by its hash (lib/services/second-factor-sign-in.ts).
const COOKIE = 'sign-in-challenge';

export async function rememberSignInChallenge(token: string): Promise<void> {
  (await cookies()).set(COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    maxAge: CHALLENGE_TTL_MS / 1000,
    secure: process.env.AUTH_URL?.startsWith('https:') ?? false,
  });
}

export async function signInChallengeToken(): Promise<string | null> {
  return (await cookies()).get(COOKIE)?.value ?? null;
}

export async function forgetSignInChallenge(): Promise<void> {
  (await cookies()).delete(COOKIE);
}
