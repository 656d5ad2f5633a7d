import { z } from 'zod';
import type { Database } from '../../db/client';
import { recordAudit } from '../../db/queries/audit';
import {
  addComment,
  createThread,
  findComment,
  findThread,
  listInbox,
  listMemberNames,
  listThreads,
  markCommentDeleted,
  markCommentHidden,
  setThreadResolved,
  updateCommentBody,
  type InboxItem,
  type ThreadWithComments,
} from '../../db/queries/comments';
import { recordReviewEvent } from '../../db/queries/review';
import type { Framework } from '../../db/schema';
import type { LiveDocuments } from '../collab/live-documents';
import { AppError, forbidden, notFound } from '../errors';
import { can } from '../permissions';
import { uuidSchema } from '../validation';
import { MAX_COMMENT_LENGTH, type CommentView, type ThreadView } from '../review/wire';
import { parseInput, requireFramework, type FrameworkTarget } from './access';
import { queueCommentNotifications } from './notifications';
import { withoutRefusingGroups } from './second-factor-requirement';

/**
 * Review comments: threads on a layer or on a passage of its narrative (anchored with Yjs
 * relative positions the browser computes), replies, resolve/reopen, edit and delete your own,
 * owners hide (logged). Authorship comes from the session, never from the request.
 */

export { MAX_COMMENT_LENGTH, type CommentView, type ThreadView };

export const commentBodySchema = z
  .string()
  .trim()
  .min(1, 'Write a comment first.')
  .max(MAX_COMMENT_LENGTH, `A comment has at most ${MAX_COMMENT_LENGTH} characters.`);

/** A relative position as the browser encodes it (base64 of Y.encodeRelativePosition). */
const anchorPart = z
  .string()
  .max(1000)
  .regex(/^[A-Za-z0-9+/=]+$/, 'Invalid anchor.');

/**
 * A new thread. No quote: the server reads the quoted passage from the live document at the
 * anchor (a `quote` the browser still sends is dropped with the other unknown keys).
 */
export const newThreadSchema = z.object({
  layerId: z.string().min(1).max(100),
  body: commentBodySchema,
  anchor: z.object({ start: anchorPart, end: anchorPart }).nullish(),
});

/** Members named with @Name in the body (longest names first, so "@Ann Lee" beats "@Ann"). */
async function mentionsIn(db: Database, workspaceId: string, body: string): Promise<string[]> {
  const members = await listMemberNames(db, workspaceId);
  const found = new Set<string>();
  const lower = body.toLocaleLowerCase('en');
  for (const m of [...members].sort((a, b) => b.name.length - a.name.length)) {
    if (lower.includes(`@${m.name.toLocaleLowerCase('en')}`)) found.add(m.id);
  }
  return [...found];
}

/** Above this a notice does not carry the thread (readers refetch): bounds every socket's cost. */
const MAX_PUSHED_THREAD_CHARS = 64 * 1024;

/**
 * Tells the document's readers that a thread changed, carrying the thread as they would fetch
 * it (one read here instead of one request per reader). Best effort: the change is stored; a
 * reader that misses the notice sees it on its next refetch.
 */
async function notify(
  db: Database,
  live: LiveDocuments | null,
  frameworkId: string,
  thread: { id: string; layerId: string },
): Promise<void> {
  if (!live) return;
  let pushed: string | null = null;
  try {
    const [view] = (await listThreads(db, frameworkId, [thread.id])).map(threadView);
    const json = view ? JSON.stringify(view) : null;
    pushed = json && json.length <= MAX_PUSHED_THREAD_CHARS ? json : null;
  } catch {
    // Without the thread the notice still makes every reader refetch.
  }
  live.notices.commentsChanged(frameworkId, { layerId: thread.layerId, thread: pushed });
}

async function event(
  db: Database,
  framework: Framework,
  actorId: string,
  layerId: string,
  kind: string,
  details: Record<string, string | null> = {},
) {
  await recordReviewEvent(db, {
    workspaceId: framework.workspaceId,
    frameworkId: framework.id,
    layerId,
    actorId,
    kind,
    details,
  });
}

