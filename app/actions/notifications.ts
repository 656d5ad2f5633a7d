'use server';

import { revalidatePath } from 'next/cache';
import { getCurrentUser } from '@/app/(auth)/current-user';
import { getDb } from '@/db/client';
import { setNotifyModeAs, unsubscribeWithToken } from '@/lib/services/notifications';
import { field, runAction, type ActionState } from './result';

const SAVED = {
  immediate: 'Notifications are mailed as they happen.',
  digest: 'Notifications are mailed once a day, in a digest.',
  off: 'No notification mail; the inbox still lists everything.',
} as const;

export async function updateNotifyModeAction(
  _prev: ActionState,
  formData: FormData,
): Promise<ActionState> {
  return runAction('notifications.mode', async () => {
    const user = await getCurrentUser();
    if (!user) return { ok: false, message: 'Your session has ended. Sign in again.' };
    const mode = await setNotifyModeAs(await getDb(), user.id, field(formData, 'notifyMode'));
    revalidatePath('/profile');
    return { ok: true, message: SAVED[mode] };
  });
}

/** The unsubscribe page's button: works without a session, through the signed token alone. */
export async function unsubscribeAction(
  _prev: ActionState,
  formData: FormData,
): Promise<ActionState> {
  return runAction('notifications.unsubscribe', async () => {
    const done = await unsubscribeWithToken(await getDb(), field(formData, 'token'));
    if (!done) return { ok: false, message: 'This unsubscribe link is not valid.' };
    return { ok: true, message: `Notification mail to ${done.email} is off.` };
  });
}
