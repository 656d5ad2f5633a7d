import { z } from 'zod';
import { listReviewEvents } from '@/db/queries/review';
import { liveDocuments } from '@/lib/collab/live-documents';
import { AppError } from '@/lib/errors';
import { requireFramework } from '@/lib/services/access';
import {
  breakSilenceAs,
  changeLayerStatusAs,
  confirmAdReferendumAs,
  resolveBracketAs,
  startSilenceAs,
  statePositionAs,
} from '@/lib/services/review';
import {
  agreePackageAs,
  createPackageAs,
  dissolvePackageAs,
  reopenPackageAs,
} from '@/lib/services/packages';
import { handleReviewRoute, jsonBody } from '../route-support';

type Context = { params: Promise<{ groupId: string; frameworkId: string }> };

/** The activity feed: ?layer=<id>&person=<userId> filter it. */
export async function GET(request: Request, { params }: Context): Promise<Response> {
  return handleReviewRoute('review.activity', async ({ db, userId }) => {
    const { groupId, frameworkId } = await params;
    const { framework } = await requireFramework(
      db,
      userId,
      { workspaceId: groupId, frameworkId },
      'framework.read',
    );
    const url = new URL(request.url);
    const layerId = url.searchParams.get('layer')?.slice(0, 100) || undefined;
    const person = url.searchParams.get('person') ?? '';
    const actorId = z.uuid().safeParse(person).success ? person : undefined;
    const events = await listReviewEvents(db, framework.id, { layerId, actorId });
    return Response.json({ events });
  });
}

const actionSchema = z.object({
  action: z.enum([
    'status',
    'silence.start',
    'silence.break',
    'position',
    'adref.confirm',
    'bracket.resolve',
    'package.create',
    'package.agree',
    'package.reopen',
    'package.dissolve',
  ]),
});

/**
 * Status changes, the silence procedure, packages (owners) and a delegation's acts (its stance, its capital's
 * confirmation); the rules are checked on the live document.
 */
export async function POST(request: Request, { params }: Context): Promise<Response> {
  return handleReviewRoute('review.change', async ({ db, userId }) => {
    const { groupId, frameworkId } = await params;
    const body = await jsonBody(request);
    const parsed = actionSchema.safeParse(body);
    if (!parsed.success) throw new AppError('bad_request', 'Unknown review action.');
    const target = { workspaceId: groupId, frameworkId };
    const live = liveDocuments();
    switch (parsed.data.action) {
      case 'status':
        return Response.json(await changeLayerStatusAs(db, live, userId, target, body));
      case 'silence.start':
        await startSilenceAs(db, live, userId, target, body);
        return Response.json({ ok: true });
      case 'silence.break':
        await breakSilenceAs(db, live, userId, target, body);
        return Response.json({ ok: true });
      case 'position':
        return Response.json(await statePositionAs(db, live, userId, target, body));
      case 'adref.confirm':
        return Response.json(await confirmAdReferendumAs(db, live, userId, target, body));
      case 'bracket.resolve':
        return Response.json(await resolveBracketAs(db, live, userId, target, body));
      case 'package.create':
        return Response.json(await createPackageAs(db, live, userId, target, body));
      case 'package.agree':
        return Response.json(await agreePackageAs(db, live, userId, target, body));
      case 'package.reopen':
        return Response.json(await reopenPackageAs(db, live, userId, target, body));
      case 'package.dissolve':
        return Response.json(await dissolvePackageAs(db, live, userId, target, body));
    }
  });
}
