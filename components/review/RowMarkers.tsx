'use client';

import type { CSSProperties } from 'react';
import { useEditorContext } from '@/components/editor/EditorContext';
import { delegationColour } from '@/lib/amendments/colours';
import { amendmentTitle, type AmendmentListItem } from '@/lib/amendments/wire';
import { useRowMarks, type RowMarks } from './AmendmentsContext';
import { AMENDABLE_FIELD_NAMES } from './RowProposalFields';

const WORDS = {
  removal: { visible: 'Removal', proposes: 'proposes removing this row' },
  triggerRemoval: { visible: 'Removal', proposes: 'proposes removing this trigger' },
  commitment: { visible: 'New row', proposes: 'proposes a new commitment row' },
  trigger: { visible: 'New trigger', proposes: 'proposes a new trigger' },
  change: { visible: 'Change', proposes: 'of this row' },
  triggerChange: { visible: 'Change', proposes: 'of this trigger' },
} as const;

/** A field amendment's marker names its field: "Quantity 4", "a new quantity of this row". */
function wordsFor(a: AmendmentListItem, kind: keyof typeof WORDS) {
  const words = WORDS[kind];
  if (a.target.kind !== 'field') return words;
  const field = AMENDABLE_FIELD_NAMES[a.target.field];
  return {
    visible: field.charAt(0).toUpperCase() + field.slice(1),
    proposes: `proposes a new ${field} ${words.proposes}`,
  };
}

/**
 * Tabled amendments to a layer's rows, marked where they apply as the passage markers are in
 * the text: in the delegation's colour, numbered, each a button that opens it in the panel.
 */
export function RowMarkers({
  amendments,
  kind,
  open,
}: {
  amendments: AmendmentListItem[];
  kind: keyof typeof WORDS;
  open: ((id: string) => void) | null;
}) {
  const { parties } = useEditorContext();
  if (amendments.length === 0 || !open) return null;
  const ids = parties.map((p) => p.id);
  return (
    <span className="ed-row-markers">
      {amendments.map((a) => {
        const words = wordsFor(a, kind);
        return (
          <button
            key={a.id}
            type="button"
            className="ed-amend-marker ed-row-marker"
            style={{ '--am-colour': delegationColour(ids, a.party) } as CSSProperties}
            aria-label={`${amendmentTitle(a)} ${words.proposes}: open in the amendments panel`}
            onClick={() => open(a.id)}
          >
            {words.visible} {a.number}
          </button>
        );
      })}
    </span>
  );
}

/** The new rows proposed for one of a layer's lists, under that list. */
export function ProposedRows({
  layerId,
  item,
}: {
  layerId: string;
  item: 'commitment' | 'trigger';
}) {
  const marks = useRowMarks(layerId);
  const proposed = marks.added[item];
  if (proposed.length === 0 || !marks.open) return null;
  return (
    <p className="ed-row-proposals">
      {item === 'trigger' ? 'Proposed triggers: ' : 'Proposed rows: '}
      <RowMarkers amendments={proposed} kind={item} open={marks.open} />
    </p>
  );
}

/** The tabled amendments to one row: its removals, then the changes to its fields. */
export function RowAmendmentMarkers({
  marks,
  item,
  id,
}: {
  marks: RowMarks;
  item: 'commitment' | 'trigger';
  id: string;
}) {
  const trigger = item === 'trigger';
  return (
    <>
      <RowMarkers
        amendments={marks.removals[item].get(id) ?? []}
        kind={trigger ? 'triggerRemoval' : 'removal'}
        open={marks.open}
      />
      <RowMarkers
        amendments={marks.changes[item].get(id) ?? []}
        kind={trigger ? 'triggerChange' : 'change'}
        open={marks.open}
      />
    </>
  );
}
