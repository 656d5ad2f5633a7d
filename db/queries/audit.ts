import { desc, eq } from 'drizzle-orm';
import type { Database } from '../client';
import { auditLog, users, type AuditEntry } from '../schema';

export type AuditInput = {
  workspaceId: string;
  actorId: string | null;
  action: string;
  targetType: string;
  targetId?: string | null;
  details?: Record<string, string | number | boolean | null>;
};

export type AuditListItem = AuditEntry & { actorName: string | null };

export async function recordAudit(db: Database, entry: AuditInput): Promise<void> {
  await db.insert(auditLog).values({ ...entry, details: entry.details ?? {} });
}

export async function listAudit(
  db: Database,
  workspaceId: string,
  limit = 200,
): Promise<AuditListItem[]> {
  const rows = await db
    .select({ entry: auditLog, actorName: users.name })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(eq(auditLog.workspaceId, workspaceId))
    .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
    .limit(limit);
  return rows.map((r) => ({ ...r.entry, actorName: r.actorName }));
}
