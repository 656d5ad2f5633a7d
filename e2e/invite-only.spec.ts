import { expect, test } from '@playwright/test';
import { startProductServer } from './support/product-server';
import { e2eInviteOnlyPort, e2eOidcEnv } from './support/servers';
import { signInThroughTestProvider } from './support/sso';

// A server of its own: invite-only would shut every other spec's sign-up out.
let server: Awaited<ReturnType<typeof startProductServer>> | undefined;
const origin = () => {
  if (!server) throw new Error('the invite-only server did not start');
  return server.origin;
};

test.beforeAll(async () => {
  // Starting a second server on a busy machine takes longer than a test.
  test.setTimeout(120_000);
  server = await startProductServer(e2eInviteOnlyPort(), {
    SIGN_UP: 'invite-only',
    SIGN_UP_EMAIL_DOMAINS: 'example.test',
    ...e2eOidcEnv(),
  });
});

test.afterAll(async () => {
  await server?.stop();
});

const INVITE_ONLY =
  'Accounts here are created by invitation only. Open the invite link your chair sent you.';

test('the sign-up page offers no form without an invite, over plain HTTP', async ({ request }) => {
  const response = await request.get(`${origin()}/signup`);
  expect(response.status()).toBe(200);
  const html = await response.text();
  expect(html).toContain(INVITE_ONLY);
  expect(html).not.toContain('name="password"');
});

test('without SMTP there is no reset by email', async ({ request }) => {
  // This server has no SMTP settings (the shared one has).
  expect(await (await request.get(`${origin()}/signin`)).text()).not.toContain('Forgot password?');
  expect((await request.get(`${origin()}/forgot-password`)).status()).toBe(404);
  expect((await request.get(`${origin()}/reset-password/any-token`)).status()).toBe(404);
});

test('the sign-up action refuses a made-up invite even when its form is posted', async ({
  browser,
}) => {
  // No script: the form posts as plain HTML, so only the server can refuse it.
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const callbackUrl = encodeURIComponent('/invite/made-up-invite-token');
  await page.goto(`${origin()}/signup?callbackUrl=${callbackUrl}`);
  const email = `uninvited-${Date.now()}@example.test`;
  await page.getByLabel('Display name').fill('Eve Outsider');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Create account' }).press('Enter');
  await expect(page.getByRole('form', { name: 'Create account' }).getByRole('alert')).toHaveText(
    INVITE_ONLY,
  );
  await page.screenshot({ path: 'test-results/invite-only-refused.png' });

  // Nothing was created: the password signs nobody in.
  await page.goto(`${origin()}/signin`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Sign in', exact: true }).press('Enter');
  await expect(page.getByRole('form', { name: 'Sign in' }).getByRole('alert')).toHaveText(
    'Email or password is incorrect.',
  );
  await context.close();
});

test('a first single sign-on without an invite is refused, and one outside the domains', async ({
  browser,
}) => {
  for (const [login, message] of [
    [`newcomer-${Date.now()}@example.test`, INVITE_ONLY],
    [
      `eve-${Date.now()}@elsewhere.example`,
      'Accounts here are for email addresses at example.test.',
    ],
  ] as const) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${origin()}/signin`);
    await signInThroughTestProvider(page, login);
    await expect(page).toHaveURL(/\/signin\?error=/);
    // Filtered: Next's route announcer is an alert too.
    await expect(page.getByRole('alert').filter({ hasText: message })).toBeVisible();
    await context.close();
  }
});
