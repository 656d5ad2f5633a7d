'use client';

import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';

/** The zone chosen in the profile (null: the browser's), for every time the page shows. */
const ChosenZone = createContext<string | null>(null);

export function TimeZoneProvider({ zone, children }: { zone: string | null; children: ReactNode }) {
  return <ChosenZone.Provider value={zone}>{children}</ChosenZone.Provider>;
}

// Read once per page: React asks for the snapshot on every render of every time shown, and
// building an Intl.DateTimeFormat each time cost seconds with hundreds of times on the page.
let pageZone: string | null = null;
const browserZone = () => (pageZone ??= Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
const noSubscription = () => () => undefined;

/**
 * The zone times are shown in: the profile's choice, else the browser's. On the server (and in
 * the first render, so hydration matches) an unset choice reads as UTC, which is named as such.
 */
export function useTimeZone(): string {
  const chosen = useContext(ChosenZone);
  const browser = useSyncExternalStore(noSubscription, browserZone, () => 'UTC');
  return chosen ?? browser;
}
