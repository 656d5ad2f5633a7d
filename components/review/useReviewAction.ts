'use client';

import { useCallback, useState } from 'react';
import { reviewFetch } from './api';
import { useOptionalReview } from './ReviewContext';

/**
 * Posts one review action (status, silence, a delegation's act) to the framework's review route,
 * which checks the rules on the live document; the result arrives as a document change.
 */
export function useReviewAction() {
  // Outside a framework page with review (no provider) there is nothing to post to.
  const review = useOptionalReview();
  const base = review?.base ?? null;
  const bumpActivity = review?.bumpActivity;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const post = useCallback(
    async (body: Record<string, unknown>): Promise<boolean> => {
      if (base === null) {
        setError('Review is not available here.');
        return false;
      }
      setBusy(true);
      setError(null);
      try {
        await reviewFetch(`${base}/review`, { method: 'POST', body });
        bumpActivity?.();
        return true;
      } catch (e) {
        setError(e instanceof Error ? e.message : String(e));
        return false;
      } finally {
        setBusy(false);
      }
    },
    [base, bumpActivity],
  );
  return { post, busy, error };
}
