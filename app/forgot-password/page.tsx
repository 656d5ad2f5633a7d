import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound, redirect } from 'next/navigation';
import { getCurrentUser } from '@/app/(auth)/current-user';
import { requestPasswordResetAction } from '@/app/actions/account';
import { ActionForm } from '@/components/ActionForm';
import { Field } from '@/components/Field';
import { SubmitButton } from '@/components/SubmitButton';
import { mailerFromEnv } from '@/lib/mail';

export const metadata: Metadata = { title: 'Forgot password' };

export default async function ForgotPasswordPage() {
  // Without SMTP there is no way to send the link: no page (the action refuses too).
  if (!mailerFromEnv()) notFound();
  if (await getCurrentUser()) redirect('/profile');
  return (
    <section className="auth-card">
      <h1>Forgot your password?</h1>
      <p className="muted">
        Enter the email you sign in with. If it has an account with a password, we mail it a link to
        choose a new one.
      </p>
      <ActionForm
        action={requestPasswordResetAction}
        label="Ask for a reset link"
        className="stack"
      >
        <Field label="Email" name="email" type="email" autoComplete="email" required autoFocus />
        <SubmitButton pendingLabel="Sending…">Send reset link</SubmitButton>
      </ActionForm>
      <p className="muted">
        Remembered it? <Link href="/signin">Sign in</Link>
      </p>
    </section>
  );
}
