'use client';

import { useCallback } from 'react';
import {
  addLayer,
  LAYER_KIND_LABELS,
  layerIds,
  moveLayer,
  removeLayer,
  type FrameworkView,
  type LayerKind,
} from '@/lib/framework';
import type { Collab } from './useCollab';
import type { FocusTarget } from './useFieldFocus';
import type { Removal } from './useRemovalToast';

/**
 * What the editor does to whole layers (move by a step, drop beside another, remove, add), each
 * a write through lib/framework with my origin, so my UndoManager tracks it.
 */
export function useLayerCommands(
  collab: Collab | null,
  view: FrameworkView | null,
  {
    makeLive,
    focusField,
    onRemoved,
  }: {
    makeLive: (layerId: string) => void;
    focusField: (target: FocusTarget) => void;
    /** A layer was removed as its own undo step (for the toast that offers to undo it). */
    onRemoved: (removal: Removal) => void;
  },
) {
  const onMove = useCallback(
    (layerId: string, delta: -1 | 1) => {
      if (!collab) return;
      const ids = layerIds(collab.doc);
      const at = ids.indexOf(layerId);
      const neighbour = ids[at + delta];
      if (at < 0 || !neighbour) return;
      moveLayer(
        collab.doc,
        layerId,
        delta < 0 ? { before: neighbour } : { after: neighbour },
        collab.origin,
      );
    },
    [collab],
  );

  const onDrop = useCallback(
    (layerId: string, targetId: string, after: boolean) => {
      if (!collab) return;
      moveLayer(
        collab.doc,
        layerId,
        after ? { after: targetId } : { before: targetId },
        collab.origin,
      );
    },
    [collab],
  );

  const onRemove = useCallback(
    (layerId: string) => {
      if (!collab) return;
      const title = view?.layers.find((l) => l.id === layerId)?.title.trim() || 'Untitled layer';
      const um = collab.undoManager;
      // Its own undo step, so "Undo" brings back exactly this layer.
      um.stopCapturing();
      if (!removeLayer(collab.doc, layerId, collab.origin)) return;
      um.stopCapturing();
      onRemoved({ title, item: um.undoStack[um.undoStack.length - 1] });
    },
    [collab, view, onRemoved],
  );

  /** Adds a layer of `kind` at the end, mounts it and puts the cursor in its title. */
  const onAdd = (kind: LayerKind) => {
    if (!collab) return;
    const id = addLayer(collab.doc, kind, { title: LAYER_KIND_LABELS[kind] }, collab.origin);
    makeLive(id);
    focusField({ path: `layer:${id}/title`, layerId: id });
  };

  return { onMove, onDrop, onRemove, onAdd };
}
