'use client';

import { useEffect, type RefObject } from 'react';
import type { ThreadView } from '@/components/review/api';
import { nthRange } from './text-range';

/** The CSS highlight read.css paints (`::highlight(rd-comment)`). */
const HIGHLIGHT = 'rd-comment';

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
      const range = layer && nthRange(layer, t.quote, 0);
      if (range) ranges.push(range);
    }
    CSS.highlights.set(HIGHLIGHT, new Highlight(...ranges));
    return () => {
      CSS.highlights.delete(HIGHLIGHT);
    };
  }, [root, threads, version]);
}