export async function listThreadsAs(
  db: Database,
  userId: string,
  target: FrameworkTarget,
): Promise<ThreadView[]> {
  const { framework } = await requireFramework(db, userId, target, 'framework.read');
  const threads = await listThreads(db, framework.id);
  return threads.map(threadView);
}

/** A thread as every reader of the framework sees it (the same for all: no per-user fields). */
function threadView(t: ThreadWithComments): ThreadView {
  return {
    id: t.id,
    layerId: t.layerId,
    anchor: t.anchor ?? null,
    quote: t.quote,
    createdBy: t.createdBy,
    createdAt: t.createdAt.toISOString(),
    resolved: t.resolvedAt !== null,
    comments: t.comments.map((c) => ({
      id: c.id,
      authorId: c.authorId,
      authorName: c.authorName,
      authorDelegation: c.authorDelegation,
      body: c.hiddenAt || c.deletedAt ? '' : c.body,
      createdAt: c.createdAt.toISOString(),
      edited: c.editedAt !== null,
      deleted: c.deletedAt !== null,
      hidden: c.hiddenAt !== null,
    })),
  };
}

export async function createThreadAs(
  db: Database,
  live: LiveDocuments | null,
  userId: string,
  target: FrameworkTarget,
  input: unknown,
): Promise<{ threadId: string }> {
  const where = 'comment.create';
  const { framework } = await requireFramework(db, userId, target, 'document.comment');
  const data = parseInput(newThreadSchema, input, where);
  // The quote is what the document says at the anchor, never the client's claim; without a sync
  // server in this process there is nothing to read it from, so the thread has none.
  let quote: string | null = null;
  if (live) {
    if (!(await live.queries.layerExists(framework.id, data.layerId))) {
      throw notFound('Layer', where);
    }
    if (data.anchor) {
      quote = await live.queries.passageText(framework.id, data.layerId, data.anchor);
      if (quote === null) {
        throw new AppError(
          'bad_request',
          'The selected passage is not in the text of this layer (it may just have been deleted). Select it again.',
          where,
        );
      }
    }
  }
  const mentions = await mentionsIn(db, framework.workspaceId, data.body);
  const thread = await db.transaction(async (tx) => {
    const created = await createThread(tx, {
      frameworkId: framework.id,
      layerId: data.layerId,
      anchor: data.anchor ?? null,
      quote,
      createdBy: userId,
    });
    await addComment(tx, { threadId: created.id, authorId: userId, body: data.body, mentions });
    await event(tx, framework, userId, data.layerId, 'comment.created', {
      threadId: created.id,
      quote,
    });
    await queueCommentNotifications(tx, {
      framework,
      actorId: userId,
      threadId: created.id,
      body: data.body,
      mentions,
      isReply: false,
    });
    return created;
  });
  await notify(db, live, framework.id, thread);
  return { threadId: thread.id };
}

async function requireThread(
  db: Database,
  userId: string,
  target: FrameworkTarget & { threadId: string },
  action: 'document.comment' | 'framework.read' | 'comment.hide',
  where: string,
) {
  const access = await requireFramework(db, userId, target, action);
  if (!uuidSchema.safeParse(target.threadId).success) throw notFound('Thread', where);
  const thread = await findThread(db, access.framework.id, target.threadId);
  if (!thread) throw notFound('Thread', where);
  return { ...access, thread };
}

export async function replyAs(
  db: Database,
  live: LiveDocuments | null,
  userId: string,
  target: FrameworkTarget & { threadId: string },
  input: unknown,
): Promise<{ commentId: string }> {
  const where = 'comment.reply';
  const { framework, thread } = await requireThread(db, userId, target, 'document.comment', where);
  const body = parseInput(z.object({ body: commentBodySchema }), input, where).body;
  const mentions = await mentionsIn(db, framework.workspaceId, body);
  const comment = await db.transaction(async (tx) => {
    const created = await addComment(tx, { threadId: thread.id, authorId: userId, body, mentions });
    await event(tx, framework, userId, thread.layerId, 'comment.replied', { threadId: thread.id });
    await queueCommentNotifications(tx, {
      framework,
      actorId: userId,
      threadId: thread.id,
      body,
      mentions,
      isReply: true,
    });
    return created;
  });
  await notify(db, live, framework.id, thread);
  return { commentId: comment.id };
}

