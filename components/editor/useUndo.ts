'use client';

import { useEffect, useState } from 'react';
import type * as Y from 'yjs';

const isInsideNarrative = (target: EventTarget | null) =>
  target instanceof Element && target.closest('.ProseMirror') !== null;

/** Whether the UndoManager has something to undo / redo, live. */
function useUndoState(undoManager: Y.UndoManager | undefined) {
  const [state, setState] = useState({ canUndo: false, canRedo: false });
  useEffect(() => {
    if (!undoManager) return;
    const update = () =>
      setState({
        canUndo: undoManager.undoStack.length > 0,
        canRedo: undoManager.redoStack.length > 0,
      });
    undoManager.on('stack-item-added', update);
    undoManager.on('stack-item-popped', update);
    undoManager.on('stack-cleared', update);
    return () => {
      undoManager.off('stack-item-added', update);
      undoManager.off('stack-item-popped', update);
      undoManager.off('stack-cleared', update);
    };
  }, [undoManager]);
  return state;
}

/**
 * Undo and redo of my structured changes: whether each is possible (for the buttons), and
 * Ctrl/Cmd+Z, Ctrl/Cmd+Shift+Z and Ctrl/Cmd+Y while `enabled`.
 */
export function useUndo(
  undoManager: Y.UndoManager | undefined,
  enabled: boolean,
): { canUndo: boolean; canRedo: boolean } {
  const state = useUndoState(undoManager);
  // Outside narrative text only: inside it, Tiptap's own Yjs undo (Collaboration) has already
  // handled the key and prevented its default.
  useEffect(() => {
    if (!undoManager || !enabled) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || isInsideNarrative(event.target)) return;
      if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
      const key = event.key.toLowerCase();
      if (key === 'z' && !event.shiftKey) {
        event.preventDefault();
        undoManager.undo();
      } else if ((key === 'z' && event.shiftKey) || key === 'y') {
        event.preventDefault();
        undoManager.redo();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [undoManager, enabled]);
  return state;
}
