import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { mailsTo, waitForMail } from './support/mail';
import { newPerson, signIn, signUp, type Person } from './support/pages';

/** Issue 19, accounts: sessions you can see, change password, reset by email link. */

// Another browser on another machine, as its User-Agent says (the device emulated is Chrome on Windows).
const FIREFOX_ON_MAC =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.7; rv:133.0) Gecko/20100101 Firefox/133.0';

async function signedIn(browser: Browser, person: Person, signUpFirst = false, userAgent?: string) {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    ...(userAgent ? { userAgent } : {}),
  });
  const page = await context.newPage();
  if (signUpFirst) {
    await signUp(page, person);
  } else {
    await page.goto('/signin');
    await signIn(page, person);
    await expect(page.getByRole('link', { name: person.name })).toBeVisible();
  }
  return { context, page };
}

/** The page is signed out: a page that needs a session sends it to sign in. */
async function expectSignedOut(page: Page) {
  await page.goto('/profile');
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fprofile$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
}

async function inboxStatus(context: BrowserContext): Promise<number> {
  return (await context.request.get('/api/inbox')).status();
}

test('one browser signs out another from the sessions list', async ({ browser }) => {
  const person = newPerson('Ines Delegate');
  const office = await signedIn(browser, person, true);
  const laptop = await signedIn(browser, person, false, FIREFOX_ON_MAC);
  expect(await inboxStatus(laptop.context)).toBe(200);

  await office.page.goto('/profile');
  const sessions = office.page.getByRole('list', { name: 'Sessions' });
  const rows = sessions.getByRole('listitem');
  // Two sessions, this one marked and first.
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText('This browser');
  await expect(rows.nth(0)).toContainText('Chrome on Windows');
  await expect(rows.nth(1)).toContainText('Firefox on macOS');
  await expect(rows.nth(1)).not.toContainText('This browser');
  await office.page.getByRole('heading', { name: 'Signed-in sessions' }).scrollIntoViewIfNeeded();
  await office.page.screenshot({ path: 'screenshots/accounts-sessions.png', fullPage: true });

  await rows.nth(1).getByRole('button', { name: 'Sign out Firefox on macOS' }).press('Enter');
  await expect(
    office.page.getByRole('form', { name: 'Signed-in sessions' }).getByRole('status'),
  ).toHaveText('That session is signed out.');
  await expect(rows).toHaveCount(1);

  // The other browser is out on its next request, API included; this one stays in.
  expect(await inboxStatus(laptop.context)).toBe(401);
  await expectSignedOut(laptop.page);
  await office.page.reload();
  await expect(office.page.getByRole('heading', { level: 1, name: 'Your profile' })).toBeVisible();

  // "Sign out everywhere else" ends the rest, after asking once more.
  const third = await signedIn(browser, person);
  await office.page.reload();
  await expect(rows).toHaveCount(2);
  await office.page.getByRole('button', { name: 'Sign out everywhere else' }).press('Enter');
  await office.page.getByRole('button', { name: 'Sign out the other session' }).press('Enter');
  await expect(
    office.page.getByRole('form', { name: 'Sign out everywhere else' }).getByRole('status'),
  ).toHaveText('Signed out 1 other session. This browser stays signed in.');
  await expect(rows).toHaveCount(1);
  await expectSignedOut(third.page);
  await Promise.all([office.context.close(), laptop.context.close(), third.context.close()]);
});

test('changing the password signs out the other browser, not this one', async ({ browser }) => {
  const person = newPerson('Jonas Chair');
  const office = await signedIn(browser, person, true);
  const laptop = await signedIn(browser, person);
  await office.page.goto('/profile');
  const form = office.page.getByRole('form', { name: 'Change password' });

  await form.getByLabel('Current password').fill('not my password at all');
  await form.getByLabel('New password').fill('a new long passphrase');
  await form.getByRole('button', { name: 'Change password' }).press('Enter');
  await expect(form.getByRole('alert')).toHaveText('Your current password is not right.');
  expect(await inboxStatus(laptop.context)).toBe(200);

  await form.getByLabel('Current password').fill(person.password);
  await form.getByLabel('New password').fill('a new long passphrase');
  await form.getByRole('button', { name: 'Change password' }).press('Enter');
  await expect(form.getByRole('status')).toHaveText(
    'Your password is changed. Signed out 1 other session; this browser stays signed in.',
  );
  await expectSignedOut(laptop.page);
  await office.page.reload();
  await expect(office.page.getByRole('heading', { level: 1, name: 'Your profile' })).toBeVisible();

  await signIn(laptop.page, { email: person.email, password: person.password });
  await expect(laptop.page.getByRole('form', { name: 'Sign in' }).getByRole('alert')).toHaveText(
    'Email or password is incorrect.',
  );
  await signIn(laptop.page, { email: person.email, password: 'a new long passphrase' });
  await expect(laptop.page).toHaveURL(/\/profile$/);
  await Promise.all([office.context.close(), laptop.context.close()]);
});

test('a password reset by email link works once and signs out everywhere', async ({ browser }) => {
  const person = newPerson('Kasia Reviewer');
  const laptop = await signedIn(browser, person, true);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();

  await page.goto('/signin');
  await page.getByRole('link', { name: 'Forgot password?' }).click();
  await expect(
    page.getByRole('heading', { level: 1, name: 'Forgot your password?' }),
  ).toBeVisible();
  const neutral =
    'If an account with a password uses this email, a link to choose a new password is on its ' +
    'way. It works once, within 30 minutes.';
  const ask = async (email: string) => {
    await page.goto('/forgot-password');
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await expect(page.getByRole('status')).toHaveText(neutral);
  };
  const stranger = `nobody-${Date.now()}@example.test`;
  await ask(stranger);
  await ask(person.email);
  await page.screenshot({ path: 'screenshots/accounts-forgot.png', fullPage: true });

  const mail = await waitForMail(person.email);
  expect(mail.subject).toBe('Choose a new password for the briefing workspace');
  const origin = new URL(page.url()).origin;
  const link = new RegExp(`${origin}/reset-password/[A-Za-z0-9_-]{43}`).exec(mail.text)?.[0];
  expect(link, mail.text).toBeTruthy();
  expect(await mailsTo(stranger)).toEqual([]);

  await page.goto(link!);
  await expect(
    page.getByRole('heading', { level: 1, name: 'Choose a new password' }),
  ).toBeVisible();
  await page.screenshot({ path: 'screenshots/accounts-reset.png', fullPage: true });
  await page.getByRole('textbox', { name: 'New password' }).fill('my reset passphrase');
  await page.getByRole('button', { name: 'Set new password' }).click();
  await expect(page.getByRole('status')).toContainText('Your password is changed');

  await expectSignedOut(laptop.page);
  await signIn(laptop.page, person);
  await expect(laptop.page.getByRole('form', { name: 'Sign in' }).getByRole('alert')).toHaveText(
    'Email or password is incorrect.',
  );
  await signIn(laptop.page, { email: person.email, password: 'my reset passphrase' });
  await expect(laptop.page).toHaveURL(/\/profile$/);

  // The link does not work twice.
  await page.goto(link!);
  await expect(page.getByRole('alert').filter({ hasText: 'This reset link' })).toHaveText(
    'This reset link has expired or was already used. Ask for a new one.',
  );
  await expect(page.getByRole('textbox', { name: 'New password' })).toHaveCount(0);
  await Promise.all([context.close(), laptop.context.close()]);
});
