/**
 * The bracket rule on the live document: a delegation enters brackets for itself. A writer who is
 * not the chair may open a bracket only as its own delegation, with alternatives of its own, and
 * may add its own alternatives to another delegation's bracket, never change whose it is or
 * what others proposed; the chair (owners) may enter one on a delegation's behalf, marked as the
 * chair's. Read from the transaction's own new structs (and those it deleted, whose content is
 * still there until the transaction is cleaned up), never from what the client says it is.
 */
import * as Y from 'yjs';
import { BRACKET_MARK, bracketAttrsOf, type BracketAttrs } from './bracket-attrs';
import { layerOfType } from './review';

const isBracketKey = (key: string) => key === BRACKET_MARK || key.startsWith(`${BRACKET_MARK}--`);

/** Who writes: the party they speak for ('' for none) and whether they act as the chair. */
export type BracketWriter = { party: string; chair: boolean };

export type BracketRefusal = { layerId: string; message: string };

type Written = { layerId: string; attrs: BracketAttrs };

/** The bracket value of a content format struct, with its layer; null for anything else. */
function bracketFormatOf(doc: Y.Doc, struct: Y.Item | Y.GC): Written | null {
  if (!(struct instanceof Y.Item) || !(struct.content instanceof Y.ContentFormat)) return null;
  if (!isBracketKey(struct.content.key)) return null;
  const attrs = bracketAttrsOf(struct.content.value);
  const parent = struct.parent;
  const layerId = parent instanceof Y.AbstractType ? layerOfType(doc, parent) : null;
  return attrs && layerId ? { layerId, attrs } : null;
}

const sameAlternative = (a: { text: string; party: string }, b: { text: string; party: string }) =>
  a.text === b.text && a.party === b.party;

const sameAttrs = (a: BracketAttrs, b: BracketAttrs) =>
  a.id === b.id &&
  a.party === b.party &&
  a.chair === b.chair &&
  a.alternatives.length === b.alternatives.length &&
  a.alternatives.every((alt, i) => sameAlternative(alt, b.alternatives[i]!));

/** What is wrong with `written` by `writer`, given the bracket as it was (`before`), or null. */
function problemOf(
  written: BracketAttrs,
  before: BracketAttrs | undefined,
  writer: BracketWriter,
): string | null {
  if (!before) {
    if (written.chair) return 'Only the chair enters a bracket on a delegation’s behalf.';
    if (written.party !== writer.party) return 'You open brackets for your own delegation only.';
    if (written.alternatives.some((a) => a.party !== writer.party)) {
      return 'You propose alternatives for your own delegation only.';
    }
    return null;
  }
  if (written.party !== before.party || written.chair !== before.chair) {
    return 'A bracket stays the delegation’s that opened it.';
  }
  const kept = before.alternatives.every((a) =>
    written.alternatives.some((w) => sameAlternative(a, w)),
  );
  if (!kept) return 'Only the chair removes another delegation’s alternative.';
  const added = written.alternatives.filter(
    (w) => !before.alternatives.some((a) => sameAlternative(a, w)),
  );
  if (added.some((a) => a.party !== writer.party)) {
    return 'You propose alternatives for your own delegation only.';
  }
  return null;
}

/**
 * The layers where `transaction` (still open) wrote a bracket `writer` may not write, with why.
 * Cheap when no bracket was written: only the transaction's new structs are read.
 */
export function bracketRefusals(
  doc: Y.Doc,
  transaction: Y.Transaction,
  writer: BracketWriter,
): BracketRefusal[] {
  if (writer.chair) return [];
  const isNew = (s: Y.Item | Y.GC) => s.id.clock >= (transaction.beforeState.get(s.id.client) ?? 0);
  const written: Written[] = [];
  for (const [client, structs] of doc.store.clients) {
    const before = transaction.beforeState.get(client) ?? 0;
    // Structs are in clock order: the transaction's own are at the end.
    for (
      let i = structs.length - 1;
      i >= 0 && structs[i]!.id.clock + structs[i]!.length > before;
      i--
    ) {
      const struct = structs[i]!;
      const found =
        struct instanceof Y.Item && !struct.deleted ? bracketFormatOf(doc, struct) : null;
      if (found) written.push(found);
    }
  }
  if (written.length === 0) return [];
  // What the brackets were before: the formats still standing from before, and those this
  // transaction replaced (deleted, their content not yet cleaned up).
  const before: Written[] = [];
  for (const [, structs] of doc.store.clients) {
    for (const struct of structs) {
      if (isNew(struct) || (struct instanceof Y.Item && struct.deleted)) continue;
      const found = bracketFormatOf(doc, struct);
      if (found) before.push(found);
    }
  }
  Y.iterateDeletedStructs(transaction, transaction.deleteSet, (struct) => {
    const found = isNew(struct) ? null : bracketFormatOf(doc, struct);
    if (found) before.push(found);
  });
  const refusals = new Map<string, string>();
  for (const { layerId, attrs } of written) {
    if (refusals.has(layerId)) continue;
    const known = before
      .filter((b) => b.layerId === layerId && b.attrs.id === attrs.id)
      .map((b) => b.attrs);
    // A copy of a value already there (typing inside a bracket writes its value again).
    if (known.some((b) => sameAttrs(b, attrs))) continue;
    const problem = problemOf(attrs, known[0], writer);
    if (problem) refusals.set(layerId, problem);
  }
  return [...refusals].map(([layerId, message]) => ({ layerId, message }));
}
