const INVITE_PATH = /^\/invite\/([A-Za-z0-9_-]{1,200})$/;

/**
 * The invite token of a return path that leads back to an invite page ("/invite/<token>"): how a
 * sign-up or a first single sign-on started from an invite link shows that it did.
 */
export function inviteTokenOfReturnPath(path: string | null | undefined): string | null {
  return INVITE_PATH.exec(path ?? '')?.[1] ?? null;
}
