import type { Metadata } from 'next';
import { requireUser } from '@/app/(auth)/current-user';
import { updateProfileAction } from '@/app/actions/auth';
import { ActionForm } from '@/components/ActionForm';
import { Field } from '@/components/Field';
import { SubmitButton } from '@/components/SubmitButton';

export const metadata: Metadata = { title: 'Profile' };

export default async function ProfilePage() {
  const user = await requireUser('/profile');
  return (
    <section className="narrow">
      <h1>Your profile</h1>
      <p className="muted">Signed in as {user.email}.</p>
      <ActionForm action={updateProfileAction} label="Profile" className="stack">
        <Field label="Display name" name="name" defaultValue={user.name} required maxLength={80} />
        <SubmitButton pendingLabel="Saving…">Save</SubmitButton>
      </ActionForm>
    </section>
  );
}
