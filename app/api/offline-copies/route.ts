import { offlineCopiesToKeep } from '@/lib/services/offline-copies';
import {
  handleReviewRoute,
  jsonBody,
} from '../groups/[groupId]/frameworks/[frameworkId]/route-support';

/** { frameworkIds } of this browser's offline copies → { keep }: those I may still read. */
export async function POST(request: Request): Promise<Response> {
  return handleReviewRoute('offline-copies', async ({ db, userId }) =>
    Response.json({ keep: await offlineCopiesToKeep(db, userId, await jsonBody(request)) }),
  );
}
