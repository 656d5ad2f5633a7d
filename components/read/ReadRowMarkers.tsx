'use client';

import { useRowMarks } from '@/components/review/AmendmentsContext';
import { RowMarkers } from '@/components/review/RowMarkers';
import type { Layer } from '@/lib/framework';

/**
 * Read mode's markers for amendments to a layer's rows, as the editor shows them: the tabled
 * removals of the n-th commitment row or trigger and the changes to its fields, at its end (rows
 * are in the document's order, as the read model lists them).
 */
export function ReadRowMarks({
  layer,
  item,
  index,
}: {
  layer: Layer;
  item: 'commitment' | 'trigger';
  index: number;
}) {
  const marks = useRowMarks(layer.id);
  const row = item === 'commitment' ? layer.commitments[index] : layer.triggers[index];
  if (!row) return null;
  return (
    <>
      <RowMarkers
        amendments={marks.removals[item].get(row.id) ?? []}
        kind={item === 'trigger' ? 'triggerRemoval' : 'removal'}
        open={marks.open}
      />
      <RowMarkers
        amendments={marks.changes[item].get(row.id) ?? []}
        kind={item === 'trigger' ? 'triggerChange' : 'change'}
        open={marks.open}
      />
    </>
  );
}