export async function setResolvedAs(
  db: Database,
  live: LiveDocuments | null,
  userId: string,
  target: FrameworkTarget & { threadId: string },
  resolved: boolean,
): Promise<void> {
  const where = 'comment.resolve';
  const { framework, thread } = await requireThread(db, userId, target, 'document.comment', where);
  if ((thread.resolvedAt !== null) === resolved) return;
  await db.transaction(async (tx) => {
    await setThreadResolved(tx, thread.id, resolved ? userId : null);
    await event(
      tx,
      framework,
      userId,
      thread.layerId,
      resolved ? 'comment.resolved' : 'comment.reopened',
      {
        threadId: thread.id,
      },
    );
  });
  await notify(db, live, framework.id, thread);
}

async function requireOwnComment(
  db: Database,
  userId: string,
  target: FrameworkTarget & { threadId: string; commentId: string },
  where: string,
) {
  const { framework } = await requireThread(db, userId, target, 'document.comment', where);
  if (!uuidSchema.safeParse(target.commentId).success) throw notFound('Comment', where);
  const found = await findComment(db, framework.id, target.threadId, target.commentId);
  if (!found) throw notFound('Comment', where);
  // Authorship is the server's record, never the request's claim.
  if (found.comment.authorId !== userId) {
    throw forbidden('You can only change your own comments.', where);
  }
  if (found.comment.deletedAt || found.comment.hiddenAt) {
    throw forbidden('This comment can no longer be changed.', where);
  }
  return { framework, ...found };
}

export async function editCommentAs(
  db: Database,
  live: LiveDocuments | null,
  userId: string,
  target: FrameworkTarget & { threadId: string; commentId: string },
  input: unknown,
): Promise<void> {
  const where = 'comment.edit';
  const { framework, comment, thread } = await requireOwnComment(db, userId, target, where);
  const body = parseInput(z.object({ body: commentBodySchema }), input, where).body;
  await updateCommentBody(db, comment.id, body);
  await notify(db, live, framework.id, thread);
}

export async function deleteCommentAs(
  db: Database,
  live: LiveDocuments | null,
  userId: string,
  target: FrameworkTarget & { threadId: string; commentId: string },
): Promise<void> {
  const where = 'comment.delete';
  const { framework, comment, thread } = await requireOwnComment(db, userId, target, where);
  await db.transaction(async (tx) => {
    await markCommentDeleted(tx, comment.id);
    await event(tx, framework, userId, thread.layerId, 'comment.deleted', { threadId: thread.id });
  });
  await notify(db, live, framework.id, thread);
}

/** Owners hide a comment (e.g. abuse); the hiding is logged in the activity and the audit log. */
export async function hideCommentAs(
  db: Database,
  live: LiveDocuments | null,
  userId: string,
  target: FrameworkTarget & { threadId: string; commentId: string },
): Promise<void> {
  const where = 'comment.hide';
  const { framework, thread } = await requireThread(db, userId, target, 'comment.hide', where);
  const found = uuidSchema.safeParse(target.commentId).success
    ? await findComment(db, framework.id, thread.id, target.commentId)
    : undefined;
  if (!found) throw notFound('Comment', where);
  if (found.comment.hiddenAt) return;
  await db.transaction(async (tx) => {
    await markCommentHidden(tx, found.comment.id, userId);
    await event(tx, framework, userId, thread.layerId, 'comment.hidden', {
      threadId: thread.id,
      commentId: found.comment.id,
      authorId: found.comment.authorId,
    });
    await recordAudit(tx, {
      workspaceId: framework.workspaceId,
      actorId: userId,
      action: 'comment.hidden',
      targetType: 'comment',
      targetId: found.comment.id,
      details: { frameworkId: framework.id, authorId: found.comment.authorId },
    });
  });
  await notify(db, live, framework.id, thread);
}

export async function inboxOf(db: Database, userId: string): Promise<InboxItem[]> {
  return withoutRefusingGroups(db, userId, await listInbox(db, userId));
}

export const canComment = (role: Parameters<typeof can>[0]) => can(role, 'document.comment');
