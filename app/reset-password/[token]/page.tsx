import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { resetPasswordAction } from '@/app/actions/account';
import { getDb } from '@/db/client';
import { mailerFromEnv } from '@/lib/mail';
import { isUsableResetLink, RESET_MESSAGES } from '@/lib/services/password-reset';
import { ResetPasswordForm } from '@/components/ResetPasswordForm';

export const metadata: Metadata = { title: 'Choose a new password', referrer: 'no-referrer' };

export default async function ResetPasswordPage({
  params,
}: {
  params: Promise<{ token: string }>;
}) {
  if (!mailerFromEnv()) notFound();
  const { token } = await params;
  const usable = await isUsableResetLink(await getDb(), token);
  return (
    <section className="auth-card">
      <h1>Choose a new password</h1>
      {usable ? (
        <ResetPasswordForm token={token} action={resetPasswordAction} />
      ) : (
        <>
          <p role="alert" className="form-error">
            {RESET_MESSAGES.unusable}
          </p>
          <p className="muted">
            <Link href="/forgot-password">Ask for a new link</Link> or{' '}
            <Link href="/signin">sign in</Link>.
          </p>
        </>
      )}
    </section>
  );
}
