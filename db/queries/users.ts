import { and, eq, gt, lt, sql } from 'drizzle-orm';
import type { Database } from '../client';
import { authSessions, signInFailures, users, type User } from '../schema';

export async function createUser(
  db: Database,
  input: { email: string; name: string; passwordHash: string | null },
): Promise<User> {
  const [user] = await db
    .insert(users)
    .values({ ...input, email: input.email.trim() })
    .returning();
  if (!user) throw new Error('insert returned no row');
  return user;
}

export async function findUserByEmail(db: Database, email: string): Promise<User | undefined> {
  const [user] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = lower(${email.trim()})`)
    .limit(1);
  return user;
}

export async function findUserById(db: Database, id: string): Promise<User | undefined> {
  const [user] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return user;
}

export async function updateUserTimeZone(
  db: Database,
  id: string,
  timeZone: string | null,
): Promise<void> {
  await db.update(users).set({ timeZone }).where(eq(users.id, id));
}

export async function updateUserName(db: Database, id: string, name: string): Promise<void> {
  await db.update(users).set({ name }).where(eq(users.id, id));
}

export async function updatePasswordHash(
  db: Database,
  userId: string,
  passwordHash: string,
): Promise<void> {
  await db.update(users).set({ passwordHash }).where(eq(users.id, userId));
}

export async function createAuthSession(
  db: Database,
  userId: string,
  expiresAt: Date,
  userAgent: string | null = null,
): Promise<string> {
  const [row] = await db
    .insert(authSessions)
    .values({ userId, expiresAt, userAgent })
    .returning({ id: authSessions.id });
  if (!row) throw new Error('insert returned no row');
  return row.id;
}

/** The user behind a live session, or undefined when the session ended or never existed. */
export async function findSessionUser(
  db: Database,
  sessionId: string,
): Promise<
  (Pick<User, 'id' | 'email' | 'name' | 'timeZone'> & { sessionLastSeenAt: Date }) | undefined
> {
  const [row] = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      timeZone: users.timeZone,
      sessionLastSeenAt: authSessions.lastSeenAt,
    })
    .from(authSessions)
    .innerJoin(users, eq(users.id, authSessions.userId))
    .where(and(eq(authSessions.id, sessionId), gt(authSessions.expiresAt, new Date())))
    .limit(1);
  return row;
}

export async function deleteAuthSession(db: Database, sessionId: string): Promise<void> {
  await db.delete(authSessions).where(eq(authSessions.id, sessionId));
}

/** Records one throttle event under each key, at `at` (the database's clock by default). */
export async function recordSignInFailure(db: Database, keys: string[], at?: Date): Promise<void> {
  if (keys.length === 0) return;
  await db
    .insert(signInFailures)
    .values(keys.map((key) => ({ key, ...(at ? { createdAt: at } : {}) })));
}

export async function countSignInFailuresSince(
  db: Database,
  key: string,
  since: Date,
): Promise<{ count: number; oldest: Date | null }> {
  const [row] = await db
    .select({
      count: sql<number>`count(*)::int`,
      oldest: sql<string | null>`min(${signInFailures.createdAt})`,
    })
    .from(signInFailures)
    .where(and(eq(signInFailures.key, key), gt(signInFailures.createdAt, since)));
  return { count: row?.count ?? 0, oldest: row?.oldest ? new Date(row.oldest) : null };
}

export async function clearSignInFailures(db: Database, key: string): Promise<void> {
  await db.delete(signInFailures).where(eq(signInFailures.key, key));
}

/** Drops throttle events older than `before` so the table stays small; returns how many. */
export async function pruneSignInFailures(db: Database, before: Date): Promise<number> {
  const rows = await db
    .delete(signInFailures)
    .where(lt(signInFailures.createdAt, before))
    .returning({ id: signInFailures.id });
  return rows.length;
}

/** Drops sessions that ended (they can never sign anyone in again); returns how many. */
export async function deleteExpiredAuthSessions(db: Database, now: Date): Promise<number> {
  const rows = await db
    .delete(authSessions)
    .where(lt(authSessions.expiresAt, now))
    .returning({ id: authSessions.id });
  return rows.length;
}
