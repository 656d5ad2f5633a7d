import type { Database } from '../../db/client';
import { amendmentNewsFor, type AmendmentNews } from '../../db/queries/amendment-news';
import { delegationsOfUser } from '../../db/queries/workspaces';
import { partyIdOf } from '../framework';
import { withoutRefusingGroups } from './second-factor-requirement';

/** How far back the inbox looks for amendment news. */
export const AMENDMENT_NEWS_DAYS = 30;

/**
 * The inbox's amendment lines (DOMAIN, "Amendments and compilations"): the chair's decisions on
 * amendments the reader or their delegation tabled or co-sponsors, and amendments tabled by
 * others to a layer their delegation leads. A group that refuses the reader (second factor
 * missing) is left out, as for every inbox item.
 */
export async function amendmentNewsOf(
  db: Database,
  userId: string,
  now = new Date(),
): Promise<AmendmentNews[]> {
  const since = new Date(now.getTime() - AMENDMENT_NEWS_DAYS * 86_400_000);
  const spoken = (await delegationsOfUser(db, userId)).map((d) => ({
    workspaceId: d.workspaceId,
    party: partyIdOf(d.delegation),
  }));
  return withoutRefusingGroups(db, userId, await amendmentNewsFor(db, userId, spoken, since));
}
