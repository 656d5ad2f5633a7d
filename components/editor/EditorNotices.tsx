'use client';

import { useReview } from '@/components/review/ReviewContext';
import type { CollabStop } from './useCollab';

/** Why the connection stopped for good, and what the user can do about it. */
export function StoppedNotice({ stopped }: { stopped: NonNullable<CollabStop> }) {
  const what =
    stopped.action === 'reauth'
      ? 'Your session ended. Sign in again to keep editing.'
      : stopped.action === 'reload'
        ? 'The editor is out of step with the server. Reload the page.'
        : `The connection was closed: ${stopped.reason}.`;
  return (
    <div className="ed-stopped" role="alert">
      {what}
    </div>
  );
}

/** What the server refused and undid (e.g. an edit of an agreed layer from a stale client). */
export function RefusalNotice() {
  // A refusal that offers the typed text back is said in its own card (RefusedDrafts).
  const refusals = useReview().refusals.filter((r) => !r.draft);
  if (refusals.length === 0) return null;
  return (
    <div className="ed-toast rv-refused" role="alert">
      {[...new Set(refusals.map((r) => r.message))].join(' ')}
    </div>
  );
}
