import { expect, test } from '@playwright/test';
import { createGroup, newPerson, signIn, signUp } from './support/pages';

test('a page that needs a session sends you to sign in and back', async ({ page }) => {
  const person = newPerson('Chloe Planner');
  await signUp(page, person);
  const groupPath = await createGroup(page, 'Military sub-group');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(
    page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Sign in' }),
  ).toBeVisible();

  await page.goto(`${groupPath}/members`);
  await expect(page).toHaveURL(/\/signin\?callbackUrl=/);
  await signIn(page, person);
  await expect(page).toHaveURL(new RegExp(`${groupPath}/members$`));
  await expect(page.getByRole('table', { name: 'Members' })).toBeVisible();

  // The owner renames the group from its settings; the header follows.
  await page.getByRole('textbox', { name: 'Group name' }).fill('Military planning sub-group');
  await page.getByRole('button', { name: 'Rename group' }).click();
  await expect(
    page.getByRole('heading', { level: 1, name: 'Military planning sub-group' }),
  ).toBeVisible();
});

test('wrong password and unknown account get the same message', async ({ page }) => {
  const person = newPerson('Dan Negotiator');
  await signUp(page, person);
  await page.getByRole('button', { name: 'Sign out' }).click();

  await page.goto('/signin');
  await signIn(page, { email: person.email, password: 'not the password at all' });
  const signInAlert = page.getByRole('form', { name: 'Sign in' }).getByRole('alert');
  await expect(signInAlert).toBeVisible();
  const wrongPassword = await signInAlert.textContent();
  await page.goto('/signin');
  await signIn(page, { email: `nobody-${Date.now()}@example.test`, password: 'whatever password' });
  await expect(signInAlert).toHaveText(wrongPassword ?? 'missing');
  expect(wrongPassword).toBe('Email or password is incorrect.');
});

test('sign-up refuses a weak password clearly, and a taken email without saying so', async ({
  page,
}) => {
  const person = newPerson('Eva Drafter');
  await page.goto('/signup');
  await page.getByLabel('Display name').fill(person.name);
  await page.getByLabel('Email').fill(person.email);
  // Bypass the browser's own minlength check to reach the server's rule.
  await page.getByLabel('Password').evaluate((el) => el.removeAttribute('minlength'));
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();
  const signUpAlert = page.getByRole('form', { name: 'Create account' }).getByRole('alert');
  await expect(signUpAlert).toHaveText('Use at least 10 characters.');

  await signUp(page, person);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.goto('/signup');
  await page.getByLabel('Display name').fill('Someone Else');
  await page.getByLabel('Email').fill(person.email.toUpperCase());
  await page.getByLabel('Password').fill('another long password');
  await page.getByRole('button', { name: 'Create account' }).click();
  // Issue 19, finding 7: nothing tells a stranger that this email has an account.
  await expect(signUpAlert).toHaveText(
    'We could not create an account with these details. Check the email address, or sign in ' +
      'if you have an account.',
  );
});

test('a non-member opening a group URL gets not found', async ({ browser }) => {
  const a = await browser.newContext();
  const b = await browser.newContext();
  const owner = await a.newPage();
  const outsider = await b.newPage();
  await signUp(owner, newPerson('Finn Owner'));
  const groupPath = await createGroup(owner, 'Closed group');
  await signUp(outsider, newPerson('Gus Outsider'));
  const response = await outsider.goto(groupPath);
  expect(response?.status()).toBe(404);
  await expect(outsider.getByText('Closed group')).toHaveCount(0);
  const api = await outsider.request.get(`/api/groups/${groupPath.split('/').pop()}/frameworks`);
  expect(api.status()).toBe(404);
  await a.close();
  await b.close();
});
