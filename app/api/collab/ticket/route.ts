import { NextResponse } from 'next/server';
import { z } from 'zod';
import { getCurrentUser } from '@/app/(auth)/current-user';
import { getDb } from '@/db/client';
import { findFrameworkAccess } from '@/db/queries/collab-access';
import { ensureAuthSecret } from '@/lib/auth/secret';
import { issueTicket, TICKET_TTL_SECONDS } from '@/lib/collab/ticket';
import { can } from '@/lib/permissions';
import { SECOND_FACTOR_REQUIRED_MESSAGE } from '@/lib/second-factor';

const bodySchema = z.object({
  frameworkId: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
});

const noStore = { 'cache-control': 'no-store' };

/**
 * POST {frameworkId}: a ticket (valid for a minute) that opens the collaboration websocket for a
 * client that cannot send the session cookie (another origin). Non-members get 404, as for a
 * document that does not exist.
 */
export async function POST(request: Request): Promise<NextResponse> {
  const user = await getCurrentUser();
  if (!user) {
    return NextResponse.json({ error: 'Not signed in.' }, { status: 401, headers: noStore });
  }
  const parsed = bodySchema.safeParse(await request.json().catch(() => null));
  if (!parsed.success) {
    return NextResponse.json({ error: 'Invalid request.' }, { status: 400, headers: noStore });
  }
  const { frameworkId } = parsed.data;
  const access = await findFrameworkAccess(await getDb(), frameworkId, [user.id]);
  if (!access || !can(access.roles.get(user.id), 'framework.read')) {
    return NextResponse.json({ error: 'Framework not found.' }, { status: 404, headers: noStore });
  }
  // The upgrade refuses such a ticket anyway; saying so here gives the client the reason.
  if (access.secondFactorMissing.has(user.id)) {
    return NextResponse.json(
      { error: SECOND_FACTOR_REQUIRED_MESSAGE },
      { status: 403, headers: noStore },
    );
  }
  const ticket = issueTicket(
    { userId: user.id, sessionId: user.sessionId, frameworkId },
    ensureAuthSecret(),
  );
  return NextResponse.json({ ticket, expiresIn: TICKET_TTL_SECONDS }, { headers: noStore });
}
