import type { Metadata } from 'next';
import { requireUser } from '@/app/(auth)/current-user';
import { updateProfileAction, updateTimeZoneAction } from '@/app/actions/auth';
import {
  changePasswordAction,
  signOutOtherSessionsAction,
  signOutSessionAction,
} from '@/app/actions/account';
import {
  confirmEnrolmentAction,
  disableSecondFactorAction,
  startEnrolmentAction,
} from '@/app/actions/second-factor';
import { updateNotifyModeAction } from '@/app/actions/notifications';
import { NotificationSection } from '@/components/profile/NotificationSection';
import { PasswordSection } from '@/components/profile/PasswordSection';
import { digestHourFromEnv } from '@/lib/notifications/digest';
import { notificationSettingsOf } from '@/lib/services/notifications';
import { SessionsSection } from '@/components/profile/SessionsSection';
import { hasPassword } from '@/lib/services/passwords';
import { listOwnSessions } from '@/lib/services/sessions';
import { ActionForm } from '@/components/ActionForm';
import { Field } from '@/components/Field';
import { SubmitButton } from '@/components/SubmitButton';
import { SecondFactorSection } from '@/components/profile/SecondFactorSection';
import { Time } from '@/components/time/Time';
import { getDb } from '@/db/client';
import { secondFactorStatus } from '@/lib/services/second-factor';
import { timeZones } from '@/lib/time';

export const metadata: Metadata = { title: 'Profile' };

export default async function ProfilePage() {
  const user = await requireUser('/profile');
  const db = await getDb();
  const [sessions, withPassword, secondFactor, notify] = await Promise.all([
    listOwnSessions(db, { userId: user.id, sessionId: user.sessionId }),
    hasPassword(db, user.id),
    secondFactorStatus(db, user),
    notificationSettingsOf(db, user.id),
  ]);
  const zones = timeZones();
  // A zone saved under an older name (Europe/Kiev, Europe/Kyiv) is still offered.
  if (user.timeZone && !zones.includes(user.timeZone)) zones.unshift(user.timeZone);
  return (
    <section className="narrow">
      <h1>Your profile</h1>
      <p className="muted">Signed in as {user.email}.</p>
      <ActionForm action={updateProfileAction} label="Profile" className="stack">
        <Field label="Display name" name="name" defaultValue={user.name} required maxLength={80} />
        <SubmitButton pendingLabel="Saving…">Save</SubmitButton>
      </ActionForm>
      <h2>Time zone</h2>
      <ActionForm action={updateTimeZoneAction} label="Time zone" className="stack">
        <div className="field">
          <label htmlFor="field-timeZone">Show and enter times in</label>
          <select
            id="field-timeZone"
            name="timeZone"
            defaultValue={user.timeZone ?? ''}
            aria-describedby="field-timeZone-hint"
          >
            <option value="">My browser&apos;s time zone</option>
            {zones.map((zone) => (
              <option key={zone} value={zone}>
                {zone}
              </option>
            ))}
          </select>
          <p id="field-timeZone-hint" className="hint">
            Deadlines you type are read in this zone; every time shown names its zone. Now:{' '}
            <Time at={new Date()} />.
          </p>
        </div>
        <SubmitButton pendingLabel="Saving…">Save time zone</SubmitButton>
      </ActionForm>
      {notify.mailOn && (
        <NotificationSection
          mode={notify.mode}
          digestHourUtc={digestHourFromEnv()}
          save={updateNotifyModeAction}
        />
      )}
      <PasswordSection hasPassword={withPassword} changePassword={changePasswordAction} />
      <SecondFactorSection
        status={secondFactor}
        actions={{
          start: startEnrolmentAction,
          confirm: confirmEnrolmentAction,
          disable: disableSecondFactorAction,
        }}
      />
      <SessionsSection
        sessions={sessions}
        signOutSession={signOutSessionAction}
        signOutOthers={signOutOtherSessionsAction}
      />
    </section>
  );
}
