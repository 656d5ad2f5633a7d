'use client';

import { useEffect } from 'react';
import { clearOfflineCopies } from '@/components/editor/offline-copies';

/**
 * Sign out: the offline copies of frameworks in this browser are deleted first (they hold the
 * full text), then the server action ends the session and redirects.
 */
export function SignOutForm({ signOut }: { signOut: () => Promise<void> }) {
  return (
    <form
      action={async () => {
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

/** Signed in: offline copies left in this browser by anyone else are deleted. */
export function OfflineCopiesOfOthers({ userId }: { userId: string }) {
  useEffect(() => {
    void clearOfflineCopies(userId);
  }, [userId]);
  return null;
}
