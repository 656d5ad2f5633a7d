import { AppError } from '@/lib/errors';
import { listVersionsAs, saveVersionAs } from '@/lib/services/versions';
import { handleReviewRoute, jsonBody, liveDocuments } from '../route-support';

type Context = { params: Promise<{ groupId: string; frameworkId: string }> };

/** The framework's named versions, newest first, with author and time. */
export async function GET(_request: Request, { params }: Context): Promise<Response> {
  return handleReviewRoute('version.list', async ({ db, userId }) => {
    const { groupId, frameworkId } = await params;
    const versions = await listVersionsAs(db, userId, { workspaceId: groupId, frameworkId });
    return Response.json({ versions });
  });
}

/** Saves the current state as a named version: { name, note }. */
export async function POST(request: Request, { params }: Context): Promise<Response> {
  return handleReviewRoute('version.save', async ({ db, userId }) => {
    const { groupId, frameworkId } = await params;
    const body = await jsonBody(request);
    const version = await saveVersionAs(
      db,
      liveOrNull(),
      userId,
      { workspaceId: groupId, frameworkId },
      body,
    );
    return Response.json({ version }, { status: 201 });
  });
}

/** The live documents, or null when no sync server runs in this process (stored state then). */
function liveOrNull() {
  try {
    return liveDocuments();
  } catch (error) {
    if (error instanceof AppError && error.kind === 'unavailable') return null;
    throw error;
  }
}
