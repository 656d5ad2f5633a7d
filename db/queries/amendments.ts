import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { ProposalRun } from '../../lib/framework/proposal-runs';
import type { Database } from '../client';
import {
  amendmentSponsors,
  amendments,
  users,
  type Amendment,
  type AmendmentSponsor,
  type StoredAmendmentTarget,
} from '../schema';

/** Advisory lock space of amendment numbering (one lock per framework, held for a transaction). */
const NUMBERING_LOCK_SPACE = 7201;

export type AmendmentRow = Amendment & {
  decidedByName: string | null;
  sponsors: AmendmentSponsor[];
};

export type NewAmendment = {
  workspaceId: string;
  frameworkId: string;
  layerId: string;
  target: StoredAmendmentTarget;
  baseText: string;
  proposedText: string;
  proposedRuns?: ProposalRun[] | null;
  justification: string;
  party: string | null;
  partyName: string | null;
  tabledBy: string;
  tabledByName: string;
  compromiseOf?: number[];
  /** The layer's lead party as tabled ('' or null: none). */
  layerLead?: string | null;
};

/**
 * Stores a new amendment with the next number of its framework. Call inside a transaction: the
 * advisory lock serialises numbering across instances until it commits.
 */
export async function insertAmendment(tx: Database, input: NewAmendment): Promise<Amendment> {
  await tx.execute(
    sql`select pg_advisory_xact_lock(${NUMBERING_LOCK_SPACE}, hashtext(${input.frameworkId}))`,
  );
  const [last] = await tx
    .select({ max: sql<number | null>`max(${amendments.number})` })
    .from(amendments)
    .where(eq(amendments.frameworkId, input.frameworkId));
  const number = Number(last?.max ?? 0) + 1;
  const [row] = await tx
    .insert(amendments)
    .values({
      ...input,
      compromiseOf: input.compromiseOf ?? [],
      layerLead: input.layerLead || null,
      number,
    })
    .returning();
  return row!;
}

/** Every amendment of a framework (or those with the given ids), by number, with sponsors. */
export async function listAmendments(
  db: Database,
  frameworkId: string,
  only?: string[],
): Promise<AmendmentRow[]> {
  const deciders = alias(users, 'deciders');
  const rows = await db
    .select({ amendment: amendments, decidedByName: deciders.name })
    .from(amendments)
    .leftJoin(deciders, eq(deciders.id, amendments.decidedBy))
    .where(
      only
        ? and(eq(amendments.frameworkId, frameworkId), inArray(amendments.id, only))
        : eq(amendments.frameworkId, frameworkId),
    )
    .orderBy(asc(amendments.number));
  if (rows.length === 0) return [];
  const sponsors = await db
    .select()
    .from(amendmentSponsors)
    .where(
      inArray(
        amendmentSponsors.amendmentId,
        rows.map((r) => r.amendment.id),
      ),
    )
    .orderBy(asc(amendmentSponsors.createdAt));
  return rows.map((r) => ({
    ...r.amendment,
    decidedByName: r.decidedByName,
    sponsors: sponsors.filter((s) => s.amendmentId === r.amendment.id),
  }));
}

export async function findAmendment(
  db: Database,
  frameworkId: string,
  id: string,
): Promise<AmendmentRow | null> {
  const [row] = await listAmendments(db, frameworkId, [id]);
  return row ?? null;
}

/** The amendments of a framework with these numbers. */
export async function findAmendmentsByNumber(
  db: Database,
  frameworkId: string,
  numbers: number[],
): Promise<Amendment[]> {
  if (numbers.length === 0) return [];
  return db
    .select()
    .from(amendments)
    .where(and(eq(amendments.frameworkId, frameworkId), inArray(amendments.number, numbers)));
}

/** Adds a co-sponsor; false when that delegation already co-sponsors it. */
export async function addSponsor(
  db: Database,
  input: { amendmentId: string; party: string; partyName: string; userId: string },
): Promise<boolean> {
  const inserted = await db
    .insert(amendmentSponsors)
    .values(input)
    .onConflictDoNothing()
    .returning({ party: amendmentSponsors.party });
  return inserted.length > 0;
}

/** Removes a co-sponsor; false when that delegation did not co-sponsor it. */
export async function removeSponsor(
  db: Database,
  amendmentId: string,
  party: string,
): Promise<boolean> {
  const removed = await db
    .delete(amendmentSponsors)
    .where(and(eq(amendmentSponsors.amendmentId, amendmentId), eq(amendmentSponsors.party, party)))
    .returning({ party: amendmentSponsors.party });
  return removed.length > 0;
}

export type Decision = {
  status: 'withdrawn' | 'accepted' | 'rejected' | 'superseded';
  decidedBy: string;
  reason: string | null;
  supersededBy?: number;
};

/**
 * Decides a tabled amendment, once: the update only matches while it is still tabled, so of two
 * deciders at once exactly one gets the row back (the other gets null).
 */
export async function decideAmendment(
  db: Database,
  id: string,
  decision: Decision,
): Promise<Amendment | null> {
  const [row] = await db
    .update(amendments)
    .set({
      status: decision.status,
      decidedBy: decision.decidedBy,
      decidedAt: new Date(),
      decisionReason: decision.reason,
      supersededBy: decision.supersededBy ?? null,
    })
    .where(and(eq(amendments.id, id), eq(amendments.status, 'tabled')))
    .returning();
  return row ?? null;
}

/** Puts a decision back (the document refused the accepted change): tabled again. */
export async function undoDecision(db: Database, id: string, status: Decision['status']) {
  await db
    .update(amendments)
    .set({ status: 'tabled', decidedBy: null, decidedAt: null, decisionReason: null })
    .where(and(eq(amendments.id, id), eq(amendments.status, status)));
}
