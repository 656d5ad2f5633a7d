/**
 * The Edit/Read choice, kept per user in a cookie of this browser so that the server renders
 * the framework page in the chosen mode (read mode's text is in the first response, not after
 * the scripts and the sync).
 */

export type ReadModeChoice = 'read' | 'edit';

const COOKIE_PREFIX = 'briefing-read-mode-';

/** Kept a year: it is a preference, not a credential. */
export const READ_MODE_COOKIE_MAX_AGE_S = 365 * 24 * 60 * 60;

/** The cookie holding one user's choice (user ids are UUIDs: valid cookie-name characters). */
export function readModeCookieName(userId: string): string {
  return `${COOKIE_PREFIX}${userId}`;
}

/** The choice a cookie value holds; null for anything else (never trusted beyond that). */
export function parseReadModeChoice(value: string | undefined | null): ReadModeChoice | null {
  return value === 'read' || value === 'edit' ? value : null;
}

/** Whether the page opens in read mode: the user's choice, else read for those who cannot edit. */
export function opensInReadMode(choice: ReadModeChoice | null, canEdit: boolean): boolean {
  return choice === null ? !canEdit : choice === 'read';
}
