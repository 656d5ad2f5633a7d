import { and, desc, eq } from 'drizzle-orm';
import type { Database } from '../client';
import { frameworkVersions, users, type FrameworkVersion } from '../schema';

/** A version without its state bytes, with the author's name (for lists). */
export type VersionListItem = Omit<FrameworkVersion, 'state'> & { authorName: string | null };

export async function createVersion(
  db: Database,
  input: {
    frameworkId: string;
    name: string;
    note: string;
    state: Uint8Array;
    createdBy: string;
    contentHash: string;
  },
): Promise<VersionListItem> {
  const [row] = await db.insert(frameworkVersions).values(input).returning({
    id: frameworkVersions.id,
    frameworkId: frameworkVersions.frameworkId,
    name: frameworkVersions.name,
    note: frameworkVersions.note,
    createdBy: frameworkVersions.createdBy,
    createdAt: frameworkVersions.createdAt,
    contentHash: frameworkVersions.contentHash,
  });
  const [author] = await db
    .select({ name: users.name })
    .from(users)
    .where(eq(users.id, input.createdBy));
  return { ...row!, authorName: author?.name ?? null };
}

/** A framework's versions, newest first, without their state. */
export async function listVersions(db: Database, frameworkId: string): Promise<VersionListItem[]> {
  return db
    .select({
      id: frameworkVersions.id,
      frameworkId: frameworkVersions.frameworkId,
      name: frameworkVersions.name,
      note: frameworkVersions.note,
      createdBy: frameworkVersions.createdBy,
      createdAt: frameworkVersions.createdAt,
      contentHash: frameworkVersions.contentHash,
      authorName: users.name,
    })
    .from(frameworkVersions)
    .leftJoin(users, eq(users.id, frameworkVersions.createdBy))
    .where(eq(frameworkVersions.frameworkId, frameworkId))
    .orderBy(desc(frameworkVersions.createdAt), desc(frameworkVersions.id));
}

/** A version of the framework with its state, or undefined (another framework's is not found). */
export async function findVersion(
  db: Database,
  frameworkId: string,
  versionId: string,
): Promise<FrameworkVersion | undefined> {
  const [row] = await db
    .select()
    .from(frameworkVersions)
    .where(
      and(eq(frameworkVersions.id, versionId), eq(frameworkVersions.frameworkId, frameworkId)),
    );
  return row;
}
