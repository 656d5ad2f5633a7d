'use client';

import { useLayoutEffect, useState, type RefObject } from 'react';
import type * as Y from 'yjs';
import { useOptionalAmendments } from '@/components/review/AmendmentsContext';
import { useEditorContext } from '@/components/editor/EditorContext';
import { DELEGATION_SLOTS, delegationColour, delegationSlot } from '@/lib/amendments/colours';
import { amendmentTitle, type AmendmentListItem } from '@/lib/amendments/wire';
import { quoteOfAnchor } from '@/lib/framework';
import { nthRange } from './text-range';

/**
 * The CSS highlights review.css paints, one per delegation colour (`::highlight(rd-amendment-0)`
 * …, `rd-amendment-chair`): a highlight has one style, so each colour is its own.
 */
const HIGHLIGHTS = [
  ...Array.from({ length: DELEGATION_SLOTS }, (_, i) => `rd-amendment-${i}`),
  'rd-amendment-chair',
];
const highlightOf = (slot: number) => (slot < 0 ? 'rd-amendment-chair' : `rd-amendment-${slot}`);

type Placed = {
  id: string;
  number: number;
  title: string;
  colour: string;
  top: number;
  left: number;
};

/** Where each amendment's passage is in the rendered text, resolved from its anchor. */
function rangesOf(root: HTMLElement, doc: Y.Doc, amendments: AmendmentListItem[]) {
  const out: Array<{ amendment: AmendmentListItem; range: Range }> = [];
  for (const a of amendments) {
    if (a.target.kind !== 'passage') continue;
    // The document says where the passage is now; the rendered text is found by it.
    const found = quoteOfAnchor(doc, a.layerId, a.target.anchor);
    const narrative = root.querySelector(
      `[data-read-layer="${CSS.escape(a.layerId)}"] .ro-narrative`,
    );
    const range = found && narrative && nthRange(narrative, found.quote, found.occurrence);
    if (range) out.push({ amendment: a, range });
  }
  return out;
}

/**
 * Read mode's markers of tabled amendments: each passage highlighted (the CSS Custom Highlight
 * API, so React's rendering of the text is left alone) and a numbered button beside it that
 * opens the amendment in the panel. The buttons follow the text in reading order for Tab.
 */
export function ReadAmendmentMarkers({
  root,
  amendments,
  version,
}: {
  root: RefObject<HTMLElement | null>;
  amendments: AmendmentListItem[];
  version: unknown;
}) {
  const { doc, parties } = useEditorContext();
  const context = useOptionalAmendments();
  const [placed, setPlaced] = useState<Placed[]>([]);

  useLayoutEffect(() => {
    const element = root.current;
    if (!element) return;
    const ids = parties.map((p) => p.id);
    const place = () => {
      const origin = element.getBoundingClientRect();
      const found = rangesOf(element, doc, amendments);
      if (typeof CSS !== 'undefined' && 'highlights' in CSS) {
        for (const name of HIGHLIGHTS) {
          const ranges = found
            .filter((f) => highlightOf(delegationSlot(ids, f.amendment.party)) === name)
            .map((f) => f.range);
          CSS.highlights.set(name, new Highlight(...ranges));
        }
      }
      setPlaced(
        found.map(({ amendment: a, range }) => {
          const rects = range.getClientRects();
          const last = rects[rects.length - 1] ?? range.getBoundingClientRect();
          return {
            id: a.id,
            number: a.number,
            title: amendmentTitle(a),
            colour: delegationColour(ids, a.party),
            // Raised like a footnote mark, so it does not cover the next word.
            top: last.top - origin.top - 12,
            left: last.right - origin.left - 2,
          };
        }),
      );
    };
    place();
    const observer = new ResizeObserver(place);
    observer.observe(element);
    return () => {
      observer.disconnect();
      if (typeof CSS !== 'undefined' && 'highlights' in CSS) {
        for (const name of HIGHLIGHTS) CSS.highlights.delete(name);
      }
    };
  }, [root, doc, parties, amendments, version]);

  if (placed.length === 0) return null;
  return (
    <div className="rd-amend-markers">
      {placed.map((m) => (
        <button
          key={m.id}
          type="button"
          className={`ed-amend-marker${context?.focused === m.id ? ' ed-amend-marker-focused' : ''}`}
          style={{ top: m.top, left: m.left, ['--am-colour' as string]: m.colour }}
          aria-label={`${m.title}: open in the amendments panel`}
          title={m.title}
          onClick={() => context?.open(m.id)}
        >
          {m.number}
        </button>
      ))}
    </div>
  );
}
