'use client';

import Link from 'next/link';
import { useActionState } from 'react';
import type { ActionState } from '@/lib/action-state';
import { Field } from '@/components/Field';
import { SubmitButton } from '@/components/SubmitButton';
import { MIN_PASSWORD_LENGTH } from '@/lib/password-rules';

/** The new-password form of a reset link; once it worked, only the way to sign in is left. */
export function ResetPasswordForm({
  token,
  action,
}: {
  token: string;
  action: (state: ActionState, formData: FormData) => Promise<ActionState>;
}) {
  const [state, formAction] = useActionState(action, null);
  if (state?.ok) {
    return (
      <div role="status" className="form-message form-success">
        <p>{state.message}</p>
        <p>
          <Link href="/signin">Sign in</Link>
        </p>
      </div>
    );
  }
  return (
    <form action={formAction} aria-label="Choose a new password" className="stack">
      <input type="hidden" name="token" value={token} />
      <Field
        label="New password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={MIN_PASSWORD_LENGTH}
        autoFocus
        hint={`At least ${MIN_PASSWORD_LENGTH} characters. Every session of your account is signed out.`}
      />
      <SubmitButton pendingLabel="Saving…">Set new password</SubmitButton>
      {state && !state.ok && (
        <p role="alert" className="form-message form-error">
          {state.message}
        </p>
      )}
    </form>
  );
}
