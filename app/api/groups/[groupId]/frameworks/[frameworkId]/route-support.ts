import { getCurrentUser } from '@/app/(auth)/current-user';
import { getDb } from '@/db/client';
import type { Database } from '@/db/client';
import { AppError } from '@/lib/errors';
import { asciiFileName } from '@/lib/export';
import { errorResponse } from '@/lib/http';
import { log } from '@/lib/log';

/** Largest JSON body a review route reads (a comment is at most 5000 characters, a proposed text 10,000). */
const MAX_BODY_BYTES = 32 * 1024;

/** Runs a review route: signed-in user, database, and errors mapped in the one place. */
export async function handleReviewRoute(
  where: string,
  body: (ctx: { db: Database; userId: string }) => Promise<Response>,
): Promise<Response> {
  try {
    const user = await getCurrentUser();
    if (!user) throw new AppError('unauthorized', 'Sign in first.');
    return await body({ db: await getDb(), userId: user.id });
  } catch (error) {
    return errorResponse(error, (err) => log.error({ err, where }, 'review route failed'));
  }
}

/** The request's JSON body, bounded in size; a bad body is a 400, never a 500. */
export async function jsonBody(request: Request): Promise<unknown> {
  const length = Number(request.headers.get('content-length') ?? '0');
  if (length > MAX_BODY_BYTES) throw new AppError('bad_request', 'Request too large.');
  const text = await request.text();
  if (text.length > MAX_BODY_BYTES) throw new AppError('bad_request', 'Request too large.');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError('bad_request', 'Send a JSON body.');
  }
}

/** The live documents when the sync server runs in this process, else null (notify skipped). */
export { liveDocuments } from '@/lib/collab/live-documents';

/** A file to download, named with its real title (RFC 6266: an ASCII fallback and the UTF-8 name). */
export function downloadResponse(file: {
  bytes: Uint8Array;
  contentType: string;
  fileName: string;
}): Response {
  // The name keeps only letters, digits, "." "_" "-", so neither form needs quoting beyond this.
  const disposition = `attachment; filename="${asciiFileName(file.fileName)}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`;
  return new Response(Buffer.from(file.bytes), {
    headers: {
      'Content-Type': file.contentType,
      'Content-Disposition': disposition,
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}
