import { expect, test } from '@playwright/test';
import { lanAddressOrFail, rawUpgrade } from './support/network';
import { createGroup, newPerson, signIn, signUp } from './support/pages';

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

test('an upgrade to any path but /collab is answered 404 and closed at once', async ({
  page,
  baseURL,
}) => {
  // A page first: Next.js attaches its own upgrade listener to the server on its first request.
  await page.goto('/signin');
  const port = Number(new URL(baseURL!).port);
  for (const path of ['/other', '/', '/_next/webpack-hmr', '/api/inbox']) {
    const outcome = await rawUpgrade(port, path, 5_000);
    expect(outcome.received, path).toMatch(/^HTTP\/1\.1 404 /);
    expect(outcome.closedAfterMs, path).not.toBeNull();
    expect(outcome.closedAfterMs!, path).toBeLessThan(2_000);
  }
});

test('wrong passwords from one address do not lock the owner out from another', async ({
  page,
  browser,
  baseURL,
}) => {
  const lan = lanAddressOrFail(
    'this machine has no non-loopback address to stand for another client',
  );
  const person = newPerson('Locked Owner');
  await signUp(page, person);
  await page.getByRole('button', { name: 'Sign out' }).click();
  const alert = page.getByRole('form', { name: 'Sign in' }).getByRole('alert');
  // Five wrong passwords from localhost...
  for (let i = 0; i < 5; i++) {
    await page.goto('/signin');
    await signIn(page, { email: person.email, password: `a wrong guess ${i}` });
    await expect(alert).toHaveText('Email or password is incorrect.');
  }
  // ...lock this account for localhost, even with the right password...
  await page.goto('/signin');
  await signIn(page, person);
  await expect(alert).toContainText('Too many failed sign-in attempts');
  // ...and the owner, from another address, signs in.
  const elsewhere = await browser.newContext({
    baseURL: `http://${lan}:${new URL(baseURL!).port}`,
  });
  const owner = await elsewhere.newPage();
  await owner.goto('/signin');
  await signIn(owner, person);
  await expect(owner.getByRole('link', { name: person.name })).toBeVisible();
  await elsewhere.close();
});

test('a foreign page cannot ride the session cookie to change anything (CSRF)', async ({
  page,
}) => {
  await signUp(page, newPerson('Csrf Prober'));
  const groupPath = await createGroup(page, 'CSRF probe group');
  const groupId = groupPath.split('/').pop()!;
  const url = `/api/groups/${groupId}/frameworks`;
  const body = JSON.stringify({ title: 'Planted by evil.example', template: 'blank' });
  const attempts: Array<Record<string, string>> = [
    // What a form or fetch on a foreign page sends: its Origin, a "simple" content type.
    { origin: 'https://evil.example', 'content-type': 'text/plain' },
    { origin: 'https://evil.example', 'content-type': 'application/json' },
    { origin: 'null', 'content-type': 'application/json' },
    { 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' },
    // Same origin, but a body that skips the CORS preflight.
    { 'content-type': 'text/plain' },
  ];
  for (const headers of attempts) {
    const response = await page.request.post(url, { headers, data: body });
    expect(response.status(), JSON.stringify(headers)).toBe(403);
  }
  const listed = await page.request.get(url);
  expect(JSON.stringify(await listed.json())).not.toContain('Planted by evil.example');
  // The product's own request goes through.
  const own = await page.request.post(url, { data: { title: 'Our own', template: 'blank' } });
  expect(own.status()).toBe(201);
});
