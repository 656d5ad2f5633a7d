import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ExportDialog } from '@/components/export/ExportDialog';
import { AcceptedAmendments } from '@/components/versions/AcceptedAmendments';
import { SaveVersionForm } from '@/components/versions/SaveVersionForm';
import { findFrameworkInWorkspace } from '@/db/queries/frameworks';
import { can } from '@/lib/permissions';
import { listVersionsAs } from '@/lib/services/versions';
import { uuidSchema } from '@/lib/validation';
import { loadGroup } from '../../../load';
// The stylesheets of the component folders this page renders, in this order: later ones refine
// earlier ones at equal specificity (.rv-refused over .ed-toast), so they are imported together
// here rather than from each component, where the order would follow the import graph.
import '@/components/editor/editor.css';
import '@/components/review/review.css';
import '@/components/export/export.css';
import '@/components/versions/versions.css';
import { Time } from '@/components/time/Time';

export const metadata: Metadata = { title: 'Versions' };

/** Named versions of a framework: save (editors), list, view, compare, export. */
export default async function VersionsPage({
  params,
}: {
  params: Promise<{ groupId: string; frameworkId: string }>;
}) {
  const { groupId, frameworkId } = await params;
  const base = `/groups/${groupId}/frameworks/${frameworkId}`;
  const { db, user, workspace, membership } = await loadGroup(groupId, `${base}/versions`);
  if (!uuidSchema.safeParse(frameworkId).success) notFound();
  const framework = await findFrameworkInWorkspace(db, workspace.id, frameworkId);
  if (!framework) notFound();
  const target = { workspaceId: workspace.id, frameworkId: framework.id };
  const versions = await listVersionsAs(db, user.id, target);
  return (
    <div className="versions-page">
      <p className="eyebrow ed-crumbs">
        <Link href={`/groups/${workspace.id}`}>Frameworks</Link> /{' '}
        <Link href={base}>{framework.title}</Link> / Versions
      </p>
      <h2>Versions of {framework.title}</h2>
      {can(membership.role, 'document.edit') && (
        <SaveVersionForm workspaceId={workspace.id} frameworkId={framework.id} />
      )}
      {versions.length === 0 ? (
        <p className="muted">No versions saved yet.</p>
      ) : (
        <table className="versions-table" aria-label="Versions">
          <thead>
            <tr>
              <th>Name</th>
              <th>Note</th>
              <th>Amendments accepted since the previous version</th>
              <th>Saved by</th>
              <th>When</th>
              <th>Actions</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.id}>
                <td>
                  <Link href={`${base}/versions/${v.id}`}>{v.name}</Link>
                </td>
                <td>{v.note}</td>
                <td>
                  <AcceptedAmendments titles={v.acceptedAmendments} />
                </td>
                <td>{v.authorName ?? 'Former member'}</td>
                <td>
                  <Time at={v.createdAt} />
                </td>
                <td className="versions-actions">
                  <Link href={`${base}/versions/${v.id}?compare=current`}>
                    Compare with current
                  </Link>{' '}
                  <ExportDialog
                    workspaceId={workspace.id}
                    frameworkId={framework.id}
                    versionId={v.id}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
