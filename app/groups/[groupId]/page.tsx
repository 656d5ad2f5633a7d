import Link from 'next/link';
import {
  archiveFrameworkAction,
  createFrameworkAction,
  deleteFrameworkAction,
  renameFrameworkAction,
} from '@/app/actions/groups';
import { ActionForm } from '@/components/ActionForm';
import { ConfirmSubmit } from '@/components/ConfirmSubmit';
import { EmptyState } from '@/components/EmptyState';
import { Field } from '@/components/Field';
import { SubmitButton } from '@/components/SubmitButton';
import { listFrameworks, type FrameworkListItem } from '@/db/queries/frameworks';
import { TEMPLATE_LIST } from '@/lib/framework';
import { can } from '@/lib/permissions';
import type { Role } from '@/lib/roles';
import { loadGroup } from './load';
import { Time } from '@/components/time/Time';

export default async function FrameworksPage({ params }: { params: Promise<{ groupId: string }> }) {
  const { groupId } = await params;
  const { db, workspace, membership } = await loadGroup(groupId, `/groups/${groupId}`);
  const [active, archived] = await Promise.all([
    listFrameworks(db, workspace.id, { archived: false }),
    listFrameworks(db, workspace.id, { archived: true }),
  ]);
  const role = membership.role;
  return (
    <>
      <section aria-labelledby="frameworks-heading">
        <h2 id="frameworks-heading">Frameworks</h2>
        {active.length === 0 ? (
          <EmptyState title="No frameworks yet">
            {can(role, 'framework.create') ? (
              <p>
                Start one below from a template: the layers come filled with sample content to
                adapt.
              </p>
            ) : (
              <p>Editors and owners of this group create frameworks. You will see them here.</p>
            )}
          </EmptyState>
        ) : (
          <FrameworkTable items={active} workspaceId={workspace.id} role={role} archived={false} />
        )}
      </section>
      {can(role, 'framework.create') && (
        <section className="panel" aria-labelledby="new-framework">
          <h2 id="new-framework">New framework</h2>
          <ActionForm action={createFrameworkAction} label="New framework" className="stack">
            <input type="hidden" name="workspaceId" value={workspace.id} />
            <Field
              label="Title"
              name="title"
              required
              maxLength={200}
              placeholder="e.g. Security guarantees for Ukraine, draft 1"
            />
            <fieldset className="template-choice">
              <legend>Start from</legend>
              {TEMPLATE_LIST.map((t, i) => (
                <label key={t.id} className="radio-card">
                  <input type="radio" name="template" value={t.id} defaultChecked={i === 0} />
                  <span>
                    <strong>{t.name}</strong>
                    <span className="muted">{t.description}</span>
                  </span>
                </label>
              ))}
            </fieldset>
            <SubmitButton pendingLabel="Creating…">Create framework</SubmitButton>
          </ActionForm>
        </section>
      )}
      {archived.length > 0 && (
        <section aria-labelledby="archived-heading">
          <h2 id="archived-heading">Archived</h2>
          <FrameworkTable items={archived} workspaceId={workspace.id} role={role} archived />
        </section>
      )}
    </>
  );
}

function FrameworkTable({
  items,
  workspaceId,
  role,
  archived,
}: {
  items: FrameworkListItem[];
  workspaceId: string;
  role: Role;
  archived: boolean;
}) {
  const manage = can(role, 'framework.rename');
  return (
    <table className="table" aria-label={archived ? 'Archived frameworks' : 'Frameworks'}>
      <thead>
        <tr>
          <th scope="col">Title</th>
          <th scope="col">Created by</th>
          <th scope="col">Last changed</th>
          {manage && (
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          )}
        </tr>
      </thead>
      <tbody>
        {items.map((f) => (
          <tr key={f.id}>
            <td>
              <Link href={`/groups/${workspaceId}/frameworks/${f.id}`}>{f.title}</Link>
            </td>
            <td>{f.createdByName ?? '—'}</td>
            <td>
              <Time at={f.updatedAt} />
            </td>
            {manage && (
              <td className="row-actions">
                {!archived && (
                  <details className="inline-details">
                    <summary className="button button-quiet">Rename</summary>
                    <ActionForm
                      action={renameFrameworkAction}
                      label={`Rename ${f.title}`}
                      className="inline-form"
                    >
                      <input type="hidden" name="workspaceId" value={workspaceId} />
                      <input type="hidden" name="frameworkId" value={f.id} />
                      <Field
                        label="New title"
                        name="title"
                        id={`title-${f.id}`}
                        defaultValue={f.title}
                        required
                        maxLength={200}
                      />
                      <SubmitButton variant="secondary">Save</SubmitButton>
                    </ActionForm>
                  </details>
                )}
                <ActionForm
                  action={archiveFrameworkAction}
                  label={`${archived ? 'Restore' : 'Archive'} ${f.title}`}
                >
                  <input type="hidden" name="workspaceId" value={workspaceId} />
                  <input type="hidden" name="frameworkId" value={f.id} />
                  <input type="hidden" name="archived" value={archived ? 'false' : 'true'} />
                  <SubmitButton variant="quiet">{archived ? 'Restore' : 'Archive'}</SubmitButton>
                </ActionForm>
                {can(role, 'framework.delete') && (
                  <ActionForm action={deleteFrameworkAction} label={`Delete ${f.title}`}>
                    <input type="hidden" name="workspaceId" value={workspaceId} />
                    <input type="hidden" name="frameworkId" value={f.id} />
                    <ConfirmSubmit label="Delete" confirmLabel="Delete for everyone" />
                  </ActionForm>
                )}
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
