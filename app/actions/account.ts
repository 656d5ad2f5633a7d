'use server';

import { revalidatePath } from 'next/cache';
import { headers } from 'next/headers';
import { getCurrentUser } from '@/app/(auth)/current-user';
import { getDb } from '@/db/client';
import { log } from '@/lib/log';
import { mailerFromEnv } from '@/lib/mail';
import { changeOwnPassword } from '@/lib/services/passwords';
import { requestPasswordReset, resetPassword } from '@/lib/services/password-reset';
import { signOutOtherSessions, signOutSession } from '@/lib/services/sessions';
import { field, runAction, type ActionState } from './result';

const SESSION_ENDED: ActionState = { ok: false, message: 'Your session has ended. Sign in again.' };

function others(count: number): string {
  return count === 1 ? '1 other session' : `${count} other sessions`;
}

export async function signOutSessionAction(
  _prev: ActionState,
  formData: FormData,
): Promise<ActionState> {
  return runAction('account.signOutSession', async () => {
    const user = await getCurrentUser();
    if (!user) return SESSION_ENDED;
    await signOutSession(
      await getDb(),
      { userId: user.id, sessionId: user.sessionId },
      field(formData, 'sessionId'),
    );
    revalidatePath('/profile');
    return { ok: true, message: 'That session is signed out.' };
  });
}

export async function signOutOtherSessionsAction(): Promise<ActionState> {
  return runAction('account.signOutOthers', async () => {
    const user = await getCurrentUser();
    if (!user) return SESSION_ENDED;
    const ended = await signOutOtherSessions(await getDb(), {
      userId: user.id,
      sessionId: user.sessionId,
    });
    revalidatePath('/profile');
    return { ok: true, message: `Signed out ${others(ended)}. This browser stays signed in.` };
  });
}

export async function changePasswordAction(
  _prev: ActionState,
  formData: FormData,
): Promise<ActionState> {
  return runAction('account.password', async () => {
    const user = await getCurrentUser();
    if (!user) return SESSION_ENDED;
    const { sessionsEnded } = await changeOwnPassword(
      await getDb(),
      { userId: user.id, sessionId: user.sessionId },
      { current: field(formData, 'currentPassword'), next: field(formData, 'newPassword') },
    );
    revalidatePath('/profile');
    return {
      ok: true,
      message: `Your password is changed. Signed out ${others(sessionsEnded)}; this browser stays signed in.`,
    };
  });
}

export async function requestPasswordResetAction(
  _prev: ActionState,
  formData: FormData,
): Promise<ActionState> {
  return runAction('account.resetRequest', async () => {
    // Stamped by the custom server from the socket (or the trusted proxy): reset throttling.
    const address = (await headers()).get('x-client-address') ?? 'unknown';
    const { message, delivery } = await requestPasswordReset(
      await getDb(),
      mailerFromEnv(),
      { email: field(formData, 'email') },
      { address },
    );
    // Not awaited: the answer takes the same time whether a mail goes out or not.
    delivery.catch((error: unknown) => log.error({ err: error }, 'reset mail not sent'));
    return { ok: true, message };
  });
}

export async function resetPasswordAction(
  _prev: ActionState,
  formData: FormData,
): Promise<ActionState> {
  return runAction('account.reset', async () => {
    await resetPassword(await getDb(), {
      token: field(formData, 'token'),
      password: field(formData, 'password'),
    });
    return {
      ok: true,
      message:
        'Your password is changed and every session of your account is signed out. Sign in with the new password.',
      data: { done: '1' },
    };
  });
}
