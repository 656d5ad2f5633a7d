import { and, asc, desc, eq, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Database } from '../client';
import {
  commentMentions,
  commentThreads,
  comments,
  frameworks,
  memberships,
  users,
  type Comment,
  type CommentAnchor,
  type CommentThread,
} from '../schema';

/** A comment with its author's name and (current) delegation in the framework's group. */
export type CommentRow = Comment & { authorName: string | null; authorDelegation: string | null };
export type ThreadWithComments = CommentThread & { comments: CommentRow[] };

export async function createThread(
  db: Database,
  input: {
    frameworkId: string;
    layerId: string;
    anchor: CommentAnchor | null;
    quote: string | null;
    createdBy: string;
  },
): Promise<CommentThread> {
  const [thread] = await db.insert(commentThreads).values(input).returning();
  return thread!;
}

export async function addComment(
  db: Database,
  input: { threadId: string; authorId: string; body: string; mentions: string[] },
): Promise<Comment> {
  const [comment] = await db
    .insert(comments)
    .values({ threadId: input.threadId, authorId: input.authorId, body: input.body })
    .returning();
  if (input.mentions.length > 0) {
    await db
      .insert(commentMentions)
      .values(input.mentions.map((userId) => ({ commentId: comment!.id, userId })))
      .onConflictDoNothing();
  }
  return comment!;
}

/** Every thread of a framework (or those of `only`) with its comments in order. */
export async function listThreads(
  db: Database,
  frameworkId: string,
  only?: string[],
): Promise<ThreadWithComments[]> {
  const threads = await db
    .select()
    .from(commentThreads)
    .where(
      and(
        eq(commentThreads.frameworkId, frameworkId),
        only ? inArray(commentThreads.id, only) : undefined,
      ),
    )
    .orderBy(asc(commentThreads.createdAt), asc(commentThreads.id));
  if (threads.length === 0) return [];
  const rows = await db
    .select({ comment: comments, authorName: users.name, authorDelegation: memberships.delegation })
    .from(comments)
    .leftJoin(users, eq(users.id, comments.authorId))
    .leftJoin(frameworks, eq(frameworks.id, frameworkId))
    .leftJoin(
      memberships,
      and(
        eq(memberships.workspaceId, frameworks.workspaceId),
        eq(memberships.userId, comments.authorId),
      ),
    )
    .where(
      inArray(
        comments.threadId,
        threads.map((t) => t.id),
      ),
    )
    .orderBy(asc(comments.createdAt), asc(comments.id));
  const byThread = new Map<string, CommentRow[]>();
  for (const r of rows) {
    const list = byThread.get(r.comment.threadId) ?? [];
    list.push({ ...r.comment, authorName: r.authorName, authorDelegation: r.authorDelegation });
    byThread.set(r.comment.threadId, list);
  }
  return threads.map((t) => ({ ...t, comments: byThread.get(t.id) ?? [] }));
}

/** A thread of the framework, or undefined (another framework's thread is not found). */
export async function findThread(
  db: Database,
  frameworkId: string,
  threadId: string,
): Promise<CommentThread | undefined> {
  const [thread] = await db
    .select()
    .from(commentThreads)
    .where(and(eq(commentThreads.id, threadId), eq(commentThreads.frameworkId, frameworkId)));
  return thread;
}

/** A comment of a thread of the framework, or undefined. */
export async function findComment(
  db: Database,
  frameworkId: string,
  threadId: string,
  commentId: string,
): Promise<{ comment: Comment; thread: CommentThread } | undefined> {
  const [row] = await db
    .select({ comment: comments, thread: commentThreads })
    .from(comments)
    .innerJoin(commentThreads, eq(commentThreads.id, comments.threadId))
    .where(
      and(
        eq(comments.id, commentId),
        eq(comments.threadId, threadId),
        eq(commentThreads.frameworkId, frameworkId),
      ),
    );
  return row;
}

