/**
 * What an author typed into a layer the server then refused (agreed, or put under silence while
 * they were offline), made into a draft amendment so nothing they wrote is lost: the sync server
 * captures the narrative's text runs before undoing the edit and compares them after.
 */
import type * as Y from 'yjs';
import { MAX_PROPOSED_TEXT_LENGTH } from '../amendments/wire';
import {
  COMMITMENT_AMENDABLE_FIELDS,
  TRIGGER_AMENDABLE_FIELDS,
  type AmendmentTarget,
} from './amendments';
import { commonEnds } from './common-ends';
import { getNarrativeFragment, readLayerView } from './doc';
import type { Layer } from './types';
import { MAX_QUOTE_LENGTH, type PassageAnchor } from './passage';
import { anchorOfRange, textNodes } from './quote-anchor';

/** The text of each run of a layer's narrative at one moment (opaque to callers). */
export type NarrativeRuns = ReadonlyMap<Y.XmlText, string>;

/**
 * A refused edit as its author is offered it: one passage of one paragraph and its replacement
 * (tabled as it is), or, when the edit spans paragraphs, the paragraphs as they typed them.
 */
export type RefusedDraft =
  | { kind: 'passage'; anchor: PassageAnchor; quote: string; proposed: string }
  | { kind: 'typed'; text: string };

const OBJECT_REPLACEMENT = '\uFFFC';

export function narrativeRuns(doc: Y.Doc, layerId: string): NarrativeRuns {
  const fragment = getNarrativeFragment(doc, layerId);
  return new Map(fragment ? textNodes(fragment, []).map((r) => [r.node, r.text]) : []);
}

/**
 * The draft of what changed from `now` (the layer's text after the undo) to `typed` (the text
 * the author had), or null when the narrative did not change or only lost text.
 */
export function draftOfRefusedEdit(
  doc: Y.Doc,
  layerId: string,
  typed: NarrativeRuns,
): RefusedDraft | null {
  const now = narrativeRuns(doc, layerId);
  const changed: Array<{ node: Y.XmlText; typed: string | null; now: string | null }> = [];
  for (const [node, text] of typed) {
    if (now.get(node) !== text) changed.push({ node, typed: text, now: now.get(node) ?? null });
  }
  for (const [node, text] of now) {
    if (!typed.has(node)) changed.push({ node, typed: null, now: text });
  }
  if (changed.length === 0) return null;
  const only = changed.length === 1 ? changed[0]! : null;
  if (only && only.typed !== null && only.now !== null) {
    const passage = changedPassage(only.now, only.typed);
    if (passage) {
      return {
        kind: 'passage',
        anchor: anchorOfRange(only.node, passage.start, passage.end),
        quote: only.now.slice(passage.start, passage.end),
        proposed: passage.proposed,
      };
    }
  }
  const text = changed
    .flatMap((c) => (c.typed === null ? [] : [c.typed.replaceAll(OBJECT_REPLACEMENT, '')]))
    .filter((t) => t.trim() !== '')
    .join('\n\n')
    .slice(0, MAX_PROPOSED_TEXT_LENGTH);
  return text ? { kind: 'typed', text } : null;
}

/** A character of a word: where a passage's edges may not cut. */
const isWord = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}'’-]/u.test(c);

/**
 * The smallest run of whole words of `now` whose replacement gives `typed`: their common start
 * and end are kept, and the difference widened to word edges so the amendment reads as words
 * ("72 hours" for "7 days", not "2 hour" for " day"). Null when there is no passage to name
 * (an empty paragraph, an embed inside, or beyond the bounds of a quote or a proposal).
 */
