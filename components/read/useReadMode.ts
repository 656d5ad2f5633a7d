'use client';

import { useCallback, useEffect, useState } from 'react';
import {
  opensInReadMode,
  parseReadModeChoice,
  READ_MODE_COOKIE_MAX_AGE_S,
  readModeCookieName,
  type ReadModeChoice,
} from '@/lib/read-mode';

/** The shortcut that switches between Edit and Read, as aria-keyshortcuts spells it. */
export const READ_MODE_SHORTCUT = 'Alt+Shift+R';

/** Where the choice was kept before it moved to a cookie (read once, then dropped). */
const legacyStorageKey = (userId: string) => `briefing:read-mode:${userId}`;

function keep(userId: string, choice: ReadModeChoice) {
  document.cookie = `${readModeCookieName(userId)}=${choice}; path=/; max-age=${READ_MODE_COOKIE_MAX_AGE_S}; samesite=lax`;
}

/**
 * Whether this person reads the framework as a document. The server decides where the page
 * opens (lib/read-mode.ts: the choice kept in a cookie, else read for those who may not edit);
 * a choice made with the switch (or Alt+Shift+R) is kept per user in this browser.
 */
export function useReadMode(
  userId: string,
  canEdit: boolean,
  chosen: ReadModeChoice | null,
): { reading: boolean; setReading: (reading: boolean) => void } {
  const [reading, setState] = useState<boolean>(() => opensInReadMode(chosen, canEdit));

  const setReading = useCallback(
    (next: boolean) => {
      setState(next);
      keep(userId, next ? 'read' : 'edit');
    },
    [userId],
  );

  // A choice made before the cookie existed moves to the cookie once.
  useEffect(() => {
    if (chosen !== null) return;
    try {
      const legacy = parseReadModeChoice(window.localStorage.getItem(legacyStorageKey(userId)));
      if (!legacy) return;
      window.localStorage.removeItem(legacyStorageKey(userId));
      // An external store read once after mount (the server cannot see localStorage).
      // eslint-disable-next-line react-hooks/set-state-in-effect
      setReading(legacy === 'read');
    } catch {
      // Storage refused (private mode): nothing was kept there either.
    }
  }, [chosen, userId, setReading]);

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
