import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { replyAs, setResolvedAs } from '@/lib/services/comments';
import { handleReviewRoute, jsonBody, liveDocuments } from '../../route-support';

type Context = { params: Promise<{ groupId: string; frameworkId: string; threadId: string }> };

/** Replies to a thread: { body }. */
export async function POST(request: Request, { params }: Context): Promise<Response> {
  return handleReviewRoute('comments.reply', async ({ db, userId }) => {
    const { groupId, frameworkId, threadId } = await params;
    const body = await jsonBody(request);
    const created = await replyAs(
      db,
      liveDocuments(),
      userId,
      {
        workspaceId: groupId,
        frameworkId,
        threadId,
      },
      body,
    );
    return Response.json(created, { status: 201 });
  });
}

/** Resolves or reopens: { resolved: boolean }. */
export async function PATCH(request: Request, { params }: Context): Promise<Response> {
  return handleReviewRoute('comments.resolve', async ({ db, userId }) => {
    const { groupId, frameworkId, threadId } = await params;
    const parsed = z.object({ resolved: z.boolean() }).safeParse(await jsonBody(request));
    if (!parsed.success) throw new AppError('bad_request', 'Send { "resolved": true|false }.');
    await setResolvedAs(
      db,
      liveDocuments(),
      userId,
      { workspaceId: groupId, frameworkId, threadId },
      parsed.data.resolved,
    );
    return Response.json({ ok: true });
  });
}
