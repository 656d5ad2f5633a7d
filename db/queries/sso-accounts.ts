import { and, eq } from 'drizzle-orm';
import type { Database } from '../client';
import { ssoAccounts, users, type User } from '../schema';

/** The user an identity at a provider is linked to, if any. */
export async function findSsoAccountUser(
  db: Database,
  provider: string,
  subject: string,
): Promise<Pick<User, 'id' | 'email' | 'name'> | undefined> {
  const [row] = await db
    .select({ id: users.id, email: users.email, name: users.name })
    .from(ssoAccounts)
    .innerJoin(users, eq(users.id, ssoAccounts.userId))
    .where(and(eq(ssoAccounts.provider, provider), eq(ssoAccounts.subject, subject)))
    .limit(1);
  return row;
}

/** Links an identity to a user; an identity already linked keeps its first user. */
export async function linkSsoAccount(
  db: Database,
  input: { provider: string; subject: string; userId: string },
): Promise<void> {
  await db.insert(ssoAccounts).values(input).onConflictDoNothing();
}

/** The providers a user is linked to, oldest link first. */
export async function listSsoAccountsOfUser(
  db: Database,
  userId: string,
): Promise<Array<{ provider: string; subject: string }>> {
  return db
    .select({ provider: ssoAccounts.provider, subject: ssoAccounts.subject })
    .from(ssoAccounts)
    .where(eq(ssoAccounts.userId, userId))
    .orderBy(ssoAccounts.createdAt);
}
