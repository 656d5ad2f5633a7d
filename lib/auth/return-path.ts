/**
 * Only same-site paths: an open redirect through ?callbackUrl= would be a phishing aid. Browsers
 * drop tab, CR and LF from URLs and read a backslash as a slash, so `/\t/evil.example` and
 * `/\\evil.example` are protocol-relative to them: any control character or backslash is refused,
 * and what is left must resolve to the same origin.
 */
export function safeReturnPath(path: string | null | undefined): string {
  if (!path || !path.startsWith('/') || /[\u0000-\u001f\u007f\\]/.test(path)) return '/';
  if (path.startsWith('//')) return '/';
  const base = 'http://same.invalid';
  try {
    const resolved = new URL(path, base);
    if (resolved.origin !== base) return '/';
  } catch {
    return '/';
  }
  return path;
}
