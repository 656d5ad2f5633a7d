'use client';

import { LAYER_KIND_LABELS, LAYER_KINDS, type LayerKind } from '@/lib/framework';

/**
 * The kind picker and "Add layer" button under the layers. The chosen kind is held by the
 * editor, so it survives switching to the matrix and back.
 */
export function AddLayerForm({
  kind,
  onKindChange,
  onAdd,
}: {
  kind: LayerKind;
  onKindChange: (kind: LayerKind) => void;
  onAdd: (kind: LayerKind) => void;
}) {
  return (
    <div className="ed-add-layer">
      <label className="ed-field">
        <span className="ed-label">Kind of new layer</span>
        <select
          className="ed-select"
          value={kind}
          onChange={(event) => onKindChange(event.target.value as LayerKind)}
        >
          {LAYER_KINDS.map((k) => (
            <option key={k} value={k}>
              {LAYER_KIND_LABELS[k]}
            </option>
          ))}
        </select>
      </label>
      <button type="button" className="button button-primary" onClick={() => onAdd(kind)}>
        Add layer
      </button>
    </div>
  );
}
