import { z } from 'zod';
import type { Database } from '../../db/client';
import { findUserNames } from '../../db/queries/attribution';
import { recordAudit } from '../../db/queries/audit';
import { listAmendments } from '../../db/queries/amendments';
import { listReviewEvents } from '../../db/queries/review';
import {
  createVersion,
  findVersion,
  listVersions,
  type VersionListItem,
} from '../../db/queries/versions';
import { acceptedBetween, acceptedPerVersion } from '../amendments/accepted-between';
import type { LiveDocuments } from '../collab/live-documents';
import { notFound } from '../errors';
import { viewOfState, type FrameworkView, type RestoreResult } from '../framework';
import {
  SERVER_AUTHOR,
  compareStatesWithAuthors,
  type AttributedComparison,
} from '../framework/attribution';
import { contentHash } from '../framework/canonical';
import { firstIssue, uuidSchema } from '../validation';
import {
  MAX_VERSION_NAME_LENGTH,
  MAX_VERSION_NOTE_LENGTH,
  type ChangeAuthor,
} from '../versions/wire';
import { badRequest, requireContentWriter, requireFramework, type FrameworkTarget } from './access';
import { readCurrentDocument, readStoredDocument } from './documents';
import { loadAuthoredChanges } from './versions-attribution';

export const versionInputSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'Name the version.')
    .max(MAX_VERSION_NAME_LENGTH, `Keep the name under ${MAX_VERSION_NAME_LENGTH} characters.`),
  note: z
    .string()
    .trim()
    .max(MAX_VERSION_NOTE_LENGTH, `Keep the note under ${MAX_VERSION_NOTE_LENGTH} characters.`)
    .default(''),
});

/**
 * Saves the framework's current state as a named version (editors and owners). The state comes
 * from the live document when the sync server runs in this process (it holds edits not yet
 * written), else from the stored state.
 */
export async function saveVersionAs(
  db: Database,
  live: LiveDocuments | null,
  userId: string,
  target: FrameworkTarget,
  body: unknown,
): Promise<VersionListItem> {
  const { framework } = await requireContentWriter(db, userId, target, 'version.save');
  const input = versionInputSchema.safeParse(body);
  if (!input.success) throw badRequest(firstIssue(input.error), 'version.save');
  const state = live
    ? await live.queries.encodedState(framework.id)
    : await readStoredDocument(db, framework.id);
  const version = await createVersion(db, {
    frameworkId: framework.id,
    name: input.data.name,
    note: input.data.note,
    state,
    createdBy: userId,
    // What the verify page finds an exported copy by (lib/framework/canonical.ts).
    contentHash: contentHash(viewOfState(state)),
  });
  await recordAudit(db, {
    workspaceId: framework.workspaceId,
    actorId: userId,
    action: 'version.saved',
    targetType: 'framework',
    targetId: framework.id,
    details: { versionId: version.id, name: version.name },
  });
  return version;
}

/** The framework's accepted amendments, as acceptedBetween reads them. */
async function acceptedAmendments(db: Database, frameworkId: string) {
  return (await listAmendments(db, frameworkId))
    .filter((a) => a.status === 'accepted')
    .map((a) => ({
      number: a.number,
      partyName: a.partyName,
      sponsors: a.sponsors.map((s) => ({ party: s.party, name: s.partyName })),
      compromiseOf: a.compromiseOf,
      status: 'accepted' as const,
      decidedAt: a.decidedAt?.toISOString() ?? null,
    }));
}

/** Versions newest first, each with the amendments accepted since the version before it. */
export async function listVersionsAs(
  db: Database,
  userId: string,
  target: FrameworkTarget,
): Promise<Array<VersionListItem & { acceptedAmendments: string[] }>> {
  const { framework } = await requireFramework(db, userId, target, 'framework.read');
  const versions = await listVersions(db, framework.id);
  return acceptedPerVersion(versions, await acceptedAmendments(db, framework.id));
}

/** A saved version's name and state for a framework already authorised; null when unknown. */
export async function loadVersionState(
  db: Database,
  frameworkId: string,
  versionId: string,
): Promise<{ name: string; state: Uint8Array } | null> {
  if (!uuidSchema.safeParse(versionId).success) return null;
  const version = await findVersion(db, frameworkId, versionId);
  return version ? { name: version.name, state: version.state } : null;
}

/** A version as a plain view (the read-only view), for any member who may read. */
export async function readVersionAs(
  db: Database,
  userId: string,
  target: FrameworkTarget,
  versionId: string,
): Promise<{ version: Omit<VersionListItem, 'authorName'>; view: FrameworkView }> {
  const { framework } = await requireFramework(db, userId, target, 'framework.read');
  if (!uuidSchema.safeParse(versionId).success) throw notFound('Version', 'version.read');
  const version = await findVersion(db, framework.id, versionId);
  if (!version) throw notFound('Version', 'version.read');
  const { state, ...meta } = version;
  return { version: meta, view: viewOfState(state) };
}

export type { ChangeAuthor };

/** A comparison of two states with who changed what, and what the two sides are. */
export interface VersionComparison {
  from: { id: string; name: string; createdAt: Date };
  to: { id: string | 'current'; name: string; createdAt: Date | null };
  result: AttributedComparison;
  /** Everyone named in `result`, by name (SERVER_AUTHOR last, when it appears). */
  people: ChangeAuthor[];
  /** Titles of the amendments accepted between the two sides, by number. */
  acceptedAmendments: string[];
}

