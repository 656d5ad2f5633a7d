'use client';

import { useCallback, useEffect, useState } from 'react';

/** The shortcut that switches between Edit and Read, as aria-keyshortcuts spells it. */
export const READ_MODE_SHORTCUT = 'Alt+Shift+R';

const storageKey = (userId: string) => `briefing:read-mode:${userId}`;

function stored(userId: string): boolean | null {
  if (typeof window === 'undefined') return null;
  try {
    const value = window.localStorage.getItem(storageKey(userId));
    return value === 'read' ? true : value === 'edit' ? false : null;
  } catch {
    // Storage refused (private mode, quota): the default applies.
    return null;
  }
}

/**
 * Whether this person reads the framework as a document. People who may not edit start there,
 * editors in the editor; a choice made with the switch (or Alt+Shift+R) is kept per user in
 * this browser.
 */
export function useReadMode(
  userId: string,
  canEdit: boolean,
): { reading: boolean; setReading: (reading: boolean) => void } {
  const [reading, setState] = useState<boolean>(() => stored(userId) ?? !canEdit);

  const setReading = useCallback(
    (next: boolean) => {
      setState(next);
      try {
        window.localStorage.setItem(storageKey(userId), next ? 'read' : 'edit');
      } catch {
        // Not kept beyond this page; the switch still works.
      }
    },
    [userId],
  );

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      // event.code: Alt+Shift changes event.key on many keyboard layouts.
      if (
        event.altKey &&
        event.shiftKey &&
        !event.ctrlKey &&
        !event.metaKey &&
        event.code === 'KeyR'
      ) {
        event.preventDefault();
        setReading(!reading);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [reading, setReading]);

  return { reading, setReading };
}
