import QRCode from 'qrcode';
import type { ActionState } from '@/lib/action-state';
import type { SecondFactorStatus } from '@/lib/second-factor';
import { ActionForm } from '../ActionForm';
import { Field } from '../Field';
import { SubmitButton } from '../SubmitButton';
import { ConfirmEnrolmentForm } from './ConfirmEnrolmentForm';

type FormAction = (state: ActionState, formData: FormData) => Promise<ActionState>;

type Props = {
  status: SecondFactorStatus;
  actions: { start: () => Promise<void>; confirm: FormAction; disable: FormAction };
};

/** Groups the base32 key in fours, as authenticator apps show it, so it can be typed. */
const groupedKey = (secret: string) => secret.match(/.{1,4}/g)?.join(' ') ?? secret;

/** The profile's second factor: enrol (QR code, key, one code to confirm), or turn it off. */
export async function SecondFactorSection({ status, actions }: Props) {
  return (
    <section className="panel" id="second-factor" aria-labelledby="second-factor-heading">
      <h2 id="second-factor-heading">Second factor</h2>
      {status.kind === 'single-sign-on' && (
        <p>
          You sign in through single sign-on: your organisation&apos;s identity provider is your
          second factor, and groups that require one let you in.
        </p>
      )}
      {status.kind === 'off' && (
        <>
          <p>
            With a second factor, signing in with your password also asks for a six-digit code from
            an authenticator app on your phone (any app that reads a QR code: FreeOTP, Google
            Authenticator, Microsoft Authenticator, 1Password…). Some groups require it.
          </p>
          <form action={actions.start} aria-label="Turn on second factor">
            <SubmitButton pendingLabel="Preparing…">Turn on second factor</SubmitButton>
          </form>
        </>
      )}
      {status.kind === 'pending' && <Enrolment status={status} confirm={actions.confirm} />}
      {status.kind === 'on' && (
        <>
          <p>
            Your second factor is on: signing in with your password also asks for a code.{' '}
            {status.recoveryCodesLeft} of 8 recovery codes left.
          </p>
          <ActionForm action={actions.disable} label="Turn off second factor" className="stack">
            <Field
              label="Current code"
              id="disable-code"
              name="code"
              inputMode="numeric"
              autoComplete="one-time-code"
              required
              maxLength={6}
              hint="A code from your authenticator app, to confirm it is you."
            />
            <SubmitButton variant="danger" pendingLabel="Turning off…">
              Turn off second factor
            </SubmitButton>
          </ActionForm>
        </>
      )}
    </section>
  );
}

async function Enrolment({
  status,
  confirm,
}: {
  status: Extract<SecondFactorStatus, { kind: 'pending' }>;
  confirm: FormAction;
}) {
  // Drawn on the server as SVG: the secret never goes to a third-party QR service.
  const svg = await QRCode.toString(status.uri, {
    type: 'svg',
    margin: 1,
    errorCorrectionLevel: 'M',
  });
  return (
    <div className="stack">
      <ol className="steps">
        <li>
          <p>Scan this QR code with your authenticator app.</p>
          {/* A data URI drawn here: next/image has nothing to optimise or fetch. */}
          {/* eslint-disable-next-line @next/next/no-img-element */}
          <img
            className="qr-code"
            src={`data:image/svg+xml;utf8,${encodeURIComponent(svg)}`}
            alt="QR code of your second-factor key"
            width={192}
            height={192}
          />
          <p className="hint">
            No camera? Enter this key in the app (time-based, six digits):{' '}
            <code aria-label="Key" className="secret-key">
              {groupedKey(status.secret)}
            </code>
          </p>
          <details>
            <summary>Setup link (otpauth://)</summary>
            <input className="setup-link" readOnly aria-label="Setup link" value={status.uri} />
          </details>
        </li>
        <li>
          <p>Enter the code the app shows now, to confirm.</p>
          <ConfirmEnrolmentForm action={confirm} />
        </li>
      </ol>
    </div>
  );
}
