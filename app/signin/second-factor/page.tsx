import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { getCurrentUser, safeReturnPath } from '@/app/(auth)/current-user';
import { signInChallengeToken } from '@/app/(auth)/sign-in-challenge';
import { secondFactorSignInAction } from '@/app/actions/second-factor';
import { ActionForm } from '@/components/ActionForm';
import { Field } from '@/components/Field';
import { SubmitButton } from '@/components/SubmitButton';

export const metadata: Metadata = { title: 'Second step' };

export default async function SecondFactorPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string }>;
}) {
  const callbackUrl = safeReturnPath((await searchParams).callbackUrl);
  if (await getCurrentUser()) redirect(callbackUrl);
  const signInPath = `/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`;
  if (!(await signInChallengeToken())) {
    return (
      <section className="auth-card">
        <h1>Sign in</h1>
        <p>This sign-in has expired.</p>
        <p>
          <Link href={signInPath}>Enter your email and password again</Link>
        </p>
      </section>
    );
  }
  return (
    <section className="auth-card">
      <h1>Second step</h1>
      <p className="muted">Your password was right. Now the code from your authenticator app.</p>
      <ActionForm action={secondFactorSignInAction} label="Second step" className="stack">
        <input type="hidden" name="callbackUrl" value={callbackUrl} />
        <Field
          label="Code"
          name="code"
          autoComplete="one-time-code"
          required
          autoFocus
          maxLength={64}
          hint="Six digits from your app. Lost your phone? Enter one of your recovery codes instead."
        />
        <SubmitButton pendingLabel="Checking…">Continue</SubmitButton>
      </ActionForm>
      <p className="muted">
        <Link href={signInPath}>Start again</Link>
      </p>
    </section>
  );
}
