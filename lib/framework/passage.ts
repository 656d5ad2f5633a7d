/**
 * Passages of a layer's narrative named by an anchor: two Yjs relative positions (base64 of
 * Y.encodeRelativePosition) as the browser's editor computes them through y-prosemirror. The
 * server reads the text between them itself, so a comment's quote is what the document says,
 * never what a client claims.
 */
import * as Y from 'yjs';
import { getNarrativeFragment } from './doc';
import { marksOf } from './narrative';
import { normaliseRuns, type ProposalMark, type ProposalRun } from './proposal-runs';

/** The longest quote kept for a passage (characters, after whitespace is collapsed). */
export const MAX_QUOTE_LENGTH = 500;

/** Two relative positions, each base64 of Y.encodeRelativePosition. */
export type PassageAnchor = { start: string; end: string };

// Compared by identity only: the type holding the position (a text node, an element, the fragment).
type Point = { type: object; index: number };

/** Collected text stops growing here (whitespace collapses later, so keep some slack). */
const RAW_LIMIT = MAX_QUOTE_LENGTH * 4;

function base64ToBytes(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Where an encoded relative position points now, inside `fragment`; null otherwise. */
function pointIn(doc: Y.Doc, fragment: Y.XmlFragment, encoded: string): Point | null {
  let relative: Y.RelativePosition;
  try {
    relative = Y.decodeRelativePosition(base64ToBytes(encoded));
  } catch {
    return null;
  }
  // A position naming a root type would make Yjs create that root (doc.get): a narrative is
  // never a root, so such an anchor cannot be one of its passages.
  if (relative.tname !== null) return null;
  let absolute: Y.AbsolutePosition | null;
  try {
    absolute = Y.createAbsolutePositionFromRelativePosition(relative, doc);
  } catch {
    // Ids of items this document does not hold.
    return null;
  }
  if (!absolute) return null;
  const { type, index } = absolute;
  const inside = type === fragment || (type._item !== null && Y.isParentOf(fragment, type._item));
  return inside ? { type, index } : null;
}

/** The characters of a text node, an embed counting as one (as Yjs indexes them). */
function textOf(node: Y.XmlText): string {
  // toDelta is typed `any` by Yjs; each op is { insert, attributes? }.
  const delta = node.toDelta() as Array<{ insert?: unknown }>;
  return delta.map((op) => (typeof op.insert === 'string' ? op.insert : ' ')).join('');
}

/** The text between two points in document order, or null when `end` does not follow `start`. */
function textBetween(
  fragment: Y.XmlFragment,
  start: Point,
  end: Point,
): { text: string; cut: boolean } | null {
  // Widened: the closures below move it on, which flow analysis cannot see.
  let state = 'before' as 'before' | 'inside' | 'after';
  let text = '';
  let cut = false;
  const append = (part: string) => {
    if (text.length + part.length > RAW_LIMIT) {
      text += part.slice(0, Math.max(0, RAW_LIMIT - text.length));
      cut = true;
    } else text += part;
  };
  const at = (type: object, index: number) => {
    if (state === 'before' && start.type === type && start.index === index) state = 'inside';
    if (state === 'inside' && end.type === type && end.index === index) state = 'after';
  };
  const walk = (node: Y.XmlFragment | Y.XmlElement) => {
    const children = node.toArray();
    children.forEach((child, i) => {
      at(node, i);
      if (state === 'after') return;
      if (child instanceof Y.XmlText) {
        const chars = textOf(child);
        let from = 0;
        if (state === 'before' && start.type === child) {
          state = 'inside';
          from = start.index;
        }
        if (state !== 'inside') return;
        if (end.type === child && end.index >= from) {
          append(chars.slice(from, end.index));
          state = 'after';
        } else append(chars.slice(from));
      } else if (child instanceof Y.XmlElement) {
        // Blocks and line breaks read as a space between their words, as the editor quotes them.
        if (state === 'inside') append(' ');
        walk(child);
      }
    });
    at(node, children.length);
  };
  walk(fragment);
  return state === 'after' ? { text, cut } : null;
}

/**
 * The text of a layer's narrative between an anchor's positions, whitespace collapsed and at
 * most MAX_QUOTE_LENGTH characters (cut with "…"). Null when the anchor is malformed, points
 * outside this layer's narrative, is reversed, or holds no text (its passage was deleted).
 */
export function passageText(doc: Y.Doc, layerId: string, anchor: PassageAnchor): string | null {
  const fragment = getNarrativeFragment(doc, layerId);
  if (!fragment) return null;
  const start = pointIn(doc, fragment, anchor.start);
  const end = start && pointIn(doc, fragment, anchor.end);
  if (!start || !end) return null;
  const between = textBetween(fragment, start, end);
  if (!between) return null;
  const text = between.text.replace(/\s+/g, ' ').trim();
  if (!text) return null;
  if (!between.cut && text.length <= MAX_QUOTE_LENGTH) return text;
  return `${text.slice(0, MAX_QUOTE_LENGTH - 1).trimEnd()}…`;
}

/**
 * Where an anchor's passage is, when it lies inside one run of text (one paragraph, marks
 * included): the text node and the offsets an amendment replaces. Null when the anchor does
 * not resolve in this layer's narrative, is reversed, or spans several blocks (such a change is
 * applied by hand, never guessed).
 */
export function passageRange(
  doc: Y.Doc,
  layerId: string,
  anchor: PassageAnchor,
): { node: Y.XmlText; from: number; to: number; text: string } | null {
  const fragment = getNarrativeFragment(doc, layerId);
  if (!fragment) return null;
  const start = pointIn(doc, fragment, anchor.start);
  const end = start && pointIn(doc, fragment, anchor.end);
  if (!start || !end || start.type !== end.type || !(start.type instanceof Y.XmlText)) return null;
  if (end.index < start.index) return null;
  const node = start.type;
  return {
    node,
    from: start.index,
    to: end.index,
    text: textOf(node).slice(start.index, end.index),
  };
}

/**
 * A passage's words with their formatting (bold, italic, links), as a proposal to reword it
 * starts from; null when the anchor is not a passage of that layer's text.
 */
export function passageRuns(
  doc: Y.Doc,
  layerId: string,
  anchor: PassageAnchor,
): ProposalRun[] | null {
  const range = passageRange(doc, layerId, anchor);
  if (!range) return null;
  const runs: ProposalRun[] = [];
  let at = 0;
  // toDelta is typed `any` by Yjs; each op is { insert, attributes? }.
  for (const op of range.node.toDelta() as Array<{
    insert?: unknown;
    attributes?: Record<string, unknown>;
  }>) {
    const text = typeof op.insert === 'string' ? op.insert : ' ';
    const start = Math.max(range.from, at);
    const end = Math.min(range.to, at + text.length);
    if (start < end) {
      const marks = marksOf(op.attributes).filter((m): m is ProposalMark => m.type !== 'bracket');
      runs.push({ text: text.slice(start - at, end - at), marks });
    }
    at += text.length;
  }
  return normaliseRuns(runs);
}
