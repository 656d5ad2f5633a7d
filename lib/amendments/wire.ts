/**
 * Amendments as the browser and the routes exchange them: one shape for the panel, the live
 * notice, the compilation and the export.
 */
import type { AmendmentTarget, ProposalRun } from '../framework';

export const AMENDMENT_STATUSES = [
  'tabled',
  'withdrawn',
  'accepted',
  'rejected',
  'superseded',
] as const;
export type AmendmentStatus = (typeof AMENDMENT_STATUSES)[number];

export const AMENDMENT_STATUS_LABELS: Record<AmendmentStatus, string> = {
  tabled: 'Tabled',
  withdrawn: 'Withdrawn',
  accepted: 'Accepted',
  rejected: 'Rejected',
  superseded: 'Superseded by a compromise',
};

/** The longest proposed text (characters): a paragraph's rewording, not a new treaty. */
export const MAX_PROPOSED_TEXT_LENGTH = 10_000;
export const MAX_JUSTIFICATION_LENGTH = 5_000;
/** A proposed trigger's condition or response: a clause, like a commitment's conditions. */
export const MAX_TRIGGER_TEXT_LENGTH = 2_000;
/** Ten years of hours: beyond that a proposed deadline is a typo, not a response algorithm. */
export const MAX_DEADLINE_HOURS = 87_600;
/** The most responsible parties a proposed trigger names (a coalition of 30+, with room). */
export const MAX_RESPONSIBLE_PARTIES = 60;
/** The most amendments one compromise merges. */
export const MAX_COMPROMISE_SOURCES = 20;

export type AmendmentSponsorView = { party: string; name: string };

export type AmendmentView = {
  id: string;
  number: number;
  layerId: string;
  target: AmendmentTarget;
  baseText: string;
  proposedText: string;
  /** A passage's proposed wording with its formatting; null: plain text. */
  proposedRuns: ProposalRun[] | null;
  justification: string;
  /** Party id and name of the tabling delegation; null: the chair. */
  party: string | null;
  partyName: string | null;
  tabledBy: string | null;
  tabledByName: string;
  tabledAt: string;
  sponsors: AmendmentSponsorView[];
  status: AmendmentStatus;
  decidedBy: string | null;
  decidedByName: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
  compromiseOf: number[];
  supersededBy: number | null;
};

/** An amendment as listed: with what its target reads now. */
export type AmendmentListItem = AmendmentView & {
  /** What the target reads now (null: gone); differs from baseText when the text moved on. */
  currentText: string | null;
};

/** "Amendment 12 (France, Poland)", "Amendment 3 (chair's compromise of 1 and 2)". */
export function amendmentTitle(
  a: Pick<AmendmentView, 'number' | 'partyName' | 'sponsors' | 'compromiseOf'>,
): string {
  if (a.compromiseOf.length > 0) {
    const sources = a.compromiseOf.map(String);
    const list =
      sources.length === 1
        ? sources[0]
        : `${sources.slice(0, -1).join(', ')} and ${sources[sources.length - 1]}`;
    return `Amendment ${a.number} (chair's compromise of ${list})`;
  }
  const names = [a.partyName ?? 'Chair', ...a.sponsors.map((s) => s.name)];
  return `Amendment ${a.number} (${names.join(', ')})`;
}
