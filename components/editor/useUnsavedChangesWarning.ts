'use client';

import { useEffect } from 'react';
import type { SavedStatusTracker } from '@/lib/collab/saved-status';

/** Warns before closing the tab while this device holds changes the server has not stored. */
export function useUnsavedChangesWarning(tracker: SavedStatusTracker | undefined): void {
  useEffect(() => {
    if (!tracker) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (!tracker.hasUnsavedChanges()) return;
      event.preventDefault();
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [tracker]);
}