const SERVER_NAME = 'Server (restore or review workflow)';

/** Initials of a name: the first letters of its first and last words ("Vera Versions" -> VV). */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0]!, words[words.length - 1]!] : words;
  return letters.map((w) => [...w][0]!.toUpperCase()).join('') || '?';
}

/**
 * What changed from a saved version to another or to the current state (`to` = 'current'),
 * and who changed it: word diffs of texts and field changes, each with the people
 * whose logged updates made it (kept through compaction, see versions-attribution.ts). Status
 * changes are written by the server for whoever asked, so their authors come from the review
 * events recorded between the two states.
 */
export async function compareWithAuthorsAs(
  db: Database,
  live: LiveDocuments | null,
  userId: string,
  target: FrameworkTarget,
  fromId: string,
  to: string,
): Promise<VersionComparison> {
  const { framework } = await requireFramework(db, userId, target, 'framework.read');
  const load = async (id: string) => {
    if (!uuidSchema.safeParse(id).success) throw notFound('Version', 'version.compare');
    const version = await findVersion(db, framework.id, id);
    if (!version) throw notFound('Version', 'version.compare');
    return version;
  };
  const from = await load(fromId);
  const toVersion = to === 'current' ? null : await load(to);
  // "Current" is what people see: the flush also writes the log that attributes the changes.
  const toState = toVersion ? toVersion.state : await readCurrentDocument(db, framework.id, live);
  const result = compareStatesWithAuthors(
    from.state,
    toState,
    await loadAuthoredChanges(db, framework.id),
  );

  // Status: the server wrote it; the review log says for whom.
  const until = toVersion?.createdAt ?? null;
  const [early, late] =
    until && until < from.createdAt ? [until, from.createdAt] : [from.createdAt, until];
  for (const change of result.comparison.statusChanges) {
    const layer = result.layers.find((l) => l.id === change.id);
    if (!layer) continue;
    const events = await listReviewEvents(db, framework.id, { layerId: change.id, limit: 500 });
    const actors = events
      .filter(
        (e) =>
          e.kind === 'status.changed' && e.createdAt >= early && (!late || e.createdAt <= late),
      )
      .map((e) => e.actorId ?? SERVER_AUTHOR);
    if (actors.length === 0) continue;
    const others = (layer.fields.status ?? []).filter((a) => a !== SERVER_AUTHOR);
    layer.fields.status = [...new Set([...others, ...actors])].sort();
    layer.authors = [
      ...new Set([
        ...layer.authors.filter((a) => a !== SERVER_AUTHOR || stillServer(layer)),
        ...actors,
      ]),
    ].sort();
  }
  result.authors = [
    ...new Set([
      ...(result.title?.authors ?? []),
      ...Object.values(result.parties).flat(),
      ...result.layers.flatMap((l) => l.authors),
    ]),
  ].sort();

  const names = new Map(
    (
      await findUserNames(
        db,
        result.authors.filter((a) => a !== SERVER_AUTHOR),
      )
    ).map((u) => [u.id, u.name]),
  );
  // By name, the server last: the filter and the colours read in a stable order.
  const people = result.authors
    .map((key) => {
      const name = key === SERVER_AUTHOR ? SERVER_NAME : (names.get(key) ?? 'Former member');
      return { key, name, initials: key === SERVER_AUTHOR ? 'S' : initialsOf(name) };
    })
    .sort(
      (x, y) =>
        Number(x.key === SERVER_AUTHOR) - Number(y.key === SERVER_AUTHOR) ||
        x.name.localeCompare(y.name),
    );
  return {
    from: { id: from.id, name: from.name, createdAt: from.createdAt },
    to: toVersion
      ? { id: toVersion.id, name: toVersion.name, createdAt: toVersion.createdAt }
      : { id: 'current', name: 'the current state', createdAt: null },
    result,
    people,
    acceptedAmendments: acceptedBetween(await acceptedAmendments(db, framework.id), early, late),
  };
}

/** Whether the server is still an author of a layer after its status authors were resolved. */
function stillServer(layer: AttributedComparison['layers'][number]): boolean {
  const { status: _status, ...fields } = layer.fields;
  return [
    ...layer.layer,
    ...Object.values(fields).flat(),
    ...(layer.fields.status ?? []),
    ...layer.narrative.flatMap((d) => d.authors),
    ...layer.texts.flatMap((d) => d.authors),
  ].includes(SERVER_AUTHOR);
}

/**
 * Restores a version as a new change on the live document (editors and owners): people editing
 * at that moment keep working and see the restored content arrive. Needs the sync server.
 */
export async function restoreVersionAs(
  db: Database,
  live: LiveDocuments,
  userId: string,
  target: FrameworkTarget,
  versionId: string,
): Promise<RestoreResult> {
  const { framework } = await requireContentWriter(db, userId, target, 'version.restore');
  const { version, view } = await readVersionAs(db, userId, target, versionId);
  const result = await live.commands.restore(framework.id, view);
  await recordAudit(db, {
    workspaceId: framework.workspaceId,
    actorId: userId,
    action: 'version.restored',
    targetType: 'framework',
    targetId: framework.id,
    details: {
      versionId: version.id,
      name: version.name,
      skippedLocked: result.skippedLocked.length,
    },
  });
  return result;
}
