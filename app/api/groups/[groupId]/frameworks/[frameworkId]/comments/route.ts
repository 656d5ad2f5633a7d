import { createThreadAs, listThreadsAs } from '@/lib/services/comments';
import { handleReviewRoute, jsonBody, liveDocuments } from '../route-support';

type Context = { params: Promise<{ groupId: string; frameworkId: string }> };

export async function GET(_request: Request, { params }: Context): Promise<Response> {
  return handleReviewRoute('comments.list', async ({ db, userId }) => {
    const { groupId, frameworkId } = await params;
    const threads = await listThreadsAs(db, userId, { workspaceId: groupId, frameworkId });
    return Response.json({ threads });
  });
}

/** Starts a thread: { layerId, body, anchor? }; the quote is read from the document at the anchor. */
export async function POST(request: Request, { params }: Context): Promise<Response> {
  return handleReviewRoute('comments.create', async ({ db, userId }) => {
    const { groupId, frameworkId } = await params;
    const body = await jsonBody(request);
    const created = await createThreadAs(
      db,
      liveDocuments(),
      userId,
      {
        workspaceId: groupId,
        frameworkId,
      },
      body,
    );
    return Response.json(created, { status: 201 });
  });
}
