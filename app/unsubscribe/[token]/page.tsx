import type { Metadata } from 'next';
import { unsubscribeAction } from '@/app/actions/notifications';
import { ActionForm } from '@/components/ActionForm';
import { SubmitButton } from '@/components/SubmitButton';

export const metadata: Metadata = { title: 'Stop notification mail' };

/**
 * Where a notification mail's unsubscribe link leads, signed in or not. Opening the link changes
 * nothing (mail scanners open links); the one button does. Mail clients use the one-click POST
 * of the List-Unsubscribe header instead (./one-click).
 */
export default async function UnsubscribePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return (
    <section className="narrow">
      <h1>Stop notification mail</h1>
      <p>
        You will get no more notification mail from this workspace. Your inbox in the app still
        lists mentions, replies and deadlines; you can turn mail back on from your profile.
      </p>
      <ActionForm action={unsubscribeAction} label="Unsubscribe" className="stack">
        <input type="hidden" name="token" value={token} />
        <SubmitButton pendingLabel="Turning off…">Turn notification mail off</SubmitButton>
      </ActionForm>
    </section>
  );
}
