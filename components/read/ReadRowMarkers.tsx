'use client';

import { useRowMarks } from '@/components/review/AmendmentsContext';
import { RowAmendmentMarkers } from '@/components/review/RowMarkers';
import type { Layer } from '@/lib/framework';

/**
 * Read mode's markers for amendments to the n-th commitment row or trigger of a layer, as the
 * editor shows them, at the row's end (rows are in the document's order, as the read model
 * lists them).
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
  return row ? <RowAmendmentMarkers marks={marks} item={item} id={row.id} /> : null;
}
