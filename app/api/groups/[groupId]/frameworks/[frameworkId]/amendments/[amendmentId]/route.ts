import { actOnAmendmentAs } from '@/lib/services/amendments';
import { handleReviewRoute, jsonBody, liveDocuments } from '../../route-support';

type Context = { params: Promise<{ groupId: string; frameworkId: string; amendmentId: string }> };

/** One act: { action: cosponsor | leave | withdraw | reject (reason) | accept (overCurrent?) }. */
export async function POST(request: Request, { params }: Context): Promise<Response> {
  return handleReviewRoute('amendments.act', async ({ db, userId }) => {
    const { groupId, frameworkId, amendmentId } = await params;
    const body = await jsonBody(request);
    const target = { workspaceId: groupId, frameworkId, amendmentId };
    const amendment = await actOnAmendmentAs(db, liveDocuments(), userId, target, body);
    return Response.json({ amendment });
  });
}
