'use client';

import {
  addCommitment,
  addDependency,
  addNote,
  addTrigger,
  COMMITMENT_TYPE_LABELS,
  COMMITMENT_TYPES,
  fieldPath,
  getCommitmentText,
  getNoteText,
  getTriggerText,
  removeCommitment,
  removeDependency,
  removeNote,
  removeTrigger,
  setTriggerParty,
  updateCommitment,
  updateTrigger,
  type CommitmentType,
  type Layer,
  type NoteList,
} from '@/lib/framework';
import { useOptionalAmendments, useRowMarks } from '@/components/review/AmendmentsContext';
import { ProposedRows, RowAmendmentMarkers } from '@/components/review/RowMarkers';
import {
  fieldChoice,
  NEW_TRIGGER_CHOICE,
  removalChoice,
} from '@/components/review/RowProposalFields';
import { useProposeMode } from '@/components/review/useProposeMode';
import { useEditorContext } from './EditorContext';
import { parseQuantity, partyOptions, Select, ValueInput } from './fields';
import { YTextField } from './YTextField';

const typeOptions = COMMITMENT_TYPES.map((t) => ({ value: t, label: COMMITMENT_TYPE_LABELS[t] }));

/**
 * In "Propose changes", rows are proposed as amendments too: this opens the amendments panel's
 * composer on a choice for this layer (null when the mode is off or there is no panel).
 */
function useRowProposal(layerId: string) {
  const { proposeMode } = useProposeMode();
  const amendments = useOptionalAmendments();
  if (!proposeMode || !amendments) return null;
  return (choice: string) => amendments.proposeField({ layerId, choice });
}

