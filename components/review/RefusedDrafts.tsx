'use client';

import { useId, useRef, useState } from 'react';
import {
  describeProposedCommitment,
  type FrameworkView,
  type Party,
  type RefusedDraft,
  type RefusedFieldChange,
} from '@/lib/framework';
import { amendmentSpeakerOf } from '@/lib/write-rules';
import { copyText } from '@/components/copy-text';
import { useEditorContext } from '@/components/editor/EditorContext';
import { useAmendments } from './AmendmentsContext';
import { amendableFields, WordDiff } from './AmendmentsPanel';
import { useReview, type RefusedEdit } from './ReviewContext';
import { choiceOfTarget } from './RowProposalFields';

/**
 * Edits the server refused because their layer was agreed or put under silence meanwhile (an
 * edit made offline, typically), offered back so nothing typed is lost: each change as a drafted
 * amendment to table (a layer under silence: tabling breaks the silence), or as text to copy
 * (an agreed layer takes amendments only once the chair reopens it; an edit across paragraphs).
 */
export function RefusedDrafts({
  view,
  onLayer,
}: {
  view: FrameworkView;
  /** Mounts and expands a layer, so the drafted amendment's passage is there to see. */
  onLayer: (layerId: string) => void;
}) {
  const review = useReview();
  if (review.refusedDrafts.length === 0) return null;
  return (
    <section className="rv-refused-drafts" aria-label="Edits not applied" aria-live="polite">
      {review.refusedDrafts.map((refused) => (
        <RefusedCard key={refused.layerId} refused={refused} view={view} onLayer={onLayer} />
      ))}
    </section>
  );
}

/** Why it was refused, said to someone who typed it before it happened. */
const WHY: Record<string, string> = {
  under_silence:
    'The layer was put under silence before your edit reached the server: it is frozen. Tabling your edit as an amendment breaks the silence.',
  locked:
    'The layer was agreed before your edit reached the server: it is frozen until the chair reopens it. Copy your text to table it then.',
};

function RefusedCard({
  refused,
  view,
  onLayer,
}: {
  refused: RefusedEdit;
  view: FrameworkView;
  onLayer: (layerId: string) => void;
}) {
  const review = useReview();
  const id = useId();
  const { layerId } = refused;
  const title = view.layers.find((l) => l.id === layerId)?.title.trim() || 'a layer';
  const mayTable = refused.code === 'under_silence' && amendmentSpeakerOf(review.actor) !== null;
  return (
    <article className="rv-refused-draft" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Your edit to “{title}” was not applied</h2>
      <p>{WHY[refused.code] ?? refused.message}</p>
      {refused.draft && (
        <TextOffer draft={refused.draft} layerId={layerId} mayTable={mayTable} onLayer={onLayer} />
      )}
      {refused.fields && refused.fields.length > 0 && (
        <FieldOffers
          changes={refused.fields}
          layerId={layerId}
          view={view}
          mayTable={mayTable}
          onLayer={onLayer}
        />
      )}
      <div className="am-actions">
        <button
          type="button"
          className="button button-quiet"
          onClick={() => review.dismissRefusedDraft(layerId)}
        >
          Dismiss
        </button>
      </div>
    </article>
  );
}

/** The narrative edit: its words as a diff, to table or to copy. */
function TextOffer({
  draft,
  layerId,
  mayTable,
  onLayer,
}: {
  draft: RefusedDraft;
  layerId: string;
  mayTable: boolean;
  onLayer: (layerId: string) => void;
}) {
  const review = useReview();
  const amendments = useAmendments();
  const id = useId();
  const copyFrom = useRef<HTMLTextAreaElement>(null);
  const [copied, setCopied] = useState<'yes' | 'manual' | null>(null);
  const passage = draft.kind === 'passage' ? draft : null;
  const typed = passage ? passage.proposed : draft.kind === 'typed' ? draft.text : '';

  const table = () => {
    if (!passage) return;
    onLayer(layerId);
    amendments.proposeWith(
      { layerId, anchor: passage.anchor, quote: passage.quote },
      passage.proposed,
    );
    // The text offer is taken up; field changes of the same edit stay offered.
    review.dropRefusedText(layerId);
  };
  const copy = async () => setCopied((await copyText(typed, copyFrom.current)) ? 'yes' : 'manual');

  return (
    <div className="rv-refused-offer">
      {passage ? (
        <WordDiff from={passage.quote} to={passage.proposed} />
      ) : (
        <p className="hint">It spans more than one paragraph: copy it to keep it.</p>
      )}
      {/* The copy command needs selectable text: for a passage, shown above as a diff. */}
      <label className={passage ? 'visually-hidden' : 'am-label'} htmlFor={`${id}-text`}>
        What you typed
      </label>
      <textarea
        id={`${id}-text`}
        ref={copyFrom}
        readOnly
        rows={passage ? 1 : 4}
        value={typed}
        className={passage ? 'visually-hidden' : undefined}
        tabIndex={passage ? -1 : undefined}
      />
      <div className="am-actions">
        {mayTable && passage && (
          <button type="button" className="button button-primary" onClick={table}>
            Propose as amendment
          </button>
        )}
        <button type="button" className="button" onClick={() => void copy()}>
          Copy text
        </button>
      </div>
      {copied && (
        <p role="status" className="hint">
          {copied === 'yes' ? 'Copied.' : 'Select the text and copy it (Ctrl+C).'}
        </p>
      )}
    </div>
  );
}

