import { getCurrentUser } from '@/app/(auth)/current-user';
import { getDb } from '@/db/client';
import { AppError } from '@/lib/errors';
import { errorResponse } from '@/lib/http';
import { log } from '@/lib/log';
import { MAX_VERIFY_BYTES, verifyAs } from '@/lib/services/verify';

// The file comes base64 inside JSON (the API takes JSON bodies only): a third larger.
const MAX_BODY = Math.ceil((MAX_VERIFY_BYTES * 4) / 3) + 1024;

/** `{ "hash": "..." }` or `{ "file": "<base64>" }`: which saved version it is, if any. */
export async function POST(request: Request): Promise<Response> {
  try {
    const user = await getCurrentUser();
    if (!user) throw new AppError('unauthorized', 'Sign in first.');
    if (Number(request.headers.get('content-length') ?? '0') > MAX_BODY) {
      throw new AppError('bad_request', 'That file is too large.');
    }
    const text = await request.text();
    if (text.length > MAX_BODY) throw new AppError('bad_request', 'That file is too large.');
    let body: unknown;
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      throw new AppError('bad_request', 'Send a JSON body.');
    }
    return Response.json(await verifyAs(await getDb(), user.id, body));
  } catch (error) {
    return errorResponse(error, (err) => log.error({ err, where: 'verify' }, 'verify failed'));
  }
}
