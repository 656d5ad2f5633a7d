import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { deleteCommentAs, editCommentAs, hideCommentAs } from '@/lib/services/comments';
import { handleReviewRoute, jsonBody, liveDocuments } from '../../../../route-support';

type Context = {
  params: Promise<{ groupId: string; frameworkId: string; threadId: string; commentId: string }>;
};

async function refOf(params: Context['params']) {
  const { groupId, frameworkId, threadId, commentId } = await params;
  return { workspaceId: groupId, frameworkId, threadId, commentId };
}

/** Edits your own comment: { body }. */
export async function PATCH(request: Request, { params }: Context): Promise<Response> {
  return handleReviewRoute('comments.edit', async ({ db, userId }) => {
    await editCommentAs(db, liveDocuments(), userId, await refOf(params), await jsonBody(request));
    return Response.json({ ok: true });
  });
}

/** Deletes your own comment. */
export async function DELETE(_request: Request, { params }: Context): Promise<Response> {
  return handleReviewRoute('comments.delete', async ({ db, userId }) => {
    await deleteCommentAs(db, liveDocuments(), userId, await refOf(params));
    return Response.json({ ok: true });
  });
}

/** Owners hide a comment: { hide: true } (logged). */
export async function POST(request: Request, { params }: Context): Promise<Response> {
  return handleReviewRoute('comments.hide', async ({ db, userId }) => {
    const parsed = z.object({ hide: z.literal(true) }).safeParse(await jsonBody(request));
    if (!parsed.success) throw new AppError('bad_request', 'Send { "hide": true }.');
    await hideCommentAs(db, liveDocuments(), userId, await refOf(params));
    return Response.json({ ok: true });
  });
}
