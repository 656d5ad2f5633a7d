import type { Metadata } from 'next';
import Link from 'next/link';
import { requireUser } from '@/app/(auth)/current-user';
import { SECOND_FACTOR_REQUIRED_MESSAGE, SECOND_FACTOR_SETTINGS_PATH } from '@/lib/second-factor';

export const metadata: Metadata = { title: 'Second factor required' };

/** Where a group that requires a second factor sends a member who has none. */
export default async function SecondFactorRequiredPage() {
  await requireUser('/second-factor-required');
  return (
    <section className="narrow">
      <h1>Second factor required</h1>
      <p role="alert">{SECOND_FACTOR_REQUIRED_MESSAGE}</p>
      <p>
        <Link className="button button-primary" href={SECOND_FACTOR_SETTINGS_PATH}>
          Turn on a second factor in your profile
        </Link>
      </p>
      <p className="muted">
        <Link href="/">Back to your groups</Link>
      </p>
    </section>
  );
}
