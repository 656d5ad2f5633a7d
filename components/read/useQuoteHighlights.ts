'use client';

import { useEffect, type RefObject } from 'react';
import type { ThreadView } from '@/components/review/api';

/** The CSS highlight read.css paints (`::highlight(rd-comment)`). */
const HIGHLIGHT = 'rd-comment';

/** The first range of `text` inside `root`'s text nodes, even across element boundaries. */
function findRange(root: Element, text: string): Range | null {
  const nodes: Text[] = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n as Text);
  const all = nodes.map((n) => n.data).join('');
  const at = all.indexOf(text);
  if (at < 0) return null;
  const range = document.createRange();
  let offset = 0;
  for (const node of nodes) {
    const end = offset + node.data.length;
    if (at >= offset && at < end) range.setStart(node, at - offset);
    if (at + text.length > offset && at + text.length <= end) {
      range.setEnd(node, at + text.length - offset);
      return range;
    }
    offset = end;
  }
  return null;
}

/**
 * Marks the passage each open thread quotes in its layer's text, with the CSS Custom Highlight
 * API (no DOM changes, so React's rendering is left alone). Read mode renders the text from the
 * plain view, so a passage is found by its quote; where the text no longer holds it, nothing is
 * marked and the margin still shows the quote.
 */
export function useQuoteHighlights(
  root: RefObject<HTMLElement | null>,
  threads: ThreadView[],
  version: unknown,
) {
  useEffect(() => {
    const element = root.current;
    if (!element || typeof CSS === 'undefined' || !('highlights' in CSS)) return;
    const ranges: Range[] = [];
    for (const t of threads) {
      if (t.resolved || !t.quote) continue;
      const layer = element.querySelector(
        `[data-read-layer="${CSS.escape(t.layerId)}"] .ro-layer-text`,
      );
      const range = layer && findRange(layer, t.quote);
      if (range) ranges.push(range);
    }
    CSS.highlights.set(HIGHLIGHT, new Highlight(...ranges));
    return () => {
      CSS.highlights.delete(HIGHLIGHT);
    };
  }, [root, threads, version]);
}
