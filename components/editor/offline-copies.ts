import type { IndexeddbPersistence } from 'y-indexeddb';

/**
 * The offline copies of frameworks in this browser: one IndexedDB database per user and
 * framework (y-indexeddb), holding the document's full text. They are dropped when the user
 * signs out, when the server closes the socket because access is gone, and, on any signed-in
 * page, for every other user (and the unkeyed `framework:<id>` copies of older versions).
 */

const PREFIX = 'framework:';

/** The database of one user's offline copy of one framework. */
export function offlineCopyName(userId: string, frameworkId: string): string {
  return `${PREFIX}${userId}:${frameworkId}`;
}

/**
 * Copies open in this page. They are closed before their database is deleted: a live copy would
 * otherwise write the database back on the next change.
 */
const openCopies = new Set<IndexeddbPersistence>();

/** Keeps `copy` known to the clearing functions until the returned function is called. */
export function trackOfflineCopy(copy: IndexeddbPersistence): () => void {
  openCopies.add(copy);
  return () => openCopies.delete(copy);
}

/**
 * After sign-out no page may open a new copy: a render between the sign-out and the navigation
 * away would otherwise write the database back. Signing in (clearing for a user) lifts it.
 */
let signedOut = false;

/** Whether an editor may keep an offline copy now. */
export function mayKeepOfflineCopy(): boolean {
  return !signedOut;
}

/** How long a deletion blocked by a connection still closing (another tab) may hold sign-out. */
const BLOCKED_DELETE_WAIT_MS = 3000;

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    // Failing to delete must not hold sign-out forever. "Blocked" means a connection is still
    // open or closing (a transaction of this page finishing, another tab): y-indexeddb closes on
    // the version change, so the deletion completes then; wait for it, but not without bound.
    request.onerror = () => resolve();
    request.onblocked = () => setTimeout(resolve, BLOCKED_DELETE_WAIT_MS);
  });
}

/** Closes an open copy and deletes its database (access to its framework is gone). */
export async function dropOfflineCopy(copy: IndexeddbPersistence): Promise<void> {
  openCopies.delete(copy);
  await copy.destroy();
  await deleteDatabase(copy.name);
}

/** Deletes the database of one copy that is not open (e.g. a viewer's leftover). */
export async function deleteOfflineCopy(userId: string, frameworkId: string): Promise<void> {
  if (typeof indexedDB === 'undefined') return;
  await deleteDatabase(offlineCopyName(userId, frameworkId));
}

/**
 * Deletes every framework database of this browser, except those of `keepUserId` when given
 * (signed in: the copies of whoever used this browser before go).
 */
export async function clearOfflineCopies(keepUserId?: string): Promise<void> {
  if (typeof indexedDB === 'undefined') return;
  signedOut = !keepUserId;
  const kept = keepUserId ? `${PREFIX}${keepUserId}:` : null;
  const goes = (name: string) => name.startsWith(PREFIX) && !(kept && name.startsWith(kept));
  const closing = [...openCopies].filter((copy) => goes(copy.name));
  for (const copy of closing) openCopies.delete(copy);
  await Promise.all(closing.map((copy) => copy.destroy()));
  const names = new Set(closing.map((copy) => copy.name));
  // indexedDB.databases() is in every current browser; without it only open copies are known.
  if (typeof indexedDB.databases === 'function') {
    for (const { name } of await indexedDB.databases()) if (name && goes(name)) names.add(name);
  }
  await Promise.all([...names].map(deleteDatabase));
}

/**
 * Deletes this user's copies of frameworks they may no longer read (removed while no page of it
 * was open). `stillReadable` answers which of the ids to keep, or null when it cannot tell
 * (offline, server error): then everything is kept, since a copy may hold unsaved edits.
 */
export async function pruneOfflineCopies(
  userId: string,
  stillReadable: (frameworkIds: string[]) => Promise<string[] | null>,
): Promise<void> {
  if (typeof indexedDB === 'undefined' || typeof indexedDB.databases !== 'function') return;
  const own = `${PREFIX}${userId}:`;
  const open = new Set([...openCopies].map((copy) => copy.name));
  const names = (await indexedDB.databases())
    .map((d) => d.name ?? '')
    .filter((name) => name.startsWith(own) && !open.has(name));
  if (names.length === 0) return;
  const keep = await stillReadable(names.map((name) => name.slice(own.length)));
  if (!keep) return;
  const kept = new Set(keep);
  await Promise.all(names.filter((name) => !kept.has(name.slice(own.length))).map(deleteDatabase));
}
