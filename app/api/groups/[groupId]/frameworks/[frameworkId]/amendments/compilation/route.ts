import { compilationAs } from '@/lib/services/amendments';
import { handleReviewRoute, liveDocuments, downloadResponse } from '../../route-support';

type Context = { params: Promise<{ groupId: string; frameworkId: string }> };

/** Downloads the compilation of amendments: ?format=docx|html. */
export async function GET(request: Request, { params }: Context): Promise<Response> {
  return handleReviewRoute('amendments.compilation', async ({ db, userId }) => {
    const { groupId, frameworkId } = await params;
    const format = new URL(request.url).searchParams.get('format');
    const target = { workspaceId: groupId, frameworkId };
    const file = await compilationAs(db, liveDocuments(), userId, target, format);
    return downloadResponse(file);
  });
}
