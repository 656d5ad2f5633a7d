'use client';

import { useActionState } from 'react';
import type { ActionState } from '@/lib/action-state';
import { Field } from '../Field';
import { SubmitButton } from '../SubmitButton';

type Props = { action: (state: ActionState, formData: FormData) => Promise<ActionState> };

/**
 * Confirms an enrolment with one code, then shows the recovery codes in place of the form: they
 * exist only in this answer (the server keeps hashes), so the page must not re-render them away.
 */
export function ConfirmEnrolmentForm({ action }: Props) {
  const [state, formAction] = useActionState(action, null);
  const codes = state?.ok ? (state.data?.recoveryCodes ?? '').split('\n').filter(Boolean) : [];
  if (state?.ok) {
    return (
      <div role="status" className="form-message form-success stack">
        <p>{state.message}</p>
        <p>
          Keep these recovery codes somewhere safe, away from your phone. Each signs you in once if
          you lose the app. They are shown only now.
        </p>
        <ul className="recovery-codes" aria-label="Recovery codes">
          {codes.map((code) => (
            <li key={code}>
              <code>{code}</code>
            </li>
          ))}
        </ul>
        <p>
          <a className="button button-primary" href="/profile#second-factor">
            I have saved my recovery codes
          </a>
        </p>
      </div>
    );
  }
  return (
    <form action={formAction} aria-label="Confirm second factor" className="stack">
      <Field
        label="Code from the app"
        id="confirm-code"
        name="code"
        inputMode="numeric"
        autoComplete="one-time-code"
        required
        maxLength={6}
      />
      {state && !state.ok && (
        <p role="alert" className="form-message form-error">
          {state.message}
        </p>
      )}
      <SubmitButton pendingLabel="Checking…">Confirm and turn on</SubmitButton>
    </form>
  );
}
