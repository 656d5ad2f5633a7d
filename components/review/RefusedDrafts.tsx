'use client';

import { useId, useRef, useState } from 'react';
import { amendmentSpeakerOf } from '@/lib/write-rules';
import { copyText } from '@/components/copy-text';
import { useAmendments } from './AmendmentsContext';
import { WordDiff } from './AmendmentsPanel';
import { useReview, type RefusedEdit } from './ReviewContext';

/**
 * Edits the server refused because their layer was agreed or put under silence meanwhile (an
 * edit made offline, typically), offered back so nothing typed is lost: as a drafted amendment
 * to table (a layer under silence: tabling breaks the silence), or as the text to copy (an agreed
 * layer takes amendments only once the chair reopens it; an edit across paragraphs).
 */
export function RefusedDrafts({
  layerTitle,
  onLayer,
}: {
  layerTitle: (layerId: string) => string;
  /** Mounts and expands a layer, so the drafted amendment's passage is there to see. */
  onLayer: (layerId: string) => void;
}) {
  const review = useReview();
  if (review.refusedDrafts.length === 0) return null;
  return (
    <section className="rv-refused-drafts" aria-label="Edits not applied" aria-live="polite">
      {review.refusedDrafts.map((refused) => (
        <RefusedDraft
          key={refused.layerId}
          refused={refused}
          title={layerTitle(refused.layerId)}
          onLayer={onLayer}
        />
      ))}
    </section>
  );
}

/** Why it was refused, said to someone who typed it before it happened. */
const WHY: Record<string, string> = {
  under_silence:
    'The layer was put under silence before your edit reached the server: its text is frozen. Tabling your edit as an amendment breaks the silence.',
  locked:
    'The layer was agreed before your edit reached the server: its text is frozen until the chair reopens it. Copy your text to table it then.',
};

function RefusedDraft({
  refused,
  title,
  onLayer,
}: {
  refused: RefusedEdit;
  title: string;
  onLayer: (layerId: string) => void;
}) {
  const review = useReview();
  const amendments = useAmendments();
  const id = useId();
  const copyFrom = useRef<HTMLTextAreaElement>(null);
  const [copied, setCopied] = useState<'yes' | 'manual' | null>(null);
  const { draft, layerId } = refused;
  const mayTable =
    draft.kind === 'passage' &&
    refused.code === 'under_silence' &&
    amendmentSpeakerOf(review.actor) !== null;
  const typed = draft.kind === 'passage' ? draft.proposed : draft.text;

  const table = () => {
    if (draft.kind !== 'passage') return;
    onLayer(layerId);
    amendments.proposeWith({ layerId, anchor: draft.anchor, quote: draft.quote }, draft.proposed);
    review.dismissRefusedDraft(layerId);
  };
  const copy = async () => setCopied((await copyText(typed, copyFrom.current)) ? 'yes' : 'manual');

  return (
    <article className="rv-refused-draft" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Your edit to “{title}” was not applied</h2>
      <p>{WHY[refused.code] ?? refused.message}</p>
      {draft.kind === 'passage' ? (
        <WordDiff from={draft.quote} to={draft.proposed} />
      ) : (
        <p className="hint">It spans more than one paragraph: copy it to keep it.</p>
      )}
      {/* The copy command needs selectable text: for a passage, shown above as a diff. */}
      <label
        className={draft.kind === 'passage' ? 'visually-hidden' : 'am-label'}
        htmlFor={`${id}-text`}
      >
        What you typed
      </label>
      <textarea
        id={`${id}-text`}
        ref={copyFrom}
        readOnly
        rows={draft.kind === 'passage' ? 1 : 4}
        value={typed}
        className={draft.kind === 'passage' ? 'visually-hidden' : undefined}
        tabIndex={draft.kind === 'passage' ? -1 : undefined}
      />
      <div className="am-actions">
        {mayTable && (
          <button type="button" className="button button-primary" onClick={table}>
            Propose as amendment
          </button>
        )}
        <button type="button" className="button" onClick={() => void copy()}>
          Copy text
        </button>
        <button
          type="button"
          className="button button-quiet"
          onClick={() => review.dismissRefusedDraft(layerId)}
        >
          Dismiss
        </button>
      </div>
      {copied && (
        <p role="status" className="hint">
          {copied === 'yes' ? 'Copied.' : 'Select the text and copy it (Ctrl+C).'}
        </p>
      )}
    </article>
  );
}
