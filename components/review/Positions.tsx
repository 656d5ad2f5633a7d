'use client';

import { useId, useState } from 'react';
import { partyName } from '@/components/editor/fields';
import { useEditorContext } from '@/components/editor/EditorContext';
import {
  STANCE_LABELS,
  STANCES,
  fieldPath,
  frozenBecause,
  gateOf,
  type DelegationAct,
  type Layer,
  type Party,
  type Position,
  type Stance,
} from '@/lib/framework';
import { MAX_REVIEW_REASON_LENGTH } from '@/lib/review/wire';
import { actsFor } from '@/lib/write-rules';
import { Time } from '@/components/time/Time';
import { useOptionalReview } from './ReviewContext';
import { useReviewAction } from './useReviewAction';

/** "Marie Dubois for France" or "entered by the chair (Anna Lind) for France". */
export function actLabel(act: DelegationAct, party: string): string {
  const who = act.name || 'a former member';
  return act.chair ? `entered by the chair (${who}) for ${party}` : `${who} for ${party}`;
}

/**
 * The parties' stances on a layer. A delegation states its own (its members, through the server,
 * which enforces the same rule); the chair may enter one on a delegation's behalf; everyone else
 * sees them read-only, with who stated each.
 */
export function Positions({ layer }: { layer: Layer }) {
  const { parties } = useEditorContext();
  const review = useOptionalReview();
  const headingId = `positions-${layer.id}`;
  const participants = parties.map((p) => p.id);
  const ids = [
    ...participants,
    ...Object.keys(layer.positions).filter((id) => !participants.includes(id)),
  ];
  const frozen = frozenBecause(gateOf(layer.status, layer.statusDetail));
  return (
    <section className="ed-section" aria-labelledby={headingId}>
      <h4 id={headingId}>Positions</h4>
      {ids.length === 0 ? (
        <p className="hint">Add parties to record their positions.</p>
      ) : (
        <table className="table ed-positions" aria-labelledby={headingId}>
          <thead>
            <tr>
              <th scope="col">Party</th>
              <th scope="col">Stance</th>
              <th scope="col">Note</th>
              <th scope="col">Stated by</th>
            </tr>
          </thead>
          <tbody>
            {ids.map((id) => {
              const as =
                review && !frozen && participants.includes(id)
                  ? actsFor(review.actor, id, { chair: true })
                  : null;
              return as ? (
                <PositionEditor
                  key={`${id}:${layer.positions[id]?.statedBy?.at ?? ''}`}
                  layerId={layer.id}
                  party={id}
                  parties={parties}
                  position={layer.positions[id]}
                  asChair={as === 'chair'}
                />
              ) : (
                <PositionRow key={id} party={id} parties={parties} position={layer.positions[id]} />
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

function PositionRow({
  party,
  parties,
  position,
}: {
  party: string;
  parties: Party[];
  position: Position | undefined;
}) {
  const name = partyName(parties, party);
  return (
    <tr>
      <th scope="row">{name}</th>
      <td className={position ? `rv-stance rv-stance-${position.stance}` : 'hint'}>
        {position ? STANCE_LABELS[position.stance] : 'Not stated'}
      </td>
      <td className="rv-position-note">{position?.note || <span className="hint">—</span>}</td>
      <td className="hint">
        {position?.statedBy ? (
          <>
            {actLabel(position.statedBy, name)}, <Time at={position.statedBy.at} />
          </>
        ) : (
          '—'
        )}
      </td>
    </tr>
  );
}

/** My delegation's row (or, as chair, any delegation's): stance and note, stated through the server. */
function PositionEditor({
  layerId,
  party,
  parties,
  position,
  asChair,
}: {
  layerId: string;
  party: string;
  parties: Party[];
  position: Position | undefined;
  asChair: boolean;
}) {
  const id = useId();
  const name = partyName(parties, party);
  const [stance, setStance] = useState<Stance | ''>(position?.stance ?? '');
  const [note, setNote] = useState(position?.note ?? '');
  const { post, busy, error } = useReviewAction();
  const changed = stance !== (position?.stance ?? '') || note !== (position?.note ?? '');
  const submit = () =>
    void post({ action: 'position', layerId, party, stance: stance || null, note });
  return (
    <tr className="rv-position-mine" data-field-path={fieldPath.position(layerId, party)}>
      <th scope="row">
        {name}
        {asChair && <span className="hint"> (as chair)</span>}
      </th>
      <td>
        <label className="visually-hidden" htmlFor={`${id}-stance`}>
          Stance of {name}
        </label>
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
      </td>
      <td colSpan={2}>
        <label className="visually-hidden" htmlFor={`${id}-note`}>
          Note on the position of {name}
        </label>
        <textarea
          id={`${id}-note`}
          rows={2}
          value={note}
          maxLength={MAX_REVIEW_REASON_LENGTH}
          placeholder="Note (optional)"
          onChange={(e) => setNote(e.target.value)}
        />
        <div className="rv-position-actions">
          <button
            type="button"
            className="button button-quiet"
            disabled={!changed || busy}
            onClick={submit}
          >
            {asChair ? `Enter for ${name}` : `State position of ${name}`}
          </button>
          {position?.statedBy && (
            <span className="hint">
              {actLabel(position.statedBy, name)}, <Time at={position.statedBy.at} />
            </span>
          )}
        </div>
        {error && (
          <p className="rv-error" role="alert">
            {error}
          </p>
        )}
      </td>
    </tr>
  );
}