/** How a field change reads: "Commitment 2 (Canada, Troops): Quantity: 2500 → 3000". */
function describeChange(
  change: RefusedFieldChange,
  view: FrameworkView,
  layerId: string,
  parties: Party[],
): string {
  const name = (id: string) => parties.find((p) => p.id === id)?.name ?? (id || 'none');
  const { target } = change;
  if (target.kind === 'row' && target.item === 'commitment') {
    return `New commitment: ${describeProposedCommitment(target.row, name)}`;
  }
  if (target.kind === 'row' && target.item === 'trigger') {
    return `New trigger: ${target.row.condition || '(no condition)'} → ${target.row.response || '(no response)'}`;
  }
  const field = amendableFields(view, layerId, parties).find(
    (f) => f.key === choiceOfTarget(target),
  );
  if (target.kind === 'remove' && target.item === 'trigger') {
    const layer = view.layers.find((l) => l.id === layerId);
    const index = layer?.triggers.findIndex((t) => t.id === target.id) ?? -1;
    const row = index >= 0 ? layer!.triggers[index] : undefined;
    return `Remove trigger${row ? ` ${index + 1}: ${row.condition || '(no condition)'} → ${row.response || '(no response)'}` : ''}`;
  }
  if (target.kind === 'remove') {
    const row = view.layers
      .find((l) => l.id === layerId)
      ?.commitments.find((c) => c.id === target.id);
    return `Remove commitment: ${row ? describeProposedCommitment(row, name) : 'a row'}`;
  }
  const party = target.kind === 'field' && (target.field === 'lead' || target.field === 'party');
  const shown = (value: string) => (party ? name(value) : value || '(none)');
  return `${field?.label ?? 'A field'}: ${shown(field?.current ?? '')} → ${shown(change.proposed)}`;
}

/** The fields and rows changed: each one proposed on its own, in the field composer. */
function FieldOffers({
  changes,
  layerId,
  view,
  mayTable,
  onLayer,
}: {
  changes: RefusedFieldChange[];
  layerId: string;
  view: FrameworkView;
  mayTable: boolean;
  onLayer: (layerId: string) => void;
}) {
  const review = useReview();
  const amendments = useAmendments();
  const { parties } = useEditorContext();
  const propose = (change: RefusedFieldChange, index: number) => {
    const choice = choiceOfTarget(change.target);
    if (!choice) return;
    const { target } = change;
    onLayer(layerId);
    amendments.proposeField({
      layerId,
      choice,
      ...(target.kind === 'field' && { value: change.proposed }),
      ...(target.kind === 'row' && target.item === 'commitment' && { row: target.row }),
      ...(target.kind === 'row' && target.item === 'trigger' && { trigger: target.row }),
    });
    review.dropRefusedFieldChange(layerId, index);
  };
  return (
    <ul className="rv-refused-fields" aria-label="Fields you changed">
      {changes.map((change, i) => {
        const what = describeChange(change, view, layerId, parties);
        return (
          <li key={i}>
            <span>{what}</span>
            {mayTable && (
              <button
                type="button"
                className="button"
                aria-label={`Propose as amendment: ${what}`}
                onClick={() => propose(change, i)}
              >
                Propose
              </button>
            )}
          </li>
        );
      })}
    </ul>
  );
}
