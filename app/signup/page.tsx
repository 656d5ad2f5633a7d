import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { getCurrentUser, safeReturnPath } from '@/app/(auth)/current-user';
import { signUpAction } from '@/app/actions/auth';
import { ActionForm } from '@/components/ActionForm';
import { Field } from '@/components/Field';
import { SubmitButton } from '@/components/SubmitButton';
import { inviteTokenOfReturnPath } from '@/lib/auth/invite-path';
import { signUpPolicyFromEnv } from '@/lib/auth/sign-up-policy';
import { SIGN_UP_RULE_MESSAGES } from '@/lib/services/sign-up-rules';
import { MIN_PASSWORD_LENGTH } from '@/lib/password-rules';

export const metadata: Metadata = { title: 'Create account' };

export default async function SignUpPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string }>;
}) {
  const callbackUrl = safeReturnPath((await searchParams).callbackUrl);
  if (await getCurrentUser()) redirect(callbackUrl);
  const policy = signUpPolicyFromEnv();
  // The form would be refused anyway (signUpAction checks the invite); this only says so first.
  if (policy.mode === 'invite-only' && !inviteTokenOfReturnPath(callbackUrl)) {
    return (
      <section className="auth-card">
        <h1>Create your account</h1>
        <p role="status">{SIGN_UP_RULE_MESSAGES.invite_only}</p>
        <p className="muted">
          Already have an account?{' '}
          <Link href={`/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`}>Sign in</Link>
        </p>
      </section>
    );
  }
  return (
    <section className="auth-card">
      <h1>Create your account</h1>
      <ActionForm action={signUpAction} label="Create account" className="stack">
        <input type="hidden" name="callbackUrl" value={callbackUrl} />
        <Field
          label="Display name"
          name="name"
          autoComplete="name"
          required
          maxLength={80}
          autoFocus
          hint="Shown to your group beside your edits and comments."
        />
        <Field
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          required
          hint={
            policy.emailDomains.length > 0
              ? `An address at ${policy.emailDomains.join(', ')}.`
              : undefined
          }
        />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={MIN_PASSWORD_LENGTH}
          hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}
        />
        <SubmitButton pendingLabel="Creating account…">Create account</SubmitButton>
      </ActionForm>
      <p className="muted">
        Already have an account?{' '}
        <Link href={`/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`}>Sign in</Link>
      </p>
    </section>
  );
}
