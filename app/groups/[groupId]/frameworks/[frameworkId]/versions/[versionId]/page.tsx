import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ExportDialog } from '@/components/export/ExportDialog';
import { CompareView } from '@/components/versions/CompareView';
import { ReadOnlyFramework } from '@/components/versions/ReadOnlyFramework';
import { InitiallingPanel } from '@/components/versions/InitiallingPanel';
import { RestoreButton } from '@/components/versions/RestoreButton';
import { findFrameworkInWorkspace } from '@/db/queries/frameworks';
import { readInitiallingAs } from '@/lib/services/initialling';
import { actsFor, delegationActorOf } from '@/lib/write-rules';
import { liveDocumentsIfRunning } from '@/lib/collab/live-documents';
import { can } from '@/lib/permissions';
import { buildExportModel } from '@/lib/export/model';
import { isAppError } from '@/lib/errors';
import { AcceptedAmendments } from '@/components/versions/AcceptedAmendments';
import { compareWithAuthorsAs, listVersionsAs, readVersionAs } from '@/lib/services/versions';
import { loadGroup } from '../../../../load';
// The stylesheets of the component folders this page renders, in this order: later ones refine
// earlier ones at equal specificity (.rv-refused over .ed-toast), so they are imported together
// here rather than from each component, where the order would follow the import graph.
import '@/components/editor/editor.css';
import '@/components/review/review.css';
import '@/components/export/export.css';
import '@/components/versions/versions.css';

export const metadata: Metadata = { title: 'Version' };

/**
 * A saved version, read-only; ?compare=current (or another version's id) adds what changed
 * from this version to that state, and who changed it.
 */
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
  let comparison = null;
  if (compare) {
    try {
      comparison = await compareWithAuthorsAs(
        db,
        liveDocumentsIfRunning(),
        user.id,
        target,
        versionId,
        compare,
      );
    } catch (error) {
      if (isAppError(error) && error.kind === 'not_found') notFound();
      throw error;
    }
  }
  const others = (await listVersionsAs(db, user.id, target)).filter((v) => v.id !== versionId);
  const initialling = await readInitiallingAs(db, user.id, target, versionId);
  // Instants go to the panel as ISO strings; it shows them in the reader's zone.
  const utc = (d: Date) => d.toISOString();
  // The same rule the initialling use case checks (lib/write-rules.ts).
  const framework = await findFrameworkInWorkspace(db, workspace.id, frameworkId);
  const actor = delegationActorOf(
    membership.role,
    { archivedAt: framework?.archivedAt ?? null },
    membership.delegation,
  );
  const delegation =
    actor.delegation && actsFor(actor, actor.delegation, { chair: false }) === 'member'
      ? actor.delegation
      : null;
  const f = initialling.frozen;
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
        {comparison && (
          <Link href={`${base}/versions/${versionId}`} style={{ marginLeft: '0.5rem' }}>
            Hide changes
          </Link>
        )}
      </p>
      <InitiallingPanel
        workspaceId={workspace.id}
        frameworkId={frameworkId}
        versionId={versionId}
        parties={read.view.parties.map((p) => ({ id: p.id, name: p.name }))}
        mayFreeze={can(membership.role, 'version.freeze')}
        delegation={delegation}
        status={{
          hash: initialling.hash,
          frozen: f && {
            hash: f.hash,
            intact: f.intact,
            frozenAt: utc(f.frozenAt),
            frozenByName: f.frozenByName,
            deadline: f.deadline ? utc(f.deadline) : null,
            required: f.required,
            initials: f.initials.map((i) => ({
              party: i.party,
              partyName: i.partyName,
              name: i.name,
              at: utc(i.at),
            })),
            missing: f.missing,
          },
        }}
      />
      <form method="get" className="version-form" aria-label="Compare this version">
        <label>
          Compare with
          <select name="compare" defaultValue={compare ?? 'current'}>
            <option value="current">The current state</option>
            {others.map((v) => (
              <option key={v.id} value={v.id}>
                {v.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button button-secondary">
          Compare
        </button>
      </form>
      {comparison && (
        <section aria-labelledby="changes-heading">
          <h3 id="changes-heading">
            {comparison.to.id === 'current'
              ? 'Changes since this version'
              : `Changes from this version to ${comparison.to.name}`}
          </h3>
          <AcceptedAmendments titles={comparison.acceptedAmendments} label="Accepted in between" />
          <CompareView
            fromName={comparison.from.name}
            toName={comparison.to.name}
            result={comparison.result}
            people={comparison.people}
          />
        </section>
      )}
      <h3>This version as saved</h3>
      <ReadOnlyFramework model={model} />
    </div>
  );
}
