import { and, eq, gt, isNotNull, isNull, lt, ne, or, sql } from 'drizzle-orm';
import type { SecondFactorStanding } from '../../lib/second-factor';
import type { Database } from '../client';
import {
  authSessions,
  memberships,
  signInChallenges,
  totpAuthenticators,
  totpRecoveryCodes,
  users,
  workspaces,
  type TotpAuthenticator,
} from '../schema';

export async function findTotpAuthenticator(
  db: Database,
  userId: string,
): Promise<TotpAuthenticator | undefined> {
  const [row] = await db
    .select()
    .from(totpAuthenticators)
    .where(eq(totpAuthenticators.userId, userId))
    .limit(1);
  return row;
}

/** Starts (or restarts) an enrolment: a new pending secret replaces any unconfirmed one. */
export async function savePendingTotp(
  db: Database,
  userId: string,
  secretBox: string,
): Promise<void> {
  await db
    .insert(totpAuthenticators)
    .values({ userId, secretBox })
    .onConflictDoUpdate({
      target: totpAuthenticators.userId,
      set: { secretBox, lastUsedStep: null, createdAt: new Date() },
      // An enabled authenticator is never overwritten by a new enrolment.
      setWhere: isNull(totpAuthenticators.enabledAt),
    });
}

/**
 * Records `step` as used when it is later than the last used one, in one statement so two
 * requests with the same code cannot both win. False: the code was already used (a replay).
 */
export async function claimTotpStep(db: Database, userId: string, step: number): Promise<boolean> {
  const rows = await db
    .update(totpAuthenticators)
    .set({ lastUsedStep: step })
    .where(
      and(
        eq(totpAuthenticators.userId, userId),
        or(isNull(totpAuthenticators.lastUsedStep), lt(totpAuthenticators.lastUsedStep, step)),
      ),
    )
    .returning({ userId: totpAuthenticators.userId });
  return rows.length === 1;
}

/**
 * Turns a confirmed enrolment on with its recovery codes, and ends the user's other sessions:
 * they were opened with the password alone, and from now on a session means both factors.
 */
export async function enableTotp(
  db: Database,
  input: { userId: string; recoveryCodeHashes: string[]; keepSessionId: string },
  at = new Date(),
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const enabled = await tx
      .update(totpAuthenticators)
      .set({ enabledAt: at })
      .where(and(eq(totpAuthenticators.userId, input.userId), isNull(totpAuthenticators.enabledAt)))
      .returning({ userId: totpAuthenticators.userId });
    if (enabled.length === 0) return false;
    await tx.delete(totpRecoveryCodes).where(eq(totpRecoveryCodes.userId, input.userId));
    await tx
      .insert(totpRecoveryCodes)
      .values(input.recoveryCodeHashes.map((codeHash) => ({ userId: input.userId, codeHash })));
    await tx
      .delete(authSessions)
      .where(and(eq(authSessions.userId, input.userId), ne(authSessions.id, input.keepSessionId)));
    return true;
  });
}

export async function deleteTotp(db: Database, userId: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(totpRecoveryCodes).where(eq(totpRecoveryCodes.userId, userId));
    await tx.delete(signInChallenges).where(eq(signInChallenges.userId, userId));
    await tx.delete(totpAuthenticators).where(eq(totpAuthenticators.userId, userId));
  });
}

/** Marks an unused recovery code used; false when it does not exist or was used already. */
export async function spendRecoveryCode(
  db: Database,
  userId: string,
  codeHash: string,
  at = new Date(),
): Promise<boolean> {
  const rows = await db
    .update(totpRecoveryCodes)
    .set({ usedAt: at })
    .where(
      and(
        eq(totpRecoveryCodes.userId, userId),
        eq(totpRecoveryCodes.codeHash, codeHash),
        isNull(totpRecoveryCodes.usedAt),
      ),
    )
    .returning({ id: totpRecoveryCodes.id });
  return rows.length === 1;
}

export async function countUnusedRecoveryCodes(db: Database, userId: string): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(totpRecoveryCodes)
    .where(and(eq(totpRecoveryCodes.userId, userId), isNull(totpRecoveryCodes.usedAt)));
  return row?.count ?? 0;
}

export async function createSignInChallenge(
  db: Database,
  input: { tokenHash: string; userId: string; throttleKey: string; expiresAt: Date },
): Promise<void> {
  await db.insert(signInChallenges).values(input);
}

