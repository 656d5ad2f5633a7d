'use client';

import { useEffect } from 'react';
import { clearOfflineCopies, pruneOfflineCopies } from '@/components/editor/offline-copies';
import { clearDrafts } from '@/components/review/draft-store';

/**
 * Sign out: the offline copies of frameworks in this browser and the drafts kept in this tab are
 * deleted first (they hold the full text), then the server action ends the session and redirects.
 */
export function SignOutForm({ signOut }: { signOut: () => Promise<void> }) {
  return (
    <form
      action={async () => {
        clearDrafts();
        await clearOfflineCopies();
        await signOut();
      }}
    >
      <button type="submit" className="button button-quiet">
        Sign out
      </button>
    </form>
  );
}

/** Which of these frameworks the server says I may still read; null when it cannot tell. */
async function stillReadable(frameworkIds: string[]): Promise<string[] | null> {
  try {
    const response = await fetch('/api/offline-copies', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ frameworkIds: frameworkIds.slice(0, 500) }),
    });
    if (!response.ok) return null;
    const { keep } = (await response.json()) as { keep?: unknown };
    return Array.isArray(keep) ? keep.filter((id): id is string => typeof id === 'string') : null;
  } catch {
    // Offline: keep every copy (they may hold edits not yet saved).
    return null;
  }
}

/**
 * Signed in: offline copies (and kept drafts) left in this browser by anyone else are deleted, and so are mine of
 * frameworks I may no longer read (removed while none of their pages was open).
 */
export function OfflineCopiesOfOthers({ userId }: { userId: string }) {
  useEffect(() => {
    clearDrafts(userId);
    void clearOfflineCopies(userId).then(() => pruneOfflineCopies(userId, stillReadable));
  }, [userId]);
  return null;
}
