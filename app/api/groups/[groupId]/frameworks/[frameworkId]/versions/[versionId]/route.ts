import { compareWithAuthorsAs, readVersionAs, restoreVersionAs } from '@/lib/services/versions';
import { handleReviewRoute, liveDocuments } from '../../route-support';

type Context = { params: Promise<{ groupId: string; frameworkId: string; versionId: string }> };

/**
 * A version as a read-only view; with ?compare=current or ?compare=<versionId>, what changed
 * from this version to that state instead, and who changed it.
 */
export async function GET(request: Request, { params }: Context): Promise<Response> {
  return handleReviewRoute('version.read', async ({ db, userId }) => {
    const { groupId, frameworkId, versionId } = await params;
    const target = { workspaceId: groupId, frameworkId };
    const compare = new URL(request.url).searchParams.get('compare');
    if (compare) {
      const report = await compareWithAuthorsAs(
        db,
        liveDocuments(),
        userId,
        target,
        versionId,
        compare,
      );
      // `comparison` (layer level) as before; `changes` adds word diffs and who made them.
      return Response.json({
        comparison: report.result.comparison,
        changes: report.result,
        people: report.people,
      });
    }
    return Response.json(await readVersionAs(db, userId, target, versionId));
  });
}

/** Restores this version as a new change on top of the current state. */
export async function POST(_request: Request, { params }: Context): Promise<Response> {
  return handleReviewRoute('version.restore', async ({ db, userId }) => {
    const { groupId, frameworkId, versionId } = await params;
    const target = { workspaceId: groupId, frameworkId };
    const result = await restoreVersionAs(db, liveDocuments(), userId, target, versionId);
    return Response.json(result);
  });
}
