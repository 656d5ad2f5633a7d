import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { FrameworkEditor } from '@/components/editor/FrameworkEditor';
import { ReadFirstPaint } from '@/components/read/ReadFirstPaint';
import { findFrameworkInWorkspace } from '@/db/queries/frameworks';
import { mayWriteContent, writerOf } from '@/lib/write-rules';
import { viewOfState } from '@/lib/framework';
import { opensInReadMode, parseReadModeChoice, readModeCookieName } from '@/lib/read-mode';
import { readCurrentDocument, readStoredDocument } from '@/lib/services/documents';
import { liveDocumentsIfRunning } from '@/lib/collab/live-documents';
import { ROLE_LABELS } from '@/lib/roles';
import { uuidSchema } from '@/lib/validation';
import { focusOfSearchParams, frameworkPath } from '@/lib/paths';
import { loadGroup } from '../../load';
// The stylesheets of the component folders this page renders, in this order: later ones refine
// earlier ones at equal specificity (.rv-refused over .ed-toast), so they are imported together
// here rather than from each component, where the order would follow the import graph.
import '@/components/editor/editor.css';
import '@/components/review/review.css';
import '@/components/export/export.css';
import '@/components/versions/versions.css';
import '@/components/read/read.css';

export const metadata: Metadata = { title: 'Framework' };

/** Authorises the reader, then hands the live editor what it may do. */
export default async function FrameworkPage({
  params,
  searchParams,
}: {
  params: Promise<{ groupId: string; frameworkId: string }>;
  /** `?thread=` or `?amendment=`: what a link from mail or the inbox opens (lib/paths.ts). */
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { groupId, frameworkId } = await params;
  const focus = focusOfSearchParams(await searchParams);
  // Signed out, the sign-in page comes back here with the same focus (a link from mail).
  const { db, user, workspace, membership } = await loadGroup(
    groupId,
    frameworkPath(groupId, frameworkId, focus),
  );
  if (!uuidSchema.safeParse(frameworkId).success) notFound();
  const framework = await findFrameworkInWorkspace(db, workspace.id, frameworkId);
  if (!framework) notFound();
  const writer = writerOf(membership.role, framework);
  const canEdit = mayWriteContent(writer);
  const readChoice = parseReadModeChoice((await cookies()).get(readModeCookieName(user.id))?.value);
  const readsFirst = opensInReadMode(readChoice, canEdit);
  // Read mode is painted from the text with the first response, so it must be the current text
  // (a page without scripts never gets the sync). The editor needs the live document and its
  // scripts anyway: it gets the stored state, and the sync brings what is newer.
  const stored = readsFirst
    ? await readCurrentDocument(db, framework.id, liveDocumentsIfRunning())
    : await readStoredDocument(db, framework.id);
  const firstPaint = readsFirst ? <ReadFirstPaint view={viewOfState(stored)} /> : null;
  return (
    <div className="ed-page">
      <p className="eyebrow ed-crumbs">
        <Link href={`/groups/${workspace.id}`}>Frameworks</Link> / {framework.title}
        {framework.archivedAt ? ' (archived)' : ''} ·{' '}
        <Link href={`/groups/${workspace.id}/frameworks/${framework.id}/versions`}>Versions</Link> ·{' '}
        <span className="muted">
          {canEdit ? 'You can edit' : 'You can read'} as{' '}
          {ROLE_LABELS[membership.role].toLowerCase()}
        </span>
      </p>
      <h2 className="visually-hidden">{framework.title}</h2>
      <FrameworkEditor
        frameworkId={framework.id}
        role={membership.role}
        canEdit={canEdit}
        archived={writer.archived}
        review={{ workspaceId: workspace.id, delegation: membership.delegation }}
        user={{ id: user.id, name: user.name }}
        readChoice={readChoice}
        readFirstPaint={firstPaint}
        initialState={Buffer.from(stored).toString('base64')}
        focus={focus}
      />
    </div>
  );
}