export function Commitments({ layer }: { layer: Layer }) {
  const { doc, origin, readOnly, parties } = useEditorContext();
  const propose = useRowProposal(layer.id);
  const marks = useRowMarks(layer.id);
  const headingId = `commitments-${layer.id}`;
  return (
    <section className="ed-section" aria-labelledby={headingId}>
      <h4 id={headingId}>Commitments</h4>
      {layer.commitments.length === 0 ? (
        <p className="hint">No commitments yet: who contributes what, how much, for how long.</p>
      ) : (
        <div className="ed-table-wrap">
          <table className="table ed-commitments" aria-labelledby={headingId}>
            <thead>
              <tr>
                <th scope="col">Party</th>
                <th scope="col">Type</th>
                <th scope="col">Quantity</th>
                <th scope="col">Unit</th>
                <th scope="col">Conditions</th>
                <th scope="col">Period</th>
                {!readOnly && (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {layer.commitments.map((c, i) => {
                const n = `Commitment ${i + 1}`;
                const update = (patch: Parameters<typeof updateCommitment>[3]) =>
                  updateCommitment(doc, layer.id, c.id, patch, origin);
                return (
                  <tr key={c.id}>
                    <td>
                      <Select
                        hideLabel
                        label={`${n} party`}
                        path={fieldPath.commitment(layer.id, c.id, 'party')}
                        value={c.party}
                        emptyLabel="Choose…"
                        options={partyOptions(parties)}
                        proposes={fieldChoice('commitment', c.id, 'party')}
                        onValue={(party) => update({ party })}
                      />
                      {/* Under the row's first cell, so the table grows no wider in this mode. */}
                      {propose && (
                        <ProposeRemoval of={n} onClick={() => propose(removalChoice(c.id))} />
                      )}
                      <RowAmendmentMarkers marks={marks} item="commitment" id={c.id} />
                    </td>
                    <td>
                      <Select<CommitmentType>
                        hideLabel
                        label={`${n} type`}
                        value={c.type}
                        options={typeOptions}
                        onValue={(type) => type && update({ type })}
                      />
                    </td>
                    <td>
                      <ValueInput
                        type="number"
                        min={0}
                        className="ed-number"
                        label={`${n} quantity`}
                        path={fieldPath.commitment(layer.id, c.id, 'quantity')}
                        proposes={fieldChoice('commitment', c.id, 'quantity')}
                        value={c.quantity === null ? '' : String(c.quantity)}
                        onValue={(raw) => {
                          const quantity = parseQuantity(raw);
                          if (quantity !== undefined) update({ quantity });
                        }}
                      />
                    </td>
                    <td>
                      <ValueInput
                        className="ed-unit"
                        label={`${n} unit`}
                        proposes={fieldChoice('commitment', c.id, 'unit')}
                        value={c.unit}
                        onValue={(unit) => update({ unit })}
                      />
                    </td>
                    <td>
                      <YTextField
                        hideLabel
                        multiline
                        label={`${n} conditions`}
                        proposes={fieldChoice('commitment', c.id, 'conditions')}
                        text={getCommitmentText(doc, layer.id, c.id, 'conditions')}
                      />
                    </td>
                    <td>
                      <YTextField
                        hideLabel
                        label={`${n} period`}
                        className="ed-period"
                        proposes={fieldChoice('commitment', c.id, 'period')}
                        text={getCommitmentText(doc, layer.id, c.id, 'period')}
                      />
                    </td>
                    {!readOnly && (
                      <td>
                        <button
                          type="button"
                          className="button button-quiet ed-remove"
                          aria-label={`Remove ${n.toLowerCase()}`}
                          onClick={() => removeCommitment(doc, layer.id, c.id, origin)}
                        >
                          ×
                        </button>
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <ProposedRows layerId={layer.id} item="commitment" />
      {!readOnly && (
        <button
          type="button"
          className="button button-secondary ed-add"
          onClick={() => addCommitment(doc, layer.id, {}, origin)}
        >
          Add commitment
        </button>
      )}
    </section>
  );
}

export function Triggers({ layer }: { layer: Layer }) {
  const { doc, origin, readOnly, parties } = useEditorContext();
  const propose = useRowProposal(layer.id);
  const marks = useRowMarks(layer.id);
  const headingId = `triggers-${layer.id}`;
  return (
    <section className="ed-section" aria-labelledby={headingId}>
      <h4 id={headingId}>Triggers and responses</h4>
      {layer.triggers.length === 0 && (
        <p className="hint">No triggers yet: what happens, who must respond, within what time.</p>
      )}
      <ol className="ed-triggers">
        {layer.triggers.map((t, i) => {
          const n = `Trigger ${i + 1}`;
          const known = new Set(parties.map((p) => p.id));
          const unknown = t.responsibleParties.filter((id) => !known.has(id));
          return (
            <li key={t.id} className="ed-trigger">
              <div className="ed-trigger-head">
                {/* The number, its removal proposal and markers together; "×" stays at the end. */}
                <span className="ed-trigger-title">
                  <span className="ed-trigger-n">{n}</span>
                  {propose && (
                    <ProposeRemoval
                      of={n}
                      onClick={() => propose(removalChoice(t.id, 'trigger'))}
                    />
                  )}
                  <RowAmendmentMarkers marks={marks} item="trigger" id={t.id} />
                </span>
                {!readOnly && (
                  <button
                    type="button"
                    className="button button-quiet ed-remove"
                    aria-label={`Remove ${n.toLowerCase()}`}
                    onClick={() => removeTrigger(doc, layer.id, t.id, origin)}
                  >
                    ×
                  </button>
                )}
              </div>
              <div className="ed-trigger-grid">
                <YTextField
                  multiline
                  label={`${n} condition`}
                  path={fieldPath.trigger(layer.id, t.id, 'condition')}
                  proposes={fieldChoice('trigger', t.id, 'condition')}
                  text={getTriggerText(doc, layer.id, t.id, 'condition')}
                />
                <YTextField
                  multiline
                  label={`${n} required response`}
                  path={fieldPath.trigger(layer.id, t.id, 'response')}
                  proposes={fieldChoice('trigger', t.id, 'response')}
                  text={getTriggerText(doc, layer.id, t.id, 'response')}
                />
                <ValueInput
                  hideLabel={false}
                  type="number"
                  min={0}
                  className="ed-number"
                  label={`${n} deadline (hours)`}
                  suffix="hours"
                  path={fieldPath.trigger(layer.id, t.id, 'deadline')}
                  proposes={fieldChoice('trigger', t.id, 'deadlineHours')}
                  value={t.deadlineHours === null ? '' : String(t.deadlineHours)}
                  onValue={(raw) => {
                    const deadlineHours = parseQuantity(raw);
                    if (deadlineHours !== undefined) {
                      updateTrigger(doc, layer.id, t.id, { deadlineHours }, origin);
                    }
                  }}
                />
                <fieldset
                  className="ed-checks"
                  data-field-path={fieldPath.trigger(layer.id, t.id, 'responsibleParties')}
                >
                  <legend className="ed-label">{n} responsible parties</legend>
                  {parties.length === 0 && <span className="hint">Add parties first.</span>}
                  {[...parties, ...unknown.map((id) => ({ id, name: `Unknown: ${id}` }))].map(
                    (p) => (
                      <label key={p.id} className="ed-check">
                        <input
                          type="checkbox"
                          disabled={readOnly}
                          checked={t.responsibleParties.includes(p.id)}
                          onChange={(event) =>
                            setTriggerParty(doc, layer.id, t.id, p.id, event.target.checked, origin)
                          }
                        />
                        {p.name}
                      </label>
                    ),
                  )}
                </fieldset>
              </div>
            </li>
          );
        })}
      </ol>
      <ProposedRows layerId={layer.id} item="trigger" />
      {!readOnly && (
        <button
          type="button"
          className="button button-secondary ed-add"
          onClick={() => addTrigger(doc, layer.id, {}, origin)}
        >
          Add trigger
        </button>
      )}
      {propose && (
        <button
          type="button"
          className="button button-quiet ed-add"
          onClick={() => propose(NEW_TRIGGER_CHOICE)}
        >
          Propose a new trigger
        </button>
      )}
    </section>
  );
}

export function Dependencies({ layer }: { layer: Layer }) {
  const { doc, origin, readOnly, layers } = useEditorContext();
  const others = layers.filter((l) => l.id !== layer.id);
  const missing = layer.dependencies.filter((id) => !layers.some((l) => l.id === id));
  return (
    <fieldset className="ed-section ed-checks" data-field-path={`layer:${layer.id}/dependencies`}>
      <legend>
        <h4>Depends on</h4>
      </legend>
      {others.length === 0 && <p className="hint">No other layers.</p>}
      {[...others, ...missing.map((id) => ({ id, title: 'A removed layer' }))].map((l) => (
        <label key={l.id} className="ed-check">
          <input
            type="checkbox"
            disabled={readOnly}
            data-field-path={fieldPath.dependency(layer.id, l.id)}
            checked={layer.dependencies.includes(l.id)}
            onChange={(event) =>
              event.target.checked
                ? addDependency(doc, layer.id, l.id, origin)
                : removeDependency(doc, layer.id, l.id, origin)
            }
          />
          {l.title.trim() || 'Untitled layer'}
        </label>
      ))}
    </fieldset>
  );
}

/** What a notes section (open questions, risks) is called, item by item. */
const NOTE_SECTIONS: Record<
  NoteList,
  { heading: string; item: string; empty: string; idPrefix: string }
> = {
  openQuestions: {
    heading: 'Open questions',
    item: 'Open question',
    empty: 'None.',
    idPrefix: 'questions',
  },
  risks: {
    heading: 'Risks',
    item: 'Risk',
    empty: 'No risks noted: what could make this layer fail or be refused.',
    idPrefix: 'risks',
  },
};

/** A layer's list of short notes (open questions or risks), each its own collaborative text. */
function NotesSection({ layer, list }: { layer: Layer; list: NoteList }) {
  const { doc, origin, readOnly } = useEditorContext();
  const { heading, item, empty, idPrefix } = NOTE_SECTIONS[list];
  const headingId = `${idPrefix}-${layer.id}`;
  const notes = layer[list];
  return (
    <section
      className="ed-section"
      aria-labelledby={headingId}
      data-field-path={fieldPath.notes(layer.id, list)}
    >
      <h4 id={headingId}>{heading}</h4>
      {notes.length === 0 && <p className="hint">{empty}</p>}
      <ul className="ed-questions">
        {notes.map((note, i) => (
          <li key={note.id}>
            <YTextField
              hideLabel
              multiline
              label={`${item} ${i + 1}`}
              text={getNoteText(doc, layer.id, list, note.id)}
            />
            {!readOnly && (
              <button
                type="button"
                className="button button-quiet ed-remove"
                aria-label={`Remove ${item.toLowerCase()} ${i + 1}`}
                onClick={() => removeNote(doc, layer.id, list, note.id, origin)}
              >
                ×
              </button>
            )}
          </li>
        ))}
      </ul>
      {!readOnly && (
        <button
          type="button"
          className="button button-secondary ed-add"
          onClick={() => addNote(doc, layer.id, list, '', origin)}
        >
          Add {item.toLowerCase()}
        </button>
      )}
    </section>
  );
}

export function OpenQuestions({ layer }: { layer: Layer }) {
  return <NotesSection layer={layer} list="openQuestions" />;
}

export function Risks({ layer }: { layer: Layer }) {
  return <NotesSection layer={layer} list="risks" />;
}

/** "Propose removal" of a row, in Propose changes: opens the composer on that removal. */
function ProposeRemoval({ of, onClick }: { of: string; onClick: () => void }) {
  return (
    <button
      type="button"
      className="button button-quiet ed-propose-removal"
      aria-label={`Propose removal of ${of.toLowerCase()}`}
      onClick={onClick}
    >
      Propose removal
    </button>
  );
}
