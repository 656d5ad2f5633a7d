import { expect, type Page } from '@playwright/test';

let counter = 0;

/** A new person with a unique email, for tests that sign up. */
export function newPerson(name: string) {
  counter += 1;
  const slug = `${name.toLowerCase().replace(/\W+/g, '-')}-${Date.now()}-${counter}`;
  return { name, email: `${slug}@example.test`, password: 'correct horse battery staple' };
}

export type Person = ReturnType<typeof newPerson>;

export async function signUp(page: Page, person: Person, startAt = '/signup'): Promise<void> {
  await page.goto(startAt);
  await page.getByLabel('Display name').fill(person.name);
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel('Password').fill(person.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('link', { name: person.name })).toBeVisible();
}

export async function signIn(
  page: Page,
  person: Pick<Person, 'email' | 'password'>,
): Promise<void> {
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel('Password').fill(person.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

export async function createGroup(page: Page, name: string): Promise<string> {
  await page.goto('/');
  await page.getByLabel('Group name').fill(name);
  await page.getByRole('button', { name: 'Create group' }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  return new URL(page.url()).pathname;
}

/** Makes an invite link from the group's members page and returns its path. */
export async function createInvite(page: Page, groupPath: string, role: string): Promise<string> {
  await page.goto(`${groupPath}/members`);
  await page.getByLabel('Role', { exact: true }).selectOption(role);
  await page.getByRole('button', { name: 'Create link' }).click();
  const link = page.getByLabel('Invite link', { exact: true });
  await expect(link).toHaveValue(/\/invite\//);
  return new URL(await link.inputValue()).pathname;
}
