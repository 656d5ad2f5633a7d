import { tableCompromiseAs } from '@/lib/services/amendments';
import { handleReviewRoute, jsonBody, liveDocuments } from '../../route-support';

type Context = { params: Promise<{ groupId: string; frameworkId: string }> };

/** The chair's compromise: { sources: [numbers], proposedText, justification? }. */
export async function POST(request: Request, { params }: Context): Promise<Response> {
  return handleReviewRoute('amendments.compromise', async ({ db, userId }) => {
    const { groupId, frameworkId } = await params;
    const body = await jsonBody(request);
    const target = { workspaceId: groupId, frameworkId };
    const amendment = await tableCompromiseAs(db, liveDocuments(), userId, target, body);
    return Response.json({ amendment }, { status: 201 });
  });
}
