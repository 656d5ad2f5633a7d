import type { ActionState } from '@/lib/action-state';
import { NOTIFY_MODES, type NotifyMode } from '@/lib/notifications/types';
import { ActionForm } from '../ActionForm';
import { SubmitButton } from '../SubmitButton';

const LABELS: Record<NotifyMode, string> = {
  immediate: 'Immediately, one mail each',
  digest: 'Daily digest, one mail a day',
  off: 'Off',
};

/** How notification mail reaches me; shown only when the deployment sends mail. */
export function NotificationSection({
  mode,
  digestHourUtc,
  save,
}: {
  mode: NotifyMode;
  digestHourUtc: number;
  save: (state: ActionState, formData: FormData) => Promise<ActionState>;
}) {
  return (
    <>
      <h2>Notification mail</h2>
      <ActionForm action={save} label="Notification mail" className="stack">
        <fieldset aria-describedby="notify-hint" className="stack">
          <legend>Mail me about mentions, replies, amendment decisions and deadlines</legend>
          {NOTIFY_MODES.map((value) => (
            <div key={value}>
              <label className="checkbox">
                <input
                  type="radio"
                  name="notifyMode"
                  value={value}
                  defaultChecked={mode === value}
                />
                {LABELS[value]}
              </label>
            </div>
          ))}
        </fieldset>
        <p id="notify-hint" className="hint">
          The digest goes out daily at {String(digestHourUtc).padStart(2, '0')}:00 UTC. The inbox
          lists everything whichever you choose.
        </p>
        <SubmitButton pendingLabel="Saving…">Save notification mail</SubmitButton>
      </ActionForm>
    </>
  );
}
