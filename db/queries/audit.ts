import { and, desc, eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
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

export type AuditListItem = AuditEntry & {
  actorName: string | null;
  targetUserName: string | null;
};

export async function recordAudit(db: Database, entry: AuditInput): Promise<void> {
  await db.insert(auditLog).values({ ...entry, details: entry.details ?? {} });
}

export async function listAudit(
  db: Database,
  workspaceId: string,
  limit = 200,
): Promise<AuditListItem[]> {
  const targetUsers = alias(users, 'target_users');
  const rows = await db
    .select({ entry: auditLog, actorName: users.name, targetUserName: targetUsers.name })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .leftJoin(
      targetUsers,
      and(eq(auditLog.targetType, 'user'), sql`${targetUsers.id}::text = ${auditLog.targetId}`),
    )
    .where(eq(auditLog.workspaceId, workspaceId))
    .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
    .limit(limit);
  return rows.map((r) => ({
    ...r.entry,
    actorName: r.actorName,
    targetUserName: r.targetUserName,
  }));
}
