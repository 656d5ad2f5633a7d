'use client';

import { useCallback, useEffect, useState } from 'react';
import type * as Y from 'yjs';

/** A removal just made, offered for undo: what to call it and its undo step. */
export type Removal = { title: string; item: unknown };

/** How long the "Removed … Undo" toast stays (ms). */
const TOAST_MS = 10_000;

/**
 * The toast offering to undo a removal for a while. Its undo takes back exactly that removal,
 * and only while it is still my latest undo step (otherwise it would undo something else).
 */
export function useRemovalToast(undoManager: Y.UndoManager | undefined): {
  toast: Removal | null;
  offer: (removal: Removal) => void;
  undo: () => void;
  dismiss: () => void;
} {
  const [toast, setToast] = useState<Removal | null>(null);
  useEffect(() => {
    if (!toast) return;
    const timer = window.setTimeout(() => setToast(null), TOAST_MS);
    return () => window.clearTimeout(timer);
  }, [toast]);
  const offer = useCallback((removal: Removal) => setToast(removal), []);
  const dismiss = useCallback(() => setToast(null), []);
  const undo = () => {
    if (!undoManager || !toast) return;
    if (undoManager.undoStack[undoManager.undoStack.length - 1] === toast.item) undoManager.undo();
    setToast(null);
  };
  return { toast, offer, undo, dismiss };
}
