/**
 * Which amendments a version brought in: those accepted after the previous version was saved
 * and up to this one, so the versions list and a comparison say "Amendments 3 and 5 accepted".
 */
import { amendmentTitle, type AmendmentView } from './wire';

type Accepted = Pick<
  AmendmentView,
  'number' | 'partyName' | 'sponsors' | 'compromiseOf' | 'status' | 'decidedAt'
>;

/** Titles of the amendments accepted in (after, until], by number; `until` null: up to now. */
export function acceptedBetween(
  amendments: readonly Accepted[],
  after: Date | null,
  until: Date | null,
): string[] {
  return amendments
    .filter((a) => {
      if (a.status !== 'accepted' || !a.decidedAt) return false;
      const at = new Date(a.decidedAt).getTime();
      return (after === null || at > after.getTime()) && (until === null || at <= until.getTime());
    })
    .sort((a, b) => a.number - b.number)
    .map(amendmentTitle);
}

/**
 * For versions listed newest first: what each brought in since the one before it (the oldest,
 * everything accepted before it was saved).
 */
export function acceptedPerVersion<V extends { createdAt: Date }>(
  versions: readonly V[],
  amendments: readonly Accepted[],
): Array<V & { acceptedAmendments: string[] }> {
  return versions.map((v, i) => ({
    ...v,
    acceptedAmendments: acceptedBetween(
      amendments,
      versions[i + 1]?.createdAt ?? null,
      v.createdAt,
    ),
  }));
}
