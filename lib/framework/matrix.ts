/**
 * The commitment matrix: parties x layers, with totals per commitment type and unit (troops and
 * EUR are never added together; neither are "personnel" and "battalions"). Pure, on the view.
 */
import {
  COMMITMENT_TYPES,
  type Commitment,
  type CommitmentType,
  type FrameworkView,
  type LayerKind,
  type Party,
} from './types';

export interface QuantityTotal {
  type: CommitmentType;
  /** The unit as first written; units compare trimmed and case-insensitively. */
  unit: string;
  /** Sum of the quantified commitments. */
  quantity: number;
  /** Commitments counted in `quantity`. */
  count: number;
  /** Commitments of this type and unit with no quantity yet (not in `quantity`). */
  unquantified: number;
}

export interface MatrixCell {
  partyId: string;
  layerId: string;
  commitments: Commitment[];
  totals: QuantityTotal[];
}

export interface CommitmentMatrix {
  /** Rows: the framework's parties, then parties named only in commitments, then '' (unassigned). */
  parties: Party[];
  /** Columns, in layer order. */
  layers: Array<{ id: string; title: string; kind: LayerKind }>;
  /** cells[row][column]. */
  cells: MatrixCell[][];
  /** Per party (row), across layers. */
  partyTotals: QuantityTotal[][];
  /** Per layer (column), across parties. */
  layerTotals: QuantityTotal[][];
  total: QuantityTotal[];
}

const unitKey = (unit: string) => unit.trim().replace(/\s+/g, ' ').toLocaleLowerCase('en');

/** Sums commitments per (type, unit), in COMMITMENT_TYPES order then unit. */
export function totalsOf(commitments: readonly Commitment[]): QuantityTotal[] {
  const byKey = new Map<string, QuantityTotal>();
  for (const c of commitments) {
    const key = `${c.type}\u0000${unitKey(c.unit)}`;
    let total = byKey.get(key);
    if (!total) {
      total = { type: c.type, unit: c.unit.trim(), quantity: 0, count: 0, unquantified: 0 };
      byKey.set(key, total);
    }
    if (c.quantity === null) total.unquantified++;
    else {
      total.quantity += c.quantity;
      total.count++;
    }
  }
  return [...byKey.values()].sort(
    (a, b) =>
      COMMITMENT_TYPES.indexOf(a.type) - COMMITMENT_TYPES.indexOf(b.type) ||
      (unitKey(a.unit) < unitKey(b.unit) ? -1 : unitKey(a.unit) > unitKey(b.unit) ? 1 : 0),
  );
}

export function buildCommitmentMatrix(view: FrameworkView): CommitmentMatrix {
  const parties: Party[] = [...view.parties];
  const known = new Set(parties.map((p) => p.id));
  const extra = new Set<string>();
  for (const layer of view.layers) {
    for (const c of layer.commitments) if (!known.has(c.party)) extra.add(c.party);
  }
  // Commitments naming a removed party, or none, still count: they get their own rows.
  for (const id of [...extra].filter((id) => id !== '').sort()) parties.push({ id, name: id });
  if (extra.has('')) parties.push({ id: '', name: 'Unassigned' });

  const layers = view.layers.map((l) => ({ id: l.id, title: l.title, kind: l.kind }));
  const cells = parties.map((party) =>
    view.layers.map((layer): MatrixCell => {
      const commitments = layer.commitments.filter((c) => c.party === party.id);
      return { partyId: party.id, layerId: layer.id, commitments, totals: totalsOf(commitments) };
    }),
  );
  const all = view.layers.flatMap((l) => l.commitments);
  return {
    parties,
    layers,
    cells,
    partyTotals: parties.map((party) => totalsOf(all.filter((c) => c.party === party.id))),
    layerTotals: view.layers.map((layer) => totalsOf(layer.commitments)),
    total: totalsOf(all),
  };
}
