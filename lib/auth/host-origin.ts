import { NextRequest } from 'next/server';

/**
 * The request as the browser addressed it. Behind the custom server, Next builds a route
 * handler's URL from the address it listens on (http://0.0.0.0:3000), while Auth.js's server
 * actions build theirs from the Host header: a single sign-on would then send the provider one
 * redirect URI and redeem its code with another, which the provider refuses. With AUTH_URL set,
 * Auth.js uses that instead and this changes nothing; the Host header is trusted as `trustHost`
 * already trusts it.
 */
export function withHostOrigin(
  request: NextRequest,
  env: Readonly<Record<string, string | undefined>> = process.env,
): NextRequest {
  if (env.AUTH_URL || env.NEXTAUTH_URL) return request;
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
  if (!host) return request;
  const protocol =
    request.headers.get('x-forwarded-proto') ?? request.nextUrl.protocol.replace(/:$/, '');
  let url: URL;
  try {
    url = new URL(`${request.nextUrl.pathname}${request.nextUrl.search}`, `${protocol}://${host}`);
  } catch {
    return request;
  }
  if (url.origin === request.nextUrl.origin) return request;
  return new NextRequest(url, request);
}
