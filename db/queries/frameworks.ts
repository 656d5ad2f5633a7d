import { and, desc, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import type { Database } from '../client';
import { frameworks, memberships, users, type Framework, type Membership } from '../schema';

export type FrameworkListItem = Framework & { createdByName: string | null };

export async function createFramework(
  db: Database,
  input: { workspaceId: string; title: string; template: string; createdBy: string },
): Promise<Framework> {
  const [row] = await db.insert(frameworks).values(input).returning();
  if (!row) throw new Error('insert returned no row');
  return row;
}

/** A framework by id, but only inside the given group: ids from another group are "not found". */
export async function findFrameworkInWorkspace(
  db: Database,
  workspaceId: string,
  frameworkId: string,
): Promise<Framework | undefined> {
  const [row] = await db
    .select()
    .from(frameworks)
    .where(and(eq(frameworks.id, frameworkId), eq(frameworks.workspaceId, workspaceId)))
    .limit(1);
  return row;
}

/** The user's role on each of `frameworkIds` whose group they belong to (others are left out). */
export async function rolesOnFrameworks(
  db: Database,
  userId: string,
  frameworkIds: string[],
): Promise<Array<{ frameworkId: string; role: Membership['role'] }>> {
  if (frameworkIds.length === 0) return [];
  return db
    .select({ frameworkId: frameworks.id, role: memberships.role })
    .from(frameworks)
    .innerJoin(
      memberships,
      and(eq(memberships.workspaceId, frameworks.workspaceId), eq(memberships.userId, userId)),
    )
    .where(inArray(frameworks.id, frameworkIds));
}

export async function findFramework(db: Database, id: string): Promise<Framework | undefined> {
  const [row] = await db.select().from(frameworks).where(eq(frameworks.id, id)).limit(1);
  return row;
}

export async function listFrameworks(
  db: Database,
  workspaceId: string,
  options: { archived: boolean },
): Promise<FrameworkListItem[]> {
  const rows = await db
    .select({ framework: frameworks, createdByName: users.name })
    .from(frameworks)
    .leftJoin(users, eq(users.id, frameworks.createdBy))
    .where(
      and(
        eq(frameworks.workspaceId, workspaceId),
        options.archived ? isNotNull(frameworks.archivedAt) : isNull(frameworks.archivedAt),
      ),
    )
    .orderBy(desc(frameworks.updatedAt));
  return rows.map((r) => ({ ...r.framework, createdByName: r.createdByName }));
}

export async function renameFramework(db: Database, id: string, title: string): Promise<void> {
  await db.update(frameworks).set({ title, updatedAt: new Date() }).where(eq(frameworks.id, id));
}

export async function setFrameworkArchived(
  db: Database,
  id: string,
  archived: boolean,
): Promise<void> {
  await db
    .update(frameworks)
    .set({ archivedAt: archived ? new Date() : null, updatedAt: new Date() })
    .where(eq(frameworks.id, id));
}

export async function deleteFramework(db: Database, id: string): Promise<void> {
  await db.delete(frameworks).where(eq(frameworks.id, id));
}
