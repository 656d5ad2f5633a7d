'use client';

import { useEffect, useState } from 'react';
import type * as Y from 'yjs';
import { observeFramework, readFramework, type FrameworkView, type Layer } from '@/lib/framework';

/** A layer's identity for re-rendering: everything but the narrative (Tiptap renders that). */
const layerKey = (layer: Layer) => JSON.stringify({ ...layer, narrative: null });
/** With the narrative: for read mode, which prints it from the view rather than through Tiptap. */
const fullLayerKey = (layer: Layer) => JSON.stringify(layer);

/**
 * The plain view of the framework, re-read at most once per animation frame after changes.
 * Layers whose structured fields did not change keep their previous object, so memoised layer
 * blocks skip rendering while someone types in another layer.
 */
export function useFrameworkView(
  doc: Y.Doc | undefined,
  { withNarrative = false }: { withNarrative?: boolean } = {},
): FrameworkView | null {
  const [view, setView] = useState<FrameworkView | null>(null);

  useEffect(() => {
    if (!doc) return;
    let frame = 0;
    let previous = new Map<string, { key: string; layer: Layer }>();
    let previousParties: { key: string; parties: FrameworkView['parties'] } | null = null;
    const refresh = () => {
      frame = 0;
      const next = readFramework(doc);
      const cache = new Map<string, { key: string; layer: Layer }>();
      next.layers = next.layers.map((layer) => {
        const key = withNarrative ? fullLayerKey(layer) : layerKey(layer);
        const old = previous.get(layer.id);
        // The editor never shows the plain narrative, so typing in it re-renders nothing there.
        const kept = old && old.key === key ? old.layer : layer;
        cache.set(layer.id, { key, layer: kept });
        return kept;
      });
      previous = cache;
      const partiesKey = JSON.stringify(next.parties);
      if (previousParties?.key === partiesKey) next.parties = previousParties.parties;
      else previousParties = { key: partiesKey, parties: next.parties };
      setView(next);
    };
    refresh();
    const unobserve = observeFramework(doc, () => {
      if (!frame) frame = requestAnimationFrame(refresh);
    });
    return () => {
      unobserve();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [doc, withNarrative]);

  return view;
}
