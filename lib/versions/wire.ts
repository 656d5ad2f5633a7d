/**
 * Named versions' wire contract: the limits the save form (as maxLength) and the service (as zod
 * bounds) share, and the people a comparison names. Pure, so the client bundle can import it.
 */

export const MAX_VERSION_NAME_LENGTH = 100;
export const MAX_VERSION_NOTE_LENGTH = 1000;

/** Someone who changed something in a comparison: the key used in it, a name and initials. */
export interface ChangeAuthor {
  key: string;
  name: string;
  initials: string;
}
