import { cookies } from 'next/headers';

// Carries the invite a single sign-on started from across the round trip to the provider.
const COOKIE = 'sso-invite';

/** Remembers (or, with null, forgets) the invite link a single sign-on starts from. */
export async function rememberSsoInvite(token: string | null): Promise<void> {
  const jar = await cookies();
  if (!token) {
    jar.delete(COOKIE);
    return;
  }
  jar.set(COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/api/auth',
    maxAge: 15 * 60,
    secure: process.env.AUTH_URL?.startsWith('https:') ?? false,
  });
}

/** The invite link the single sign-on under way started from, if any. */
export async function ssoInviteToken(): Promise<string | null> {
  return (await cookies()).get(COOKIE)?.value ?? null;
}
