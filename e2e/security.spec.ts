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
