import { inboxOf } from '@/lib/services/comments';
import { handleReviewRoute } from '../groups/[groupId]/frameworks/[frameworkId]/route-support';

/** Mentions of me and replies to me, across my groups. */
export async function GET(): Promise<Response> {
  return handleReviewRoute('inbox', async ({ db, userId }) =>
    Response.json({ items: await inboxOf(db, userId) }),
  );
}
