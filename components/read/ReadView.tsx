'use client';

import { useEffect, useMemo, useRef, useState } from 'react';
import type { ThreadView } from '@/components/review/api';
import { LayerReviewBar } from '@/components/review/LayerReviewBar';
import { useOptionalReview } from '@/components/review/ReviewContext';
import { DocumentHeading, ReadOnlyFramework } from '@/components/versions/ReadOnlyFramework';
import { buildExportModel } from '@/lib/export/model';
import { anchorOfQuote, type FrameworkView } from '@/lib/framework';
import { useEditorContext } from '@/components/editor/EditorContext';
import { amendmentSpeakerOf } from '@/lib/write-rules';
import { useMarkedAmendments } from '@/components/review/AmendmentsContext';
import { MarginThreads } from './MarginThreads';
import { ReadAmendmentMarkers } from './ReadAmendmentMarkers';
import { ReadRowMarks } from './ReadRowMarkers';
import { ProposedRows } from '@/components/review/RowMarkers';
import { MyStance } from './MyStance';
import { useQuoteHighlights } from './useQuoteHighlights';

/** Longest quote a comment keeps (the comments service allows 500). */
const MAX_QUOTE = 500;

const NO_THREADS: ThreadView[] = [];

/** A passage picked in the text; `occurrence` counts earlier appearances of it in the narrative
 * (null when it is not in the narrative, e.g. in a table). */
type Picked = {
  layerId: string;
  quote: string;
  occurrence: number | null;
  top: number;
  left: number;
};

/** How often `quote` appears in `text` (overlapping, as anchorOfQuote counts). */
function occurrences(text: string, quote: string): number {
  let n = 0;
  for (let at = text.indexOf(quote); at !== -1; at = text.indexOf(quote, at + 1)) n++;
  return n;
}

/** The passage selected inside one layer of the document, with where to offer "Comment". */
function pickedIn(root: HTMLElement): Picked | null {
  const selection = window.getSelection();
  if (!selection || selection.isCollapsed || selection.rangeCount === 0) return null;
  const range = selection.getRangeAt(0);
  const section = (node: Node) =>
    (node instanceof Element ? node : node.parentElement)?.closest<HTMLElement>(
      '[data-read-layer]',
    );
  const start = section(range.startContainer);
  if (!start || start !== section(range.endContainer) || !root.contains(start)) return null;
  const quote = selection.toString().trim().slice(0, MAX_QUOTE);
  if (!quote) return null;
  const narrative = (
    range.startContainer instanceof Element
      ? range.startContainer
      : range.startContainer.parentElement
  )?.closest('.ro-narrative');
  let occurrence: number | null = null;
  if (narrative) {
    const before = document.createRange();
    before.setStart(narrative, 0);
    before.setEnd(range.startContainer, range.startOffset);
    occurrence = occurrences(before.toString(), quote);
  }
  const box = range.getBoundingClientRect();
  const origin = root.getBoundingClientRect();
  return {
    layerId: start.dataset.readLayer ?? '',
    quote,
    occurrence,
    top: box.bottom - origin.top + 4,
    left: Math.max(0, box.left - origin.left),
  };
}

/**
 * Read mode: the live framework laid out as its exported draft reads (the same model and
 * renderer as a version's page), with each layer's review bar, my delegation's stance, and the
 * comment threads in the margin.
 */
export function ReadView({ view }: { view: FrameworkView }) {
  const review = useOptionalReview();
  const { doc } = useEditorContext();
  const root = useRef<HTMLElement>(null);
  const [picked, setPicked] = useState<Picked | null>(null);
  // Anchored like the editor's comments when the passage is in the narrative; a passage
  // elsewhere (a table, a list) is quoted on its layer without an anchor.
  const anchorOf = (p: Picked) =>
    p.occurrence === null ? null : anchorOfQuote(doc, p.layerId, p.quote, p.occurrence);
  const model = useMemo(
    () =>
      buildExportModel(view, {
        agreedOnly: false,
        versionName: null,
        date: new Date(),
        comments: null,
      }),
    [view],
  );
  const layers = useMemo(() => new Map(view.layers.map((l) => [l.id, l])), [view]);

  useQuoteHighlights(root, review?.threads ?? NO_THREADS, model);
  const marked = useMarkedAmendments(undefined, true);

  const canComment = review?.canComment === true;
  useEffect(() => {
    if (!canComment) return;
    const onChange = () => setPicked(root.current ? pickedIn(root.current) : null);
    document.addEventListener('selectionchange', onChange);
    return () => document.removeEventListener('selectionchange', onChange);
  }, [canComment]);

  return (
    <article ref={root} className="rd-document" aria-label="Read mode">
      <DocumentHeading model={model} versionLabel="Current text, live" />
      <ReadOnlyFramework
        model={model}
        layerIds
        slots={
          review
            ? {
                afterMeta: (l) => {
                  const layer = layers.get(l.id);
                  if (!layer) return null;
                  const threads = review.threads.filter(
                    (t) => t.layerId === l.id && !t.resolved,
                  ).length;
                  return (
                    <div className="rd-review">
                      <LayerReviewBar
                        layer={layer}
                        name={`Layer ${l.number}: ${l.title}`}
                        openBrackets={l.openBrackets}
                        threadCount={threads}
                      />
                      <MyStance layer={layer} />
                    </div>
                  );
                },
                margin: (l) => (
                  <MarginThreads layerId={l.id} title={`Layer ${l.number}: ${l.title}`} />
                ),
                rowEnd: (l, item, index) => {
                  const layer = layers.get(l.id);
                  return layer ? <ReadRowMarks layer={layer} item={item} index={index} /> : null;
                },
                listEnd: (l, item) => <ProposedRows layerId={l.id} item={item} />,
              }
            : undefined
        }
      />
      {review && <ReadAmendmentMarkers root={root} amendments={marked} version={model} />}
      {picked && review && (
        <div className="rd-select-actions" style={{ top: picked.top, left: picked.left }}>
          <button
            type="button"
            className="button button-primary"
            // Keeps the selection while the button is pressed.
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => {
              review.startThread({
                layerId: picked.layerId,
                anchor: anchorOf(picked),
                quote: picked.quote,
              });
              setPicked(null);
            }}
          >
            Comment
          </button>
          {amendmentSpeakerOf(review.actor) && (
            <button
              type="button"
              className="button"
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => {
                // The commenters' way to table one: an amendment to the passage they selected.
                review.propose({
                  layerId: picked.layerId,
                  anchor: anchorOf(picked),
                  quote: picked.quote,
                });
                setPicked(null);
              }}
            >
              Propose amendment
            </button>
          )}
        </div>
      )}
    </article>
  );
}
