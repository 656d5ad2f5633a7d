import type { ActionState } from '@/lib/action-state';
import type { OwnSession } from '@/lib/auth/own-session';
import { ActionForm } from '@/components/ActionForm';
import { ConfirmSubmit } from '@/components/ConfirmSubmit';
import { Time } from '@/components/time/Time';

type Action = (state: ActionState, formData: FormData) => Promise<ActionState>;

/**
 * My signed-in browsers, each with its own sign-out, and one to end all but this one. One form
 * for the list, each button naming its session, so the outcome stays shown when its row is gone.
 */
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
      <ActionForm action={signOutSession} label="Signed-in sessions">
        <ul className="session-list" aria-label="Sessions">
          {sessions.map((session) => (
            <li key={session.id} className="session">
              <div>
                <div className="session-device">
                  {session.device}
                  {session.current && (
                    <span className="role-badge session-badge">This browser</span>
                  )}
                </div>
                <div className="muted small">
                  Signed in <Time at={session.signedInAt} />
                  {' · '}
                  {session.current ? (
                    'in use now'
                  ) : (
                    <>
                      last seen <Time at={session.lastSeenAt} />
                    </>
                  )}
                </div>
              </div>
              {!session.current && (
                <button
                  type="submit"
                  name="sessionId"
                  value={session.id}
                  className="button button-secondary"
                >
                  Sign out<span className="visually-hidden"> {session.device}</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      </ActionForm>
      {/* Kept when no other session is left, so its outcome stays on screen. */}
      <ActionForm action={signOutOthers} label="Sign out everywhere else" className="stack">
        {others > 0 ? (
          <ConfirmSubmit
            label="Sign out everywhere else"
            confirmLabel={`Sign out ${others === 1 ? 'the other session' : `all ${others} other sessions`}`}
          />
        ) : (
          <p className="muted">This browser is your only session.</p>
        )}
      </ActionForm>
    </section>
  );
}
