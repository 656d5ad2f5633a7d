import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ExportDialog } from '@/components/export/ExportDialog';
import { ComparisonSummary, ReadOnlyFramework } from '@/components/versions/ReadOnlyFramework';
import { RestoreButton } from '@/components/versions/RestoreButton';
import { can } from '@/lib/permissions';
import { buildExportModel } from '@/lib/export/model';
import { isAppError } from '@/lib/errors';
import { compareVersionsAs, readVersionAs } from '@/lib/services/versions';
import { loadGroup } from '../../../../load';
import '@/app/editor.css';

export const metadata: Metadata = { title: 'Version' };

/** A saved version, read-only; ?compare=current adds what changed since. */
export default async function VersionPage({
  params,
  searchParams,
}: {
  params: Promise<{ groupId: string; frameworkId: string; versionId: string }>;
  searchParams: Promise<{ compare?: string }>;
}) {
  const { groupId, frameworkId, versionId } = await params;
  const { compare } = await searchParams;
  const base = `/groups/${groupId}/frameworks/${frameworkId}`;
  const { db, user, workspace, membership } = await loadGroup(
    groupId,
    `${base}/versions/${versionId}`,
  );
  const target = { workspaceId: workspace.id, frameworkId };
  let read;
  try {
    read = await readVersionAs(db, user.id, target, versionId);
  } catch (error) {
    if (isAppError(error) && error.kind === 'not_found') notFound();
    throw error;
  }
  const comparison =
    compare === 'current'
      ? await compareVersionsAs(db, user.id, target, versionId, 'current')
      : null;
  const model = buildExportModel(read.view, {
    agreedOnly: false,
    versionName: read.version.name,
    date: read.version.createdAt,
    comments: null,
  });
  return (
    <div className="versions-page">
      <p className="eyebrow ed-crumbs">
        <Link href={`/groups/${workspace.id}`}>Frameworks</Link> /{' '}
        <Link href={base}>{read.view.title || 'Framework'}</Link> /{' '}
        <Link href={`${base}/versions`}>Versions</Link> / {read.version.name}
      </p>
      <h2>
        {read.version.name} <span className="muted">(read only, saved {model.date})</span>
      </h2>
      {read.version.note && <p>{read.version.note}</p>}
      <p>
        <ExportDialog workspaceId={workspace.id} frameworkId={frameworkId} versionId={versionId} />{' '}
        {can(membership.role, 'document.edit') && (
          <RestoreButton
            workspaceId={workspace.id}
            frameworkId={frameworkId}
            versionId={versionId}
          />
        )}{' '}
        {comparison ? (
          <Link href={`${base}/versions/${versionId}`}>Hide changes</Link>
        ) : (
          <Link href={`${base}/versions/${versionId}?compare=current`}>
            What changed since this version
          </Link>
        )}
      </p>
      {comparison && (
        <section aria-label="Changes since this version">
          <h3>Changes since this version</h3>
          <ComparisonSummary comparison={comparison} />
        </section>
      )}
      <ReadOnlyFramework model={model} />
    </div>
  );
}
