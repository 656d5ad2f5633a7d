'use client';

import { useId } from 'react';
import { MAX_DEADLINE_HOURS, MAX_TRIGGER_TEXT_LENGTH } from '@/lib/amendments/wire';
import type {
  AmendmentTarget,
  CommitmentAmendableField,
  Party,
  ProposedTrigger,
  TriggerAmendableField,
} from '@/lib/framework';

/**
 * The field composer's choices that are whole rows rather than one field: a new trigger, and
 * the removal of a commitment row or a trigger ("Propose removal" on the row opens the composer
 * on it). A removal's key names the kind of row, as commitment and trigger ids could meet.
 */
export const NEW_TRIGGER_CHOICE = 'new-trigger';
export const NEW_COMMITMENT_CHOICE = 'new-commitment';
const REMOVE_PREFIX = 'remove:';

export type RemovableRow = 'commitment' | 'trigger';
export type RemovedRow = { item: RemovableRow; id: string };

export const removalChoice = (id: string, item: RemovableRow = 'commitment') =>
  `${REMOVE_PREFIX}${item}:${id}`;

/** The row a composer choice removes, or null when it is another choice. */
export function removedRowOf(choice: string): RemovedRow | null {
  if (!choice.startsWith(REMOVE_PREFIX)) return null;
  const rest = choice.slice(REMOVE_PREFIX.length);
  const colon = rest.indexOf(':');
  const item = rest.slice(0, colon);
  if (colon < 0 || (item !== 'commitment' && item !== 'trigger')) return null;
  return { item, id: rest.slice(colon + 1) };
}

/** Each field an amendment may change, in words: "a new quantity", "Trigger 1: response". */
export const AMENDABLE_FIELD_NAMES: Record<
  'lead' | CommitmentAmendableField | TriggerAmendableField,
  string
> = {
  lead: 'lead',
  party: 'party',
  quantity: 'quantity',
  unit: 'unit',
  conditions: 'conditions',
  period: 'period',
  condition: 'condition',
  response: 'response',
  deadlineHours: 'deadline',
};

/** The field composer's choice for a field of a row ("c:<row>:quantity", "t:<row>:response"). */
export const fieldChoice = (item: 'commitment' | 'trigger', id: string, field: string) =>
  `${item === 'commitment' ? 'c' : 't'}:${id}:${field}`;

/** The field composer's choice for an amendment target ("lead", "c:<row>:quantity", ...). */
export function choiceOfTarget(target: AmendmentTarget): string | null {
  switch (target.kind) {
    case 'passage':
      return null;
    case 'row':
      return target.item === 'trigger' ? NEW_TRIGGER_CHOICE : NEW_COMMITMENT_CHOICE;
    case 'remove':
      return removalChoice(target.id, target.item);
    case 'field':
      if (target.item === 'layer') return 'lead';
      return fieldChoice(target.item, target.id, target.field);
  }
}

export const EMPTY_TRIGGER: ProposedTrigger = {
  condition: '',
  response: '',
  deadlineHours: null,
  responsibleParties: [],
};

/**
 * The trigger an amendment proposes to add: condition, required response, deadline and the
 * parties responsible for the response.
 */
export function NewTriggerFields({
  row,
  onChange,
  parties,
}: {
  row: ProposedTrigger;
  onChange: (row: ProposedTrigger) => void;
  parties: Party[];
}) {
  const id = useId();
  const set = (patch: Partial<ProposedTrigger>) => onChange({ ...row, ...patch });
  const responsible = row.responsibleParties ?? [];
  // Kept in the framework's order of parties, as the trigger will list them once added.
  const toggle = (partyId: string, on: boolean) =>
    set({
      responsibleParties: parties
        .map((p) => p.id)
        .filter((p) => (p === partyId ? on : responsible.includes(p))),
    });
  return (
    <fieldset className="am-new-row">
      <legend>Proposed trigger</legend>
      <label htmlFor={`${id}-condition`}>Condition</label>
      <textarea
        id={`${id}-condition`}
        rows={2}
        value={row.condition}
        maxLength={MAX_TRIGGER_TEXT_LENGTH}
        onChange={(e) => set({ condition: e.target.value })}
      />
      <label htmlFor={`${id}-response`}>Required response</label>
      <textarea
        id={`${id}-response`}
        rows={2}
        value={row.response}
        maxLength={MAX_TRIGGER_TEXT_LENGTH}
        onChange={(e) => set({ response: e.target.value })}
      />
      <label htmlFor={`${id}-deadline`}>Deadline (hours)</label>
      <input
        id={`${id}-deadline`}
        type="number"
        min={0}
        max={MAX_DEADLINE_HOURS}
        step="any"
        inputMode="numeric"
        value={row.deadlineHours === null ? '' : String(row.deadlineHours)}
        onChange={(e) => {
          const text = e.target.value.trim();
          const n = Number(text);
          // A negative or non-numeric entry is not taken: the server refuses it anyway.
          if (text === '') set({ deadlineHours: null });
          else if (Number.isFinite(n) && n >= 0) set({ deadlineHours: n });
        }}
      />
      <fieldset className="ed-checks am-responsible">
        <legend>Responsible parties</legend>
        {parties.length === 0 && <span className="hint">The framework has no parties yet.</span>}
        {parties.map((p) => (
          <label key={p.id} className="ed-check">
            <input
              type="checkbox"
              checked={responsible.includes(p.id)}
              onChange={(event) => toggle(p.id, event.target.checked)}
            />
            {p.name}
          </label>
        ))}
      </fieldset>
    </fieldset>
  );
}

/** What a removal proposes: the row as it reads now, struck through. */
export function RemovalSummary({
  current,
  item = 'commitment',
}: {
  current: string | null;
  item?: RemovableRow;
}) {
  return current === null ? (
    <p className="am-warning" role="note">
      {item === 'trigger'
        ? 'This trigger is no longer in the layer.'
        : 'This commitment row is no longer in the layer.'}
    </p>
  ) : (
    <p className="am-diff">
      {item === 'trigger' ? 'Deletes the trigger: ' : 'Deletes the row: '}
      <del>{current}</del>
    </p>
  );
}
