import type { ActionState } from '@/lib/action-state';
import { ActionForm } from '@/components/ActionForm';
import { Field } from '@/components/Field';
import { SubmitButton } from '@/components/SubmitButton';
import { MIN_PASSWORD_LENGTH } from '@/lib/password-rules';

/** Change password (current one required), or why there is none to change. */
export function PasswordSection({
  hasPassword,
  changePassword,
}: {
  hasPassword: boolean;
  changePassword: (state: ActionState, formData: FormData) => Promise<ActionState>;
}) {
  return (
    <section aria-labelledby="password-heading">
      <h2 id="password-heading">Password</h2>
      {hasPassword ? (
        <ActionForm
          action={changePassword}
          label="Change password"
          className="stack"
          resetOnSuccess
        >
          <Field
            label="Current password"
            name="currentPassword"
            type="password"
            autoComplete="current-password"
            required
          />
          <Field
            label="New password"
            name="newPassword"
            type="password"
            autoComplete="new-password"
            required
            minLength={MIN_PASSWORD_LENGTH}
            hint={`At least ${MIN_PASSWORD_LENGTH} characters. Your other sessions are signed out; this one stays.`}
          />
          <SubmitButton pendingLabel="Changing…">Change password</SubmitButton>
        </ActionForm>
      ) : (
        <p className="muted">
          You sign in through single sign-on: your password is kept by your organisation.
        </p>
      )}
    </section>
  );
}
