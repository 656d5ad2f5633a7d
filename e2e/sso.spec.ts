import { expect, test, type Browser, type Page } from '@playwright/test';
import { personOfLogin } from './support/oidc-provider';
import { TEST_OIDC_CLIENT } from './support/servers';
import { createGroup, newPerson, signUp } from './support/pages';
import { signInThroughTestProvider } from './support/sso';

let counter = 0;
function freshLogin(label: string): string {
  counter += 1;
  return `${label}-${Date.now()}-${counter}@example.test`;
}

/**
 * Signs in through the test identity provider as `login`, in a browser of its own (a fresh
 * provider session each time, so its login form always shows).
 */
async function ssoSignIn(browser: Browser, login: string, startAt = '/signin'): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(startAt);
  await signInThroughTestProvider(page, login);
  return page;
}

function accountLink(page: Page, name: string) {
  return page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name });
}

test('signs in through the identity provider and lands in the app, revocably', async ({
  browser,
}) => {
  const login = freshLogin('claire');
  const page = await ssoSignIn(browser, login);
  await expect(page).toHaveURL(/localhost:\d+\/$/);
  await expect(accountLink(page, personOfLogin(login).name)).toBeVisible();
  await page.screenshot({ path: 'test-results/sso-signed-in.png' });
  const groupPath = await createGroup(page, 'Maritime security sub-group');

  // No password to change and no second factor to turn on: the profile says so instead.
  await page.goto('/profile');
  await expect(
    page.getByText(/single sign-on: your password is kept by your organisation/),
  ).toBeVisible();
  await expect(
    page.getByText(/single sign-on: your organisation's identity provider is your/),
  ).toBeVisible();
  await expect(page.getByRole('form', { name: 'Change password' })).toHaveCount(0);

  // Sign-out deletes the session row: the old cookie no longer opens anything.
  const cookies = await page.context().cookies();
  await page.getByRole('button', { name: 'Sign out' }).press('Enter');
  await expect(accountLink(page, 'Sign in')).toBeVisible();
  const replay = await browser.newContext();
  await replay.addCookies(cookies);
  const replayed = await replay.newPage();
  await replayed.goto(groupPath);
  await expect(replayed).toHaveURL(/\/signin\?callbackUrl=/);
  await replay.close();
  await page.context().close();
});

test('a second sign-on with the same email is the same user', async ({ browser }) => {
  const login = freshLogin('piotr');
  const first = await ssoSignIn(browser, login);
  await expect(accountLink(first, personOfLogin(login).name)).toBeVisible();
  await createGroup(first, 'Air policing cell');
  await first.context().close();

  const second = await ssoSignIn(browser, login);
  await expect(accountLink(second, personOfLogin(login).name)).toBeVisible();
  await expect(second.getByRole('link', { name: 'Air policing cell' })).toBeVisible();
  await second.context().close();
});

test('a sign-on with the email of a password account links to that account', async ({
  page,
  browser,
}) => {
  const person = newPerson('Agnieszka Nowak');
  await signUp(page, person);
  await createGroup(page, 'Reconstruction finance');
  await page.getByRole('button', { name: 'Sign out' }).press('Enter');

  const sso = await ssoSignIn(browser, person.email);
  // The account's own name, not the provider's: the same user.
  await expect(accountLink(sso, person.name)).toBeVisible();
  await expect(sso.getByRole('link', { name: 'Reconstruction finance' })).toBeVisible();
  await sso.context().close();
});

test('an unverified email is refused with a clear message', async ({ browser }) => {
  const page = await ssoSignIn(browser, freshLogin('unverified'));
  await expect(page).toHaveURL(/\/signin\?error=unverified_email/);
  // Filtered: Next's route announcer is an alert too.
  await expect(
    page.getByRole('alert').filter({
      hasText:
        'Your identity provider has not verified your email address. Verify it there, then sign in again.',
    }),
  ).toBeVisible();
  await expect(accountLink(page, 'Sign in')).toBeVisible();
  await page.screenshot({ path: 'test-results/sso-unverified.png' });
  await page.context().close();
});

test('the sign-in page offers the provider beside the password form', async ({ page }) => {
  await page.goto('/signin');
  await expect(
    page
      .getByRole('group', { name: 'Single sign-on' })
      .getByRole('button', { name: `Sign in with ${TEST_OIDC_CLIENT.name}` }),
  ).toBeVisible();
  await expect(page.getByLabel('Email')).toBeVisible();
  await page.screenshot({ path: 'test-results/sso-sign-in-page.png' });
});
