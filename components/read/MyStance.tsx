'use client';

import { useId, useState } from 'react';
import { partyName } from '@/components/editor/fields';
import { useEditorContext } from '@/components/editor/EditorContext';
import { useReview } from '@/components/review/ReviewContext';
import { useReviewAction } from '@/components/review/useReviewAction';
import {
  STANCE_LABELS,
  STANCES,
  frozenBecause,
  gateOf,
  type Layer,
  type Stance,
} from '@/lib/framework';
import { MAX_REVIEW_REASON_LENGTH } from '@/lib/review/wire';
import { actsFor } from '@/lib/write-rules';

/**
 * In read mode, my delegation states its own position on a layer (through the server, which
 * checks the same rule). Nothing for readers who speak for no delegation or while the text is
 * frozen; the chair enters stances for others in the editor.
 */
export function MyStance({ layer }: { layer: Layer }) {
  const review = useReview();
  const { parties } = useEditorContext();
  const party = review.actor.delegation;
  const mine =
    party !== null &&
    parties.some((p) => p.id === party) &&
    actsFor(review.actor, party, { chair: false }) === 'member' &&
    !frozenBecause(gateOf(layer.status, layer.statusDetail));
  if (!mine || party === null) return null;
  const position = layer.positions[party];
  return (
    <StanceForm
      // A new statement (by anyone of my delegation) resets the form to it.
      key={position?.statedBy?.at ?? ''}
      layerId={layer.id}
      party={party}
      name={partyName(parties, party)}
      stance={position?.stance ?? ''}
      note={position?.note ?? ''}
    />
  );
}

function StanceForm(props: {
  layerId: string;
  party: string;
  name: string;
  stance: Stance | '';
  note: string;
}) {
  const id = useId();
  const [stance, setStance] = useState<Stance | ''>(props.stance);
  const [note, setNote] = useState(props.note);
  const { post, busy, error } = useReviewAction();
  const changed = stance !== props.stance || note !== props.note;
  return (
    <form
      className="rd-stance-form"
      aria-label={`Position of ${props.name}`}
      onSubmit={(e) => {
        e.preventDefault();
        void post({
          action: 'position',
          layerId: props.layerId,
          party: props.party,
          stance: stance || null,
          note,
        });
      }}
    >
      <label htmlFor={`${id}-stance`}>Stance of {props.name}</label>
      <select
        id={`${id}-stance`}
        value={stance}
        onChange={(e) => setStance(e.target.value as Stance | '')}
      >
        <option value="">Not stated</option>
        {STANCES.map((s) => (
          <option key={s} value={s}>
            {STANCE_LABELS[s]}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-note`}>Note on the position of {props.name}</label>
      <input
        id={`${id}-note`}
        value={note}
        maxLength={MAX_REVIEW_REASON_LENGTH}
        onChange={(e) => setNote(e.target.value)}
      />
      <button type="submit" className="button" disabled={!changed || busy}>
        State position of {props.name}
      </button>
      {error && (
        <p className="rv-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
