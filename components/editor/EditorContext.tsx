'use client';

import { createContext, useContext } from 'react';
import type { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import type { Party } from '@/lib/framework';

export type LayerRef = { id: string; title: string };

/** What every field of the editor needs: the document, my origin, and whether it may write. */
export type EditorContextValue = {
  doc: Y.Doc;
  provider: WebsocketProvider;
  origin: object;
  readOnly: boolean;
  parties: Party[];
  layers: LayerRef[];
  /**
   * In "Propose changes" (the fields are read-only then): a field that an amendment may change
   * offers what was entered to the amendments composer (its choice, "c:<row>:quantity", and the
   * value) instead of writing it. Absent otherwise.
   */
  proposeValue?: ((choice: string, value: string) => void) | null;
};

const EditorContext = createContext<EditorContextValue | null>(null);

export const EditorProvider = EditorContext.Provider;

export function useEditorContext(): EditorContextValue {
  const value = useContext(EditorContext);
  if (!value) throw new Error('useEditorContext outside the framework editor');
  return value;
}
