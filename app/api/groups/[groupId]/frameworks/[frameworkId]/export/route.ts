import { exportFrameworkAs, parseExportQuery } from '@/lib/services/export';
import { handleReviewRoute, liveDocuments, downloadResponse } from '../route-support';

type Context = { params: Promise<{ groupId: string; frameworkId: string }> };

/** Downloads the framework: ?format=docx|pdf|md|html&agreedOnly=1&comments=1&version=<id>. */
export async function GET(request: Request, { params }: Context): Promise<Response> {
  return handleReviewRoute('framework.export', async ({ db, userId }) => {
    const { groupId, frameworkId } = await params;
    const query = parseExportQuery(new URL(request.url).searchParams);
    const target = { workspaceId: groupId, frameworkId };
    const file = await exportFrameworkAs(db, liveDocuments(), userId, target, query);
    return downloadResponse(file);
  });
}
