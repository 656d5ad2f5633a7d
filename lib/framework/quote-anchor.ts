/**
 * Anchors for a passage picked by its text rather than in the narrative's editor (read mode
 * renders the plain view, so it has no ProseMirror positions): Yjs relative positions inside a
 * Y.XmlText, the kind the editor makes, so the editor highlights such a thread and follows edits
 * around it like any other. The start sticks to the passage's first character and the end to
 * its last, so text typed at either edge stays outside the passage.
 */
import * as Y from 'yjs';
import { passageRange, type PassageAnchor } from './passage';
import { getNarrativeFragment } from './doc';

/** The narrative's text nodes in document order, each with its characters (embeds as one). */
export function textNodes(
  el: Y.XmlFragment | Y.XmlElement,
  out: Array<{ node: Y.XmlText; text: string }>,
) {
  for (const child of el.toArray()) {
    if (child instanceof Y.XmlText) {
      // toDelta is typed `any` by Yjs; each op is { insert } with a string or an embed.
      const delta = child.toDelta() as Array<{ insert?: unknown }>;
      const text = delta
        .map((op) => (typeof op.insert === 'string' ? op.insert : '\uFFFC'))
        .join('');
      out.push({ node: child, text });
    } else if (child instanceof Y.XmlElement) {
      textNodes(child, out);
    }
  }
  return out;
}

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

/** Anchors around characters [start, end) of one text run, sticking to the passage's own edges. */
export function anchorOfRange(node: Y.XmlText, start: number, end: number): PassageAnchor {
  return {
    start: toBase64(
      Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(node, start, 0)),
    ),
    end: toBase64(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(node, end, -1))),
  };
}

/**
 * Relative positions (base64, as the comments service stores them) around the `occurrence`-th
 * (0-based) appearance of `quote` in one text run of a layer's narrative, or null when it is not
 * there (e.g. a passage across paragraphs, or one including text read mode adds around brackets).
 */
export function anchorOfQuote(
  doc: Y.Doc,
  layerId: string,
  quote: string,
  occurrence = 0,
): PassageAnchor | null {
  const fragment = getNarrativeFragment(doc, layerId);
  if (!fragment || quote === '') return null;
  let seen = 0;
  for (const { node, text } of textNodes(fragment, [])) {
    for (let at = text.indexOf(quote); at !== -1; at = text.indexOf(quote, at + 1)) {
      if (seen++ < occurrence) continue;
      return anchorOfRange(node, at, at + quote.length);
    }
  }
  return null;
}

/**
 * The inverse of anchorOfQuote, for read mode's markers: the text an anchor's passage holds
 * (within one run of text) and how many times that text appears before it in the narrative,
 * counted as anchorOfQuote counts. Null when the anchor does not resolve to one run.
 */
export function quoteOfAnchor(
  doc: Y.Doc,
  layerId: string,
  anchor: PassageAnchor,
): { quote: string; occurrence: number } | null {
  const range = passageRange(doc, layerId, anchor);
  const fragment = getNarrativeFragment(doc, layerId);
  if (!range || !fragment || range.text === '') return null;
  let occurrence = 0;
  for (const { node, text } of textNodes(fragment, [])) {
    for (let at = text.indexOf(range.text); at !== -1; at = text.indexOf(range.text, at + 1)) {
      if (node === range.node && at === range.from) return { quote: range.text, occurrence };
      occurrence++;
    }
  }
  return null;
}
