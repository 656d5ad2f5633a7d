'use server';

import { AuthError, CredentialsSignin } from 'next-auth';
import { signIn, signOut } from '@/app/(auth)/auth';
import { getCurrentUser, safeReturnPath } from '@/app/(auth)/current-user';
import { rememberSsoInvite } from '@/app/(auth)/sso-invite';
import { getDb } from '@/db/client';
import { inviteTokenOfReturnPath } from '@/lib/auth/invite-path';
import { oidcProvidersFromEnv } from '@/lib/auth/oidc-providers';
import { SIGN_IN_MESSAGES } from '@/lib/services/sign-in';
import { renameSelf, setOwnTimeZone, signUp } from '@/lib/services/accounts';
import { revalidatePath } from 'next/cache';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { field, runAction, type ActionState } from './result';

const secondStepPath = (callbackUrl: string) =>
  `/signin/second-factor?callbackUrl=${encodeURIComponent(safeReturnPath(callbackUrl))}`;

async function signInWithPassword(
  email: string,
  password: string,
  callbackUrl: string,
): Promise<ActionState> {
  try {
    await signIn('credentials', { email, password, redirectTo: safeReturnPath(callbackUrl) });
    return { ok: true, message: 'Signed in.' };
  } catch (error) {
    if (error instanceof CredentialsSignin) {
      const [code, seconds] = (error.code ?? '').split(':');
      if (code === 'second_factor') redirect(secondStepPath(callbackUrl));
      if (code === 'rate_limited') {
        return {
          ok: false,
          message: SIGN_IN_MESSAGES.rate_limited(Math.ceil(Number(seconds) / 60)),
        };
      }
      return { ok: false, message: SIGN_IN_MESSAGES.invalid };
    }
    if (error instanceof AuthError) return { ok: false, message: SIGN_IN_MESSAGES.invalid };
    throw error;
  }
}

/** Starts a single sign-on with one of the configured providers. */
export async function ssoSignInAction(formData: FormData): Promise<void> {
  const provider = field(formData, 'provider');
  if (!oidcProvidersFromEnv().some((p) => p.id === provider)) redirect('/signin?error=unknown');
  const callbackUrl = safeReturnPath(field(formData, 'callbackUrl'));
  await rememberSsoInvite(inviteTokenOfReturnPath(callbackUrl));
  await signIn(provider, { redirectTo: callbackUrl });
}

export async function signInAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  return runAction('auth.signIn', () =>
    signInWithPassword(
      field(formData, 'email'),
      field(formData, 'password'),
      field(formData, 'callbackUrl'),
    ),
  );
}

export async function signUpAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  return runAction('auth.signUp', async () => {
    const email = field(formData, 'email');
    const password = field(formData, 'password');
    // Stamped by the custom server from the socket (or the trusted proxy): sign-up throttling.
    const address = (await headers()).get('x-client-address') ?? 'unknown';
    const callbackUrl = safeReturnPath(field(formData, 'callbackUrl'));
    await signUp(
      await getDb(),
      { name: field(formData, 'name'), email, password },
      { address, inviteToken: inviteTokenOfReturnPath(callbackUrl) },
    );
    return signInWithPassword(email, password, callbackUrl);
  });
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: '/' });
}

export async function updateTimeZoneAction(
  _prev: ActionState,
  formData: FormData,
): Promise<ActionState> {
  return runAction('account.zone', async () => {
    const user = await getCurrentUser();
    if (!user) return { ok: false, message: 'Your session has ended. Sign in again.' };
    const zone = await setOwnTimeZone(await getDb(), user.id, field(formData, 'timeZone'));
    revalidatePath('/', 'layout');
    return {
      ok: true,
      message: zone ? `Times are shown in ${zone}.` : "Times are shown in your browser's zone.",
    };
  });
}

export async function updateProfileAction(
  _prev: ActionState,
  formData: FormData,
): Promise<ActionState> {
  return runAction('account.rename', async () => {
    const user = await getCurrentUser();
    if (!user) return { ok: false, message: 'Your session has ended. Sign in again.' };
    const name = await renameSelf(await getDb(), user.id, field(formData, 'name'));
    revalidatePath('/', 'layout');
    return { ok: true, message: `Saved. You appear as ${name}.` };
  });
}
