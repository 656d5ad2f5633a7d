import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { findFrameworkInWorkspace } from '@/db/queries/frameworks';
import { uuidSchema } from '@/lib/validation';
import { can } from '@/lib/permissions';
import { ROLE_LABELS } from '@/lib/roles';
import { loadGroup } from '../../load';

export const metadata: Metadata = { title: 'Framework' };

export default async function FrameworkPage({
  params,
}: {
  params: Promise<{ groupId: string; frameworkId: string }>;
}) {
  const { groupId, frameworkId } = await params;
  const { db, workspace, membership } = await loadGroup(
    groupId,
    `/groups/${groupId}/frameworks/${frameworkId}`,
  );
  if (!uuidSchema.safeParse(frameworkId).success) notFound();
  const framework = await findFrameworkInWorkspace(db, workspace.id, frameworkId);
  if (!framework) notFound();
  return (
    <section aria-labelledby="framework-title" className="panel">
      <p className="eyebrow">
        <Link href={`/groups/${workspace.id}`}>Frameworks</Link> /{' '}
        {framework.archivedAt ? 'Archived' : 'Active'}
      </p>
      <h2 id="framework-title">{framework.title}</h2>
      <p>
        You can{' '}
        {can(membership.role, 'document.edit')
          ? 'edit'
          : can(membership.role, 'document.comment')
            ? 'read and comment on'
            : 'read'}{' '}
        this framework as {ROLE_LABELS[membership.role].toLowerCase()}.
      </p>
      <p className="muted">
        The layer editor opens here once it ships; the framework and its members are already set up.
      </p>
    </section>
  );
}
