'use client';

import type { Removal } from './useRemovalToast';

/** "Removed “…”." with Undo and Dismiss, after a layer is removed. */
export function RemovalToast({
  toast,
  onUndo,
  onDismiss,
}: {
  toast: Removal;
  onUndo: () => void;
  onDismiss: () => void;
}) {
  return (
    <div className="ed-toast" role="status">
      <span>Removed “{toast.title}”.</span>
      <button type="button" className="button button-secondary" onClick={onUndo}>
        Undo
      </button>
      <button
        type="button"
        className="button button-quiet"
        aria-label="Dismiss"
        onClick={onDismiss}
      >
        ×
      </button>
    </div>
  );
}
