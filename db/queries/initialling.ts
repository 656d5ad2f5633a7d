import { and, asc, eq, isNotNull, lte } from 'drizzle-orm';
import type { Database } from '../client';
import {
  frameworkVersions,
  frameworks,
  memberships,
  versionInitialling,
  versionInitials,
  type VersionInitial,
  type VersionInitialling,
} from '../schema';

/** Writes a version's content hash (computed by the caller from its state). */
export async function setVersionHash(
  db: Database,
  versionId: string,
  contentHash: string,
): Promise<void> {
  await db
    .update(frameworkVersions)
    .set({ contentHash })
    .where(eq(frameworkVersions.id, versionId));
}

/** Freezes a version for initialling; false when it already is (the first freeze stands). */
export async function createInitialling(
  db: Database,
  input: {
    versionId: string;
    frameworkId: string;
    contentHash: string;
    requiredParties: string[];
    deadline: Date | null;
    frozenBy: string;
  },
): Promise<boolean> {
  const rows = await db
    .insert(versionInitialling)
    .values(input)
    .onConflictDoNothing()
    .returning({ versionId: versionInitialling.versionId });
  return rows.length > 0;
}

export async function findInitialling(
  db: Database,
  versionId: string,
): Promise<VersionInitialling | undefined> {
  const [row] = await db
    .select()
    .from(versionInitialling)
    .where(eq(versionInitialling.versionId, versionId));
  return row;
}

/** The initials on a version, first first. */
export async function listInitials(db: Database, versionId: string): Promise<VersionInitial[]> {
  return db
    .select()
    .from(versionInitials)
    .where(eq(versionInitials.versionId, versionId))
    .orderBy(asc(versionInitials.createdAt), asc(versionInitials.party));
}

/** Records a delegation's initials; false when that delegation has already initialled. */
export async function insertInitial(
  db: Database,
  input: { versionId: string; party: string; userId: string; name: string; contentHash: string },
): Promise<boolean> {
  const rows = await db
    .insert(versionInitials)
    .values(input)
    .onConflictDoNothing()
    .returning({ party: versionInitials.party });
  return rows.length > 0;
}

/** Versions whose stored hash is `hash`, in groups the user belongs to (for the verify page). */
export async function findVersionsByHash(
  db: Database,
  userId: string,
  hash: string,
): Promise<
  Array<{
    versionId: string;
    versionName: string;
    createdAt: Date;
    frameworkId: string;
    frameworkTitle: string;
    workspaceId: string;
  }>
> {
  return db
    .select({
      versionId: frameworkVersions.id,
      versionName: frameworkVersions.name,
      createdAt: frameworkVersions.createdAt,
      frameworkId: frameworks.id,
      frameworkTitle: frameworks.title,
      workspaceId: frameworks.workspaceId,
    })
    .from(frameworkVersions)
    .innerJoin(frameworks, eq(frameworks.id, frameworkVersions.frameworkId))
    .innerJoin(
      memberships,
      and(eq(memberships.workspaceId, frameworks.workspaceId), eq(memberships.userId, userId)),
    )
    .where(eq(frameworkVersions.contentHash, hash))
    .orderBy(asc(frameworkVersions.createdAt));
}

/** Frozen versions of the user's groups whose deadline has passed (the inbox checks who is missing). */
export async function overdueInitialling(
  db: Database,
  userId: string,
  now: Date,
): Promise<
  Array<{
    initialling: VersionInitialling;
    versionName: string;
    frameworkTitle: string;
    workspaceId: string;
    role: string;
    delegation: string | null;
  }>
> {
  const rows = await db
    .select({
      initialling: versionInitialling,
      versionName: frameworkVersions.name,
      frameworkTitle: frameworks.title,
      workspaceId: frameworks.workspaceId,
      role: memberships.role,
      delegation: memberships.delegation,
    })
    .from(versionInitialling)
    .innerJoin(frameworkVersions, eq(frameworkVersions.id, versionInitialling.versionId))
    .innerJoin(frameworks, eq(frameworks.id, versionInitialling.frameworkId))
    .innerJoin(
      memberships,
      and(eq(memberships.workspaceId, frameworks.workspaceId), eq(memberships.userId, userId)),
    )
    .where(and(isNotNull(versionInitialling.deadline), lte(versionInitialling.deadline, now)));
  return rows;
}
