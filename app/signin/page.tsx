import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { getCurrentUser, safeReturnPath } from '@/app/(auth)/current-user';
import { signInAction, ssoSignInAction } from '@/app/actions/auth';
import { ActionForm } from '@/components/ActionForm';
import { Field } from '@/components/Field';
import { SsoButtons } from '@/components/SsoButtons';
import { SubmitButton } from '@/components/SubmitButton';
import { inviteTokenOfReturnPath } from '@/lib/auth/invite-path';
import { oidcProvidersFromEnv } from '@/lib/auth/oidc-providers';
import { signUpPolicyFromEnv } from '@/lib/auth/sign-up-policy';
import { mailerFromEnv } from '@/lib/mail';
import { ssoErrorMessage } from '@/lib/services/sso';

export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string; error?: string }>;
}) {
  const query = await searchParams;
  const callbackUrl = safeReturnPath(query.callbackUrl);
  if (await getCurrentUser()) redirect(callbackUrl);
  const policy = signUpPolicyFromEnv();
  const ssoError = ssoErrorMessage(query.error, policy);
  const providers = oidcProvidersFromEnv().map(({ id, name }) => ({ id, name }));
  return (
    <section className="auth-card">
      <h1>Sign in</h1>
      {ssoError && (
        <p role="alert" className="form-error">
          {ssoError}
        </p>
      )}
      <SsoButtons providers={providers} callbackUrl={callbackUrl} action={ssoSignInAction} />
      <ActionForm action={signInAction} label="Sign in" className="stack">
        <input type="hidden" name="callbackUrl" value={callbackUrl} />
        <Field label="Email" name="email" type="email" autoComplete="email" required autoFocus />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
        />
        <SubmitButton pendingLabel="Signing in…">Sign in</SubmitButton>
      </ActionForm>
      {mailerFromEnv() && (
        <p className="muted">
          <Link href="/forgot-password">Forgot password?</Link>
        </p>
      )}
      {policy.mode === 'open' || inviteTokenOfReturnPath(callbackUrl) ? (
        <p className="muted">
          New here?{' '}
          <Link href={`/signup?callbackUrl=${encodeURIComponent(callbackUrl)}`}>
            Create an account
          </Link>
        </p>
      ) : (
        <p className="muted">New accounts are created from an invite link.</p>
      )}
    </section>
  );
}
