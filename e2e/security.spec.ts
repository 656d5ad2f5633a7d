import { expect, test } from '@playwright/test';
import { newPerson, signUp } from './support/pages';

// The holes found from outside (issue 19), probed with real requests against the real server.

test('sign-in and sign-up never redirect off-site (tab, CR, LF, backslash)', async ({ page }) => {
  await signUp(page, newPerson('Redirect Prober'));
  const probes = [
    '/%09/evil.example/phish',
    '/%0d/evil.example',
    '/%0a/evil.example',
    '/%5cevil.example',
    '/%09%5cevil.example',
    '//evil.example',
  ];
  for (const entry of ['/signin', '/signup']) {
    for (const probe of probes) {
      const response = await page.request.get(`${entry}?callbackUrl=${probe}`, {
        maxRedirects: 0,
      });
      expect(response.status(), `${entry} ${probe}`).toBe(307);
      expect(response.headers()['location'], `${entry} ${probe}`).toBe('/');
    }
  }
});

test('pages and API answers carry the browser security headers', async ({ page }) => {
  await signUp(page, newPerson('Header Prober'));
  for (const path of ['/', '/signin', '/api/inbox']) {
    const response = await page.request.get(path, { maxRedirects: 0 });
    const headers = response.headers();
    expect(headers['content-security-policy'], path).toContain("frame-ancestors 'none'");
    expect(headers['content-security-policy'], path).toContain("object-src 'none'");
    expect(headers['x-frame-options'], path).toBe('DENY');
    expect(headers['x-content-type-options'], path).toBe('nosniff');
    expect(headers['referrer-policy'], path).toBe('strict-origin-when-cross-origin');
    expect(headers['permissions-policy'], path).toContain('camera=()');
  }
});
