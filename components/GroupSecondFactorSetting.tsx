import type { ActionState } from '@/lib/action-state';
import { ActionForm } from './ActionForm';
import { SubmitButton } from './SubmitButton';

type Props = {
  workspaceId: string;
  required: boolean;
  action: (state: ActionState, formData: FormData) => Promise<ActionState>;
};

/** The owner's switch: members who sign in with a password need a second factor here. */
export function GroupSecondFactorSetting({ workspaceId, required, action }: Props) {
  return (
    <ActionForm action={action} label="Second factor" className="stack">
      <input type="hidden" name="workspaceId" value={workspaceId} />
      <div className="field">
        <label className="checkbox">
          <input
            type="checkbox"
            name="required"
            defaultChecked={required}
            aria-describedby="require-second-factor-hint"
          />{' '}
          Require a second factor
        </label>
        <p id="require-second-factor-hint" className="hint">
          Members who sign in with a password must turn on a code from an authenticator app in their
          profile before they can open this group, its frameworks and its live editor. Single
          sign-on counts as a second factor. You need one yourself to turn this on.
        </p>
      </div>
      <SubmitButton variant="secondary" pendingLabel="Saving…">
        Save second-factor setting
      </SubmitButton>
    </ActionForm>
  );
}
