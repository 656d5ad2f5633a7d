import { NextResponse, type NextRequest } from 'next/server';
import { allowedOriginsFromEnv, crossSiteRefusal } from './lib/csrf';

const allowedOrigins = allowedOriginsFromEnv();

/**
 * Refuses cross-site state changes on the JSON API before any route runs (lib/csrf.ts). Server
 * actions have Next's own origin check; Auth.js guards its routes with its CSRF token.
 */
export function proxy(request: NextRequest): NextResponse {
  const refusal = crossSiteRefusal({
    method: request.method,
    host: request.headers.get('host'),
    origin: request.headers.get('origin'),
    secFetchSite: request.headers.get('sec-fetch-site'),
    contentType: request.headers.get('content-type'),
    contentLength: request.headers.get('content-length'),
    allowedOrigins,
  });
  if (!refusal) return NextResponse.next();
  return NextResponse.json({ error: 'forbidden', message: refusal }, { status: 403 });
}

export const config = { matcher: ['/api/((?!auth/).*)'] };