export type LiveChallenge = {
  userId: string;
  throttleKey: string;
  attempts: number;
};

/** A challenge that has not expired, or undefined. */
export async function findLiveSignInChallenge(
  db: Database,
  tokenHash: string,
  now = new Date(),
): Promise<LiveChallenge | undefined> {
  const [row] = await db
    .select({
      userId: signInChallenges.userId,
      throttleKey: signInChallenges.throttleKey,
      attempts: signInChallenges.attempts,
    })
    .from(signInChallenges)
    .where(and(eq(signInChallenges.tokenHash, tokenHash), gt(signInChallenges.expiresAt, now)))
    .limit(1);
  return row;
}

/** Counts a wrong code against the challenge; returns the attempts so far. */
export async function countChallengeAttempt(db: Database, tokenHash: string): Promise<number> {
  const [row] = await db
    .update(signInChallenges)
    .set({ attempts: sql`${signInChallenges.attempts} + 1` })
    .where(eq(signInChallenges.tokenHash, tokenHash))
    .returning({ attempts: signInChallenges.attempts });
  return row?.attempts ?? Number.POSITIVE_INFINITY;
}

/** Removes a challenge; true when this call removed it (so it is consumed exactly once). */
export async function consumeSignInChallenge(db: Database, tokenHash: string): Promise<boolean> {
  const rows = await db
    .delete(signInChallenges)
    .where(eq(signInChallenges.tokenHash, tokenHash))
    .returning({ tokenHash: signInChallenges.tokenHash });
  return rows.length === 1;
}

export async function deleteExpiredSignInChallenges(db: Database, now: Date): Promise<number> {
  const rows = await db
    .delete(signInChallenges)
    .where(lt(signInChallenges.expiresAt, now))
    .returning({ tokenHash: signInChallenges.tokenHash });
  return rows.length;
}

export async function findSecondFactorStanding(
  db: Database,
  userId: string,
): Promise<SecondFactorStanding | undefined> {
  const [row] = await db
    .select({
      hasPassword: sql<boolean>`${users.passwordHash} is not null`,
      totpEnabled: sql<boolean>`${totpAuthenticators.enabledAt} is not null`,
    })
    .from(users)
    .leftJoin(totpAuthenticators, eq(totpAuthenticators.userId, users.id))
    .where(eq(users.id, userId))
    .limit(1);
  return row;
}

/** The group's requirement and the member's standing, in one query (every group access asks). */
export async function findGroupSecondFactorGate(
  db: Database,
  workspaceId: string,
  userId: string,
): Promise<{ required: boolean } & SecondFactorStanding> {
  const [row] = await db
    .select({
      required: workspaces.requireSecondFactor,
      hasPassword: sql<boolean>`${users.passwordHash} is not null`,
      totpEnabled: sql<boolean>`${totpAuthenticators.enabledAt} is not null`,
    })
    .from(workspaces)
    .innerJoin(users, eq(users.id, userId))
    .leftJoin(totpAuthenticators, eq(totpAuthenticators.userId, users.id))
    .where(eq(workspaces.id, workspaceId))
    .limit(1);
  return row ?? { required: false, hasPassword: false, totpEnabled: false };
}

export async function setGroupSecondFactorRequirement(
  db: Database,
  workspaceId: string,
  required: boolean,
): Promise<void> {
  await db
    .update(workspaces)
    .set({ requireSecondFactor: required })
    .where(eq(workspaces.id, workspaceId));
}

/** Members of a group who would be refused under the requirement (password, no TOTP). */
export async function countMembersWithoutSecondFactor(
  db: Database,
  workspaceId: string,
): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .leftJoin(
      totpAuthenticators,
      and(eq(totpAuthenticators.userId, users.id), isNotNull(totpAuthenticators.enabledAt)),
    )
    .where(
      and(
        eq(memberships.workspaceId, workspaceId),
        isNotNull(users.passwordHash),
        isNull(totpAuthenticators.userId),
      ),
    );
  return row?.count ?? 0;
}

/** The groups of a user that require a second factor. */
export async function findGroupsRequiringSecondFactor(
  db: Database,
  userId: string,
): Promise<string[]> {
  const rows = await db
    .select({ id: workspaces.id })
    .from(memberships)
    .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
    .where(and(eq(memberships.userId, userId), eq(workspaces.requireSecondFactor, true)));
  return rows.map((row) => row.id);
}
