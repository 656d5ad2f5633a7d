import type { ActionState } from '@/lib/action-state';
import type { OwnSession } from '@/lib/auth/own-session';
import { ActionForm } from '@/components/ActionForm';
import { ConfirmSubmit } from '@/components/ConfirmSubmit';
import { SubmitButton } from '@/components/SubmitButton';
import { Time } from '@/components/time/Time';

type Action = (state: ActionState, formData: FormData) => Promise<ActionState>;

/** My signed-in browsers, each with its own sign-out, and one to end all but this one. */
export function SessionsSection({
  sessions,
  signOutSession,
  signOutOthers,
}: {
  sessions: OwnSession[];
  signOutSession: Action;
  signOutOthers: Action;
}) {
  const others = sessions.filter((s) => !s.current).length;
  return (
    <section aria-labelledby="sessions-heading">
      <h2 id="sessions-heading">Signed-in sessions</h2>
      <p className="muted">
        Every browser where you are signed in. Sign out one you do not recognise or no longer use:
        it stops working at once, open documents included.
      </p>
      <table className="table" aria-label="Signed-in sessions">
        <thead>
          <tr>
            <th scope="col">Device</th>
            <th scope="col">Signed in</th>
            <th scope="col">Last seen</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((session) => (
            <tr key={session.id}>
              <td>
                {session.device}
                {session.current && <span className="role-badge session-badge">This browser</span>}
              </td>
              <td>
                <Time at={session.signedInAt} />
              </td>
              <td>{session.current ? 'Now' : <Time at={session.lastSeenAt} />}</td>
              <td className="row-actions">
                {!session.current && (
                  <ActionForm action={signOutSession} label={`Sign out ${session.device}`}>
                    <input type="hidden" name="sessionId" value={session.id} />
                    <SubmitButton variant="secondary" pendingLabel="Signing out…">
                      Sign out
                    </SubmitButton>
                  </ActionForm>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {others > 0 ? (
        <ActionForm action={signOutOthers} label="Sign out everywhere else" className="stack">
          <ConfirmSubmit
            label="Sign out everywhere else"
            confirmLabel={`Sign out ${others === 1 ? 'the other session' : `all ${others} other sessions`}`}
          />
        </ActionForm>
      ) : (
        <p className="muted">This browser is your only session.</p>
      )}
    </section>
  );
}
