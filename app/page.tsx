import Link from 'next/link';
import { getCurrentUser } from '@/app/(auth)/current-user';
import { createWorkspaceAction } from '@/app/actions/groups';
import { ActionForm } from '@/components/ActionForm';
import { EmptyState } from '@/components/EmptyState';
import { Field } from '@/components/Field';
import { SubmitButton } from '@/components/SubmitButton';
import { getDb } from '@/db/client';
import { listWorkspacesForUser } from '@/db/queries/workspaces';
import { ROLE_LABELS } from '@/lib/roles';

export default async function HomePage() {
  const user = await getCurrentUser();
  if (!user) return <Landing />;
  const groups = await listWorkspacesForUser(await getDb(), user.id);
  return (
    <div className="page">
      <div className="page-head">
        <h1>Your working groups</h1>
      </div>
      {groups.length === 0 ? (
        <EmptyState title="You are not in a working group yet">
          <p>
            Create one below for your drafting team, or open the invite link an owner of an existing
            group sent you.
          </p>
        </EmptyState>
      ) : (
        <ul className="card-list" aria-label="Working groups">
          {groups.map((g) => (
            <li key={g.id} className="card">
              <Link href={`/groups/${g.id}`} className="card-title">
                {g.name}
              </Link>
              <p className="muted">
                {ROLE_LABELS[g.role]} · {g.memberCount} member{g.memberCount === 1 ? '' : 's'}
              </p>
            </li>
          ))}
        </ul>
      )}
      <section className="panel" aria-labelledby="new-group">
        <h2 id="new-group">New working group</h2>
        <ActionForm
          action={createWorkspaceAction}
          label="New working group"
          className="inline-form"
        >
          <Field
            label="Group name"
            name="name"
            required
            maxLength={120}
            placeholder="e.g. Political-legal sub-group"
          />
          <SubmitButton pendingLabel="Creating…">Create group</SubmitButton>
        </ActionForm>
      </section>
    </div>
  );
}

function Landing() {
  return (
    <div className="landing">
      <h1>Draft security guarantees that hold up</h1>
      <p className="lead">
        A shared workspace for coalition working groups. Each framework is a set of concrete layers
        (monitoring, presence, air shield, legal triggers, pipeline) with who leads, who commits
        what, what triggers a response and by when. Sub-groups edit together live; reviewers from
        capitals comment; agreed drafts are exported.
      </p>
      <ol className="steps">
        <li>
          <strong>Create an account</strong> with your email.
        </li>
        <li>
          <strong>Start a working group</strong>, or join one through an invite link from its owner.
        </li>
        <li>
          <strong>Draft a framework</strong> from a template and invite editors, commenters and
          viewers.
        </li>
      </ol>
      <p className="actions">
        <Link href="/signup" className="button button-primary">
          Create account
        </Link>
        <Link href="/signin" className="button button-secondary">
          Sign in
        </Link>
      </p>
    </div>
  );
}
