/**
 * The review workflow's wire contract: what the comment and review routes send to the browser,
 * and the limits both the forms (as maxLength) and the services (as zod bounds) enforce. Pure
 * types and numbers, so the client bundle can import it without pulling in the services.
 */

/** Bounded so one comment cannot bloat every reader's thread list. */
export const MAX_COMMENT_LENGTH = 5000;

/** A reason given with a review command (overriding an opposition, breaking silence). */
export const MAX_REVIEW_REASON_LENGTH = 1000;

/** What readers get: hidden and deleted comments lose their text. */
export type CommentView = {
  id: string;
  authorId: string | null;
  authorName: string | null;
  /** The delegation the author speaks for (null: secretariat, or no longer a member). */
  authorDelegation: string | null;
  body: string;
  createdAt: string;
  edited: boolean;
  deleted: boolean;
  hidden: boolean;
};

/** A thread as every reader of the framework sees it (the same for all: no per-user fields). */
export type ThreadView = {
  id: string;
  layerId: string;
  anchor: { start: string; end: string } | null;
  quote: string | null;
  createdBy: string | null;
  createdAt: string;
  resolved: boolean;
  comments: CommentView[];
};