export async function setThreadResolved(
  db: Database,
  threadId: string,
  resolvedBy: string | null,
): Promise<void> {
  await db
    .update(commentThreads)
    .set(
      resolvedBy ? { resolvedAt: new Date(), resolvedBy } : { resolvedAt: null, resolvedBy: null },
    )
    .where(eq(commentThreads.id, threadId));
}

export async function updateCommentBody(
  db: Database,
  commentId: string,
  body: string,
): Promise<void> {
  await db.update(comments).set({ body, editedAt: new Date() }).where(eq(comments.id, commentId));
}

/** Deleted by its author: the text goes, the row stays so the thread still reads in order. */
export async function markCommentDeleted(db: Database, commentId: string): Promise<void> {
  await db
    .update(comments)
    .set({ body: '', deletedAt: new Date() })
    .where(eq(comments.id, commentId));
  await db.delete(commentMentions).where(eq(commentMentions.commentId, commentId));
}

export async function markCommentHidden(
  db: Database,
  commentId: string,
  hiddenBy: string,
): Promise<void> {
  await db
    .update(comments)
    .set({ hiddenAt: new Date(), hiddenBy })
    .where(eq(comments.id, commentId));
}

export type InboxItem = {
  reason: 'mention' | 'reply';
  commentId: string;
  threadId: string;
  layerId: string;
  body: string;
  authorName: string | null;
  createdAt: Date;
  frameworkId: string;
  frameworkTitle: string;
  workspaceId: string;
};

/**
 * Mentions of the user and replies by others in threads the user wrote in, in groups the user is
 * still a member of; newest first. Deleted and hidden comments are left out.
 */
export async function listInbox(db: Database, userId: string, limit = 100): Promise<InboxItem[]> {
  const mine = alias(comments, 'mine');
  const rows = await db
    .selectDistinctOn([comments.createdAt, comments.id], {
      comment: comments,
      thread: commentThreads,
      authorName: users.name,
      frameworkTitle: frameworks.title,
      workspaceId: frameworks.workspaceId,
      mentioned: sql<boolean>`exists (select 1 from ${commentMentions} where ${commentMentions.commentId} = ${comments.id} and ${commentMentions.userId} = ${userId})`,
    })
    .from(comments)
    .innerJoin(commentThreads, eq(commentThreads.id, comments.threadId))
    .innerJoin(frameworks, eq(frameworks.id, commentThreads.frameworkId))
    .innerJoin(
      memberships,
      and(eq(memberships.workspaceId, frameworks.workspaceId), eq(memberships.userId, userId)),
    )
    .leftJoin(users, eq(users.id, comments.authorId))
    .leftJoin(commentMentions, eq(commentMentions.commentId, comments.id))
    .leftJoin(mine, and(eq(mine.threadId, comments.threadId), eq(mine.authorId, userId)))
    .where(
      and(
        isNull(comments.deletedAt),
        isNull(comments.hiddenAt),
        or(isNull(comments.authorId), ne(comments.authorId, userId)),
        or(
          eq(commentMentions.userId, userId),
          and(sql`${mine.id} is not null`, sql`${mine.createdAt} < ${comments.createdAt}`),
        ),
      ),
    )
    .orderBy(desc(comments.createdAt), desc(comments.id))
    .limit(limit);
  return rows.map((r) => ({
    reason: r.mentioned ? 'mention' : 'reply',
    commentId: r.comment.id,
    threadId: r.thread.id,
    layerId: r.thread.layerId,
    body: r.comment.body,
    authorName: r.authorName,
    createdAt: r.comment.createdAt,
    frameworkId: r.thread.frameworkId,
    frameworkTitle: r.frameworkTitle,
    workspaceId: r.workspaceId,
  }));
}

/** Members of a group by id and name (for resolving @mentions). */
export async function listMemberNames(
  db: Database,
  workspaceId: string,
): Promise<Array<{ id: string; name: string }>> {
  return db
    .select({ id: users.id, name: users.name })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.workspaceId, workspaceId));
}
