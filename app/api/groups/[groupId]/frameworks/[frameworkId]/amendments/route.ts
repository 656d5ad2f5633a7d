import { listAmendmentsAs, tableAmendmentAs } from '@/lib/services/amendments';
import { liveDocumentsIfRunning } from '@/lib/collab/live-documents';
import { handleReviewRoute, jsonBody, liveDocuments } from '../route-support';

type Context = { params: Promise<{ groupId: string; frameworkId: string }> };

/** Every amendment of the framework by number, each with what its target reads now. */
export async function GET(_request: Request, { params }: Context): Promise<Response> {
  return handleReviewRoute('amendments.list', async ({ db, userId }) => {
    const { groupId, frameworkId } = await params;
    const target = { workspaceId: groupId, frameworkId };
    const amendments = await listAmendmentsAs(db, liveDocumentsIfRunning(), userId, target);
    return Response.json({ amendments });
  });
}

/** Tables an amendment: { layerId, target, proposedText, justification?, party? }. */
export async function POST(request: Request, { params }: Context): Promise<Response> {
  return handleReviewRoute('amendments.table', async ({ db, userId }) => {
    const { groupId, frameworkId } = await params;
    const body = await jsonBody(request);
    const target = { workspaceId: groupId, frameworkId };
    const amendment = await tableAmendmentAs(db, liveDocuments(), userId, target, body);
    return Response.json({ amendment }, { status: 201 });
  });
}
