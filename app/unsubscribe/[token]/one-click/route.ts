import { getDb } from '@/db/client';
import { unsubscribeWithToken } from '@/lib/services/notifications';

/**
 * RFC 8058 one-click unsubscribe: the mail client POSTs here with no session and no Origin; the
 * signed token alone says whose mail goes off (a guessed one changes nothing).
 */
export async function POST(
  _request: Request,
  { params }: { params: Promise<{ token: string }> },
): Promise<Response> {
  const { token } = await params;
  const done = await unsubscribeWithToken(await getDb(), token);
  if (!done) return Response.json({ error: 'not_found' }, { status: 404 });
  return Response.json({ ok: true });
}
