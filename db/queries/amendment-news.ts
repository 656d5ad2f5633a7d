import { and, desc, eq, gte, inArray, isNull, ne, or, sql, type SQL } from 'drizzle-orm';
import { alias, type AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Database } from '../client';
import { amendmentSponsors, amendments, frameworks, memberships, users } from '../schema';

/** A party a user speaks for in one group. */
export type SpokenParty = { workspaceId: string; party: string };

/** An inbox line about an amendment: decided (it is the reader's), or tabled to their layer. */
export type AmendmentNews = {
  reason: 'decided' | 'tabled_to_lead';
  amendmentId: string;
  number: number;
  status: string;
  partyName: string | null;
  proposedText: string;
  decisionReason: string | null;
  /** Who decided it ('decided') or tabled it ('tabled_to_lead'). */
  actorName: string | null;
  at: Date;
  frameworkId: string;
  frameworkTitle: string;
  workspaceId: string;
};

const DECIDED = ['accepted', 'rejected', 'superseded'];

/**
 * Amendment news for a user since a date, newest first: decisions on amendments they tabled or
 * their delegation tabled or co-sponsors, and amendments others tabled to layers their delegation
 * led when tabled. Only groups they are a member of; never their own acts.
 */
export async function amendmentNewsFor(
  db: Database,
  userId: string,
  spoken: SpokenParty[],
  since: Date,
  limit = 50,
): Promise<AmendmentNews[]> {
  const actors = alias(users, 'actors');
  const inGroup = and(
    eq(memberships.workspaceId, amendments.workspaceId),
    eq(memberships.userId, userId),
  );
  const ourAmendment: SQL[] = spoken.map(({ workspaceId, party }) =>
    and(
      eq(amendments.workspaceId, workspaceId),
      or(
        eq(amendments.party, party),
        sql`exists (select 1 from ${amendmentSponsors} where ${amendmentSponsors.amendmentId} = ${amendments.id} and ${amendmentSponsors.party} = ${party})`,
      ),
    )!,
  );
  /** Amendments matching `where`, newest `at` first, with the framework and the acting member. */
  const select = (actor: AnyPgColumn, where: SQL | undefined, at: AnyPgColumn) =>
    db
      .select({ amendment: amendments, frameworkTitle: frameworks.title, actorName: actors.name })
      .from(amendments)
      .innerJoin(frameworks, eq(frameworks.id, amendments.frameworkId))
      .innerJoin(memberships, inGroup)
      .leftJoin(actors, eq(actors.id, actor))
      .where(where)
      .orderBy(desc(at))
      .limit(limit);

  const decided = await select(
    amendments.decidedBy,
    and(
      inArray(amendments.status, DECIDED),
      gte(amendments.decidedAt, since),
      or(isNull(amendments.decidedBy), ne(amendments.decidedBy, userId)),
      or(eq(amendments.tabledBy, userId), ...ourAmendment),
    ),
    amendments.decidedAt,
  );

  const ledByUs: SQL[] = spoken.map(({ workspaceId, party }) =>
    and(
      eq(amendments.workspaceId, workspaceId),
      eq(amendments.layerLead, party),
      or(isNull(amendments.party), ne(amendments.party, party)),
    )!,
  );
  const tabled =
    ledByUs.length === 0
      ? []
      : await select(
          amendments.tabledBy,
          and(
            gte(amendments.createdAt, since),
            or(isNull(amendments.tabledBy), ne(amendments.tabledBy, userId)),
            or(...ledByUs),
          ),
          amendments.createdAt,
        );

  const news = [
    ...decided.map((r) => toNews(r, 'decided', r.amendment.decidedAt ?? r.amendment.createdAt)),
    ...tabled.map((r) => toNews(r, 'tabled_to_lead', r.amendment.createdAt)),
  ];
  return news.sort((a, b) => b.at.getTime() - a.at.getTime()).slice(0, limit);
}

function toNews(
  r: {
    amendment: typeof amendments.$inferSelect;
    frameworkTitle: string;
    actorName: string | null;
  },
  reason: AmendmentNews['reason'],
  at: Date,
): AmendmentNews {
  const a = r.amendment;
  return {
    reason,
    amendmentId: a.id,
    number: a.number,
    status: a.status,
    partyName: a.partyName,
    proposedText: a.proposedText,
    decisionReason: a.decisionReason,
    actorName: r.actorName,
    at,
    frameworkId: a.frameworkId,
    frameworkTitle: r.frameworkTitle,
    workspaceId: a.workspaceId,
  };
}
