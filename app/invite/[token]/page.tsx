import type { Metadata } from 'next';
import Link from 'next/link';
import { getCurrentUser } from '@/app/(auth)/current-user';
import { acceptInviteAction } from '@/app/actions/groups';
import { ActionForm } from '@/components/ActionForm';
import { SubmitButton } from '@/components/SubmitButton';
import { getDb } from '@/db/client';
import { INVITE_MESSAGES, previewInvite } from '@/lib/services/invites';
import { ROLE_DESCRIPTIONS, ROLE_LABELS } from '@/lib/roles';

export const metadata: Metadata = { title: 'Invitation' };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const preview = await previewInvite(await getDb(), token);
  if (preview.state !== 'valid') {
    return (
      <section className="auth-card">
        <h1>Invitation not usable</h1>
        <p role="alert">{INVITE_MESSAGES[preview.state]}</p>
      </section>
    );
  }
  const user = await getCurrentUser();
  const here = `/invite/${token}`;
  return (
    <section className="auth-card">
      <h1>Join {preview.workspaceName}</h1>
      <p>
        You are invited as <strong>{ROLE_LABELS[preview.role]}</strong>:{' '}
        {ROLE_DESCRIPTIONS[preview.role].toLowerCase()}.
      </p>
      {user ? (
        <ActionForm action={acceptInviteAction} label="Accept invitation" className="stack">
          <input type="hidden" name="token" value={token} />
          <p className="muted">
            Signed in as {user.name} ({user.email}).
          </p>
          <SubmitButton pendingLabel="Joining…">Join group</SubmitButton>
        </ActionForm>
      ) : (
        <p className="actions">
          <Link
            href={`/signup?callbackUrl=${encodeURIComponent(here)}`}
            className="button button-primary"
          >
            Create account to join
          </Link>
          <Link
            href={`/signin?callbackUrl=${encodeURIComponent(here)}`}
            className="button button-secondary"
          >
            Sign in to join
          </Link>
        </p>
      )}
    </section>
  );
}
