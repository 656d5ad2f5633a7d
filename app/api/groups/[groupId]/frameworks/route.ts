import { z } from 'zod';
import { getCurrentUser } from '@/app/(auth)/current-user';
import { getDb } from '@/db/client';
import { listFrameworks } from '@/db/queries/frameworks';
import { AppError } from '@/lib/errors';
import { errorResponse } from '@/lib/http';
import { requireMember } from '@/lib/services/access';
import { createFrameworkAs } from '@/lib/services/frameworks';
import { log } from '@/lib/log';

type Context = { params: Promise<{ groupId: string }> };

const createBody = z.object({ title: z.string(), template: z.string().optional() });
const logError = (error: unknown) => log.error({ err: error }, 'frameworks route failed');

async function signedInUserId(): Promise<string> {
  const user = await getCurrentUser();
  if (!user) throw new AppError('unauthorized', 'Sign in first.');
  return user.id;
}

/** Lists the group's active frameworks (any member). */
export async function GET(_request: Request, { params }: Context): Promise<Response> {
  try {
    const { groupId } = await params;
    const db = await getDb();
    await requireMember(db, await signedInUserId(), groupId, 'framework.read');
    const frameworks = await listFrameworks(db, groupId, { archived: false });
    return Response.json({
      frameworks: frameworks.map((f) => ({ id: f.id, title: f.title, updatedAt: f.updatedAt })),
    });
  } catch (error) {
    return errorResponse(error, logError);
  }
}

/** Creates a framework (editors and owners). */
export async function POST(request: Request, { params }: Context): Promise<Response> {
  try {
    const { groupId } = await params;
    const userId = await signedInUserId();
    const body = createBody.safeParse(await request.json().catch(() => null));
    if (!body.success) throw new AppError('bad_request', 'Send JSON with a "title".');
    const framework = await createFrameworkAs(await getDb(), userId, groupId, body.data);
    return Response.json({ id: framework.id, title: framework.title }, { status: 201 });
  } catch (error) {
    return errorResponse(error, logError);
  }
}
