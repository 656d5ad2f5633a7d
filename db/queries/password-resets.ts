import { and, eq, gt, isNull, lt } from 'drizzle-orm';
import type { Database } from '../client';
import { passwordResetTokens } from '../schema';

export async function createPasswordResetToken(
  db: Database,
  input: { userId: string; tokenHash: string; expiresAt: Date },
): Promise<void> {
  await db.insert(passwordResetTokens).values(input);
}

/** The user of a reset link that is still usable (unused, unexpired), without using it. */
export async function findUsableResetToken(
  db: Database,
  tokenHash: string,
  now: Date,
): Promise<{ userId: string } | undefined> {
  const [row] = await db
    .select({ userId: passwordResetTokens.userId })
    .from(passwordResetTokens)
    .where(
      and(
        eq(passwordResetTokens.tokenHash, tokenHash),
        isNull(passwordResetTokens.usedAt),
        gt(passwordResetTokens.expiresAt, now),
      ),
    )
    .limit(1);
  return row;
}

/**
 * Uses a reset link: one statement marks it used if it is still usable and returns its user, so
 * two requests racing with the same link cannot both succeed.
 */
export async function useResetToken(
  db: Database,
  tokenHash: string,
  now: Date,
): Promise<{ userId: string } | undefined> {
  const [row] = await db
    .update(passwordResetTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(passwordResetTokens.tokenHash, tokenHash),
        isNull(passwordResetTokens.usedAt),
        gt(passwordResetTokens.expiresAt, now),
      ),
    )
    .returning({ userId: passwordResetTokens.userId });
  return row;
}

/** Marks every still-unused link of the user used (their password just changed). */
export async function retireResetTokens(db: Database, userId: string, now: Date): Promise<void> {
  await db
    .update(passwordResetTokens)
    .set({ usedAt: now })
    .where(and(eq(passwordResetTokens.userId, userId), isNull(passwordResetTokens.usedAt)));
}

/** Drops reset links that expired (used or not, they can never work again); returns how many. */
export async function deleteExpiredResetTokens(db: Database, now: Date): Promise<number> {
  const rows = await db
    .delete(passwordResetTokens)
    .where(lt(passwordResetTokens.expiresAt, now))
    .returning({ id: passwordResetTokens.id });
  return rows.length;
}
