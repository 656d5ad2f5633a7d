'use client';

import { useMemo } from 'react';
import type { FrameworkView } from '@/lib/framework';
import type { EditorContextValue } from './EditorContext';
import type { Collab } from './useCollab';

/**
 * The value every field reads from EditorContext, or null until the document and its parties
 * are there. Stable while only fields inside layers change, so the context does not re-render
 * them all: it changes only when parties, layer titles or access change.
 */
export function useEditorContextValue(
  collab: Collab | null,
  view: FrameworkView | null,
  readOnly: boolean,
): EditorContextValue | null {
  const layerRefsKey = JSON.stringify(view?.layers.map((l) => [l.id, l.title]) ?? []);
  const layerRefs = useMemo(
    () =>
      (JSON.parse(layerRefsKey) as Array<[string, string]>).map(([id, title]) => ({ id, title })),
    [layerRefsKey],
  );
  const parties = view?.parties;
  return useMemo<EditorContextValue | null>(
    () =>
      collab && parties
        ? {
            doc: collab.doc,
            provider: collab.provider,
            origin: collab.origin,
            readOnly,
            parties: parties ?? [],
            layers: layerRefs,
          }
        : null,
    // Not `view`: see above.
    [collab, parties, layerRefs, readOnly],
  );
}
