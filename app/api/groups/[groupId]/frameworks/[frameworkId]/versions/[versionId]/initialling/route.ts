import { getCurrentUser } from '@/app/(auth)/current-user';
import { freezeVersionAs, initialVersionAs, readInitiallingAs } from '@/lib/services/initialling';
import { handleReviewRoute, jsonBody } from '../../../route-support';

type Context = { params: Promise<{ groupId: string; frameworkId: string; versionId: string }> };

/** Where initialling of this version stands: hash, delegations asked, initials, who is missing. */
export async function GET(_request: Request, { params }: Context): Promise<Response> {
  return handleReviewRoute('version.initialling', async ({ db, userId }) => {
    const { groupId, frameworkId, versionId } = await params;
    const target = { workspaceId: groupId, frameworkId };
    return Response.json(await readInitiallingAs(db, userId, target, versionId));
  });
}

/**
 * `{ "action": "freeze", "parties"?: [...], "deadline"?: ISO }` (owners) or
 * `{ "action": "initial", "hash": "<the hash you were shown>" }` (a delegation's member).
 */
export async function POST(request: Request, { params }: Context): Promise<Response> {
  return handleReviewRoute('version.initialling', async ({ db, userId }) => {
    const { groupId, frameworkId, versionId } = await params;
    const target = { workspaceId: groupId, frameworkId };
    const body = await jsonBody(request);
    const action =
      typeof body === 'object' && body !== null && 'action' in body ? body.action : null;
    if (action === 'freeze') {
      return Response.json(await freezeVersionAs(db, userId, target, versionId, body));
    }
    const user = await getCurrentUser();
    return Response.json(
      await initialVersionAs(db, userId, user?.name ?? 'Member', target, versionId, body),
    );
  });
}
