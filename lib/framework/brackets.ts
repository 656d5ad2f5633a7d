/**
 * Resolving a bracket in a layer's narrative: the chosen wording (an alternative, or the
 * bracketed text itself) replaces the bracketed run, keeping the run's other marks. Run by the
 * server, so who resolved which bracket, and how, is a review event and not a guess.
 */
import * as Y from 'yjs';
import { BRACKET_MARK, bracketAttrsOf } from './bracket-attrs';
import { findLayer } from './doc';
import { readBrackets, type Bracket } from './review';
import { readFragment } from './schema';

/** One piece of a bracket: where it sits in a text node, and that node's other attributes. */
type Run = { text: Y.XmlText; offset: number; length: number; keep: Record<string, unknown> };

function runsOf(node: Y.XmlFragment | Y.XmlElement, bracketId: string, out: Run[]) {
  for (const child of node.toArray()) {
    if (child instanceof Y.XmlElement) {
      runsOf(child, bracketId, out);
      continue;
    }
    if (!(child instanceof Y.XmlText)) continue;
    let offset = 0;
    // toDelta is typed `any` by Yjs; each op is { insert, attributes? }.
    const delta = child.toDelta() as Array<{
      insert?: unknown;
      attributes?: Record<string, unknown>;
    }>;
    for (const op of delta) {
      const length = typeof op.insert === 'string' ? op.insert.length : 1;
      const attributes = op.attributes ?? {};
      const key = Object.keys(attributes).find(
        (k) => k === BRACKET_MARK || k.startsWith(`${BRACKET_MARK}--`),
      );
      if (key && bracketAttrsOf(attributes[key])?.id === bracketId) {
        const { [key]: _bracket, ...keep } = attributes;
        out.push({ text: child, offset, length, keep });
      }
      offset += length;
    }
  }
}

/** The choice of a resolution: keep the bracketed text, or take alternative `index`. */
export type BracketChoice = { keep: true } | { alternative: number };

/**
 * Replaces bracket `bracketId` of a layer's narrative by the chosen wording, in one transaction.
 * Returns the bracket as it was and the wording chosen, or null when there is no such bracket
 * or alternative.
 */
export function resolveBracket(
  doc: Y.Doc,
  layerId: string,
  bracketId: string,
  choice: BracketChoice,
  origin?: unknown,
): { bracket: Bracket; chosen: string } | null {
  const layer = findLayer(doc, layerId);
  const fragment = layer ? readFragment(layer, 'narrative') : undefined;
  if (!fragment || bracketId === '') return null;
  const bracket = readBrackets(fragment).find((b) => b.id === bracketId);
  if (!bracket) return null;
  const chosen =
    'keep' in choice ? bracket.text : (bracket.alternatives[choice.alternative]?.text ?? null);
  if (chosen === null) return null;
  const runs: Run[] = [];
  runsOf(fragment, bracketId, runs);
  doc.transact(() => {
    // Back to front, so earlier offsets stay true; the wording goes where the bracket began.
    for (let i = runs.length - 1; i >= 0; i--) {
      const run = runs[i]!;
      run.text.delete(run.offset, run.length);
      if (i === 0 && chosen !== '') run.text.insert(run.offset, chosen, run.keep);
    }
  }, origin);
  return { bracket, chosen };
}
