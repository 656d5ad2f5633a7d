/**
 * The attributes of a bracket mark (unagreed language), as the editor stores them on text and
 * every reader reads them: defensively, since they come from other clients and older code.
 */
import type { BracketAlternative } from './types';

/** The name of the bracket mark, as Tiptap and y-prosemirror store it (text attribute). */
export const BRACKET_MARK = 'bracket';

export interface BracketAttrs {
  id: string;
  /** Party id of the proposer, '' when unknown. */
  party: string;
  /** Alternative wordings, each with the party that proposed it. */
  alternatives: BracketAlternative[];
  /** True when the chair entered it on the proposing delegation's behalf. */
  chair: boolean;
}

/** An alternative as stored: an object, or a plain string from before proposers were kept. */
function alternativeOf(value: unknown): BracketAlternative | null {
  if (typeof value === 'string') return { text: value, party: '' };
  if (typeof value !== 'object' || value === null) return null;
  const v = value as { text?: unknown; party?: unknown };
  if (typeof v.text !== 'string') return null;
  return { text: v.text, party: typeof v.party === 'string' ? v.party : '' };
}

/** The attributes of a bracket mark, or null when `value` is not one. */
export function bracketAttrsOf(value: unknown): BracketAttrs | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as { id?: unknown; party?: unknown; alternatives?: unknown; chair?: unknown };
  return {
    id: typeof v.id === 'string' ? v.id : '',
    party: typeof v.party === 'string' ? v.party : '',
    alternatives: Array.isArray(v.alternatives)
      ? v.alternatives.map(alternativeOf).filter((a): a is BracketAlternative => a !== null)
      : [],
    chair: v.chair === true,
  };
}

/** The stored form of bracket attributes (plain JSON on the text). */
export function bracketAttrsJson(attrs: BracketAttrs): Record<string, unknown> {
  return {
    id: attrs.id,
    party: attrs.party,
    alternatives: attrs.alternatives.map((a) => ({ text: a.text, party: a.party })),
    ...(attrs.chair && { chair: true }),
  };
}