export function changedPassage(
  now: string,
  typed: string,
): { start: number; end: number; proposed: string } | null {
  const { start: prefix, end: suffix } = commonEnds(now, typed);
  let start = prefix;
  let endNow = now.length - suffix;
  let endTyped = typed.length - suffix;
  // An edge inside a word (on either side of the change) moves out to the word's edge.
  if (isWord(now[start - 1]) && (isWord(now[start]) || isWord(typed[start]))) {
    while (start > 0 && isWord(now[start - 1])) start--;
  }
  if (isWord(now[endNow]) && (isWord(now[endNow - 1]) || isWord(typed[endTyped - 1]))) {
    while (endNow < now.length && isWord(now[endNow])) {
      endNow++;
      endTyped++;
    }
  }
  // Pure insertion between words: take the word before it too, so the passage names something.
  if (start === endNow) {
    while (start > 0 && !isWord(now[start - 1])) start--;
    while (start > 0 && isWord(now[start - 1])) start--;
  }
  const quote = now.slice(start, endNow);
  const proposed = typed.slice(start, endTyped);
  if (quote.trim() === '' || quote.includes(OBJECT_REPLACEMENT)) return null;
  if (quote.length > MAX_QUOTE_LENGTH || proposed.length > MAX_PROPOSED_TEXT_LENGTH) return null;
  return { start, end: endNow, proposed: proposed.replaceAll(OBJECT_REPLACEMENT, '') };
}

/** A refused change to one of a layer's fields or rows, as an amendment would propose it. */
export type RefusedFieldChange = { target: AmendmentTarget; proposed: string };

/** At most this many field changes are offered back from one refused edit. */
const MAX_FIELD_CHANGES = 50;

/** A layer's fields and rows at one moment (before the undo: as the author had them). */
export function layerFields(doc: Y.Doc, layerId: string): Layer | null {
  return readLayerView(doc, layerId);
}

const asText = (value: string | number | null) => (value === null ? '' : String(value));

/**
 * What the author changed in a layer's fields and rows, from `now` (after the undo) to `typed`:
 * each changed field a field amendment, each added commitment or trigger a new row, each
 * commitment or trigger removed a removal. What no amendment can propose (a commitment's type, a
 * trigger's responsible parties) is left out.
 */
export function fieldChangesOf(typed: Layer | null, now: Layer | null): RefusedFieldChange[] {
  if (!typed || !now) return [];
  const out: RefusedFieldChange[] = [];
  if ((typed.lead ?? '') !== (now.lead ?? '')) {
    out.push({
      target: { kind: 'field', item: 'layer', field: 'lead' },
      proposed: typed.lead ?? '',
    });
  }
  const commitmentsNow = new Map(now.commitments.map((c) => [c.id, c]));
  for (const row of typed.commitments) {
    const was = commitmentsNow.get(row.id);
    if (!was) {
      const { type, party, quantity, unit, conditions, period } = row;
      out.push({
        target: {
          kind: 'row',
          item: 'commitment',
          row: { type, party, quantity, unit, conditions, period },
        },
        proposed: '',
      });
      continue;
    }
    for (const field of COMMITMENT_AMENDABLE_FIELDS) {
      if (asText(row[field]) === asText(was[field])) continue;
      out.push({
        target: { kind: 'field', item: 'commitment', id: row.id, field },
        proposed: asText(row[field]),
      });
    }
  }
  const kept = new Set(typed.commitments.map((c) => c.id));
  for (const row of now.commitments) {
    if (!kept.has(row.id)) {
      out.push({ target: { kind: 'remove', item: 'commitment', id: row.id }, proposed: '' });
    }
  }
  const triggersNow = new Map(now.triggers.map((t) => [t.id, t]));
  for (const row of typed.triggers) {
    const was = triggersNow.get(row.id);
    if (!was) {
      const { condition, response, deadlineHours } = row;
      out.push({
        target: { kind: 'row', item: 'trigger', row: { condition, response, deadlineHours } },
        proposed: '',
      });
      continue;
    }
    for (const field of TRIGGER_AMENDABLE_FIELDS) {
      if (asText(row[field]) === asText(was[field])) continue;
      out.push({
        target: { kind: 'field', item: 'trigger', id: row.id, field },
        proposed: asText(row[field]),
      });
    }
  }
  const triggersKept = new Set(typed.triggers.map((t) => t.id));
  for (const row of now.triggers) {
    if (!triggersKept.has(row.id)) {
      out.push({ target: { kind: 'remove', item: 'trigger', id: row.id }, proposed: '' });
    }
  }
  return out.slice(0, MAX_FIELD_CHANGES);
}
