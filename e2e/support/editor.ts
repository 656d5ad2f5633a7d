import {
  expect,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
} from '@playwright/test';
import { createGroup, createInvite, newPerson, signUp, type Person } from './pages';

/** One person's browser: a context of their own (own cookies) and its page. */
export type Session = { context: BrowserContext; page: Page };

/** A new person-sized browser window, wide enough for the editor's three columns. */
export async function session(browser: Browser): Promise<Session> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  return { context, page: await context.newPage() };
}

/** Accepts an invite as a new person: sign up from the invite page, then join the group. */
export async function joinWithInvite(page: Page, invitePath: string, person: Person) {
  await page.goto(invitePath);
  await page.getByRole('link', { name: 'Create account to join' }).click();
  await page.getByLabel('Display name').fill(person.name);
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel('Password').fill(person.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('button', { name: 'Join group' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
}

/** Creates a framework from a template through the API and returns the editor's path. */
export async function createFramework(
  page: Page,
  groupPath: string,
  title: string,
  template = 'five-layer',
): Promise<string> {
  const groupId = groupPath.split('/').pop();
  const response = await page.request.post(`/api/groups/${groupId}/frameworks`, {
    data: { title, template },
  });
  expect(response.status()).toBe(201);
  const { id } = (await response.json()) as { id: string };
  return `${groupPath}/frameworks/${id}`;
}

/**
 * Opens a framework as its reader lands on it (read mode for commenters and viewers, the editor
 * for editors and owners) and waits until the document is loaded and the server said "Saved".
 */
export async function openFramework(page: Page, path: string) {
  await page.goto(path);
  await expect(page.getByRole('region', { name: /^Layer 1:/ })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
}

/**
 * Opens a framework in the editor's field view: someone who lands in read mode (commenters,
 * viewers) turns it off, and the choice is kept for them, as the specs that drive the fields of
 * read-only people expect.
 */
export async function openEditor(page: Page, path: string) {
  await openFramework(page, path);
  const reading = page.getByRole('button', { name: /^Read mode/ });
  if ((await reading.getAttribute('aria-pressed')) === 'true') {
    await reading.click();
    await expect(reading).toHaveAttribute('aria-pressed', 'false');
  }
}

/** The block of the layer at a 1-based position. */
export const layer = (page: Page, n: number): Locator =>
  page.getByRole('region', { name: new RegExp(`^Layer ${n}:`) });

export const narrative = (page: Page, n: number): Locator =>
  page.getByRole('textbox', { name: `Narrative of layer ${n}` });

/** Puts the caret at the end (or start) of a narrative and types. */
export async function typeInNarrative(
  page: Page,
  n: number,
  text: string,
  where: 'start' | 'end' = 'end',
  delay = 0,
) {
  const box = narrative(page, n);
  // Narrative editors mount as their layer nears the viewport.
  await layer(page, n).scrollIntoViewIfNeeded();
  await box.click();
  await page.keyboard.press(where === 'end' ? 'Control+End' : 'Control+Home');
  await page.keyboard.type(text, { delay });
}

/**
 * Two people on one framework: the first signs up, creates the group and the framework from the
 * five-layer template, and invites the second with `role`, who joins in a browser of their own.
 */
export async function twoPeopleOnAFramework(
  browser: Browser,
  names: { creator: string; invited: string; group: string; framework: string },
  role: 'editor' | 'commenter' | 'viewer',
): Promise<{ creator: Session; invited: Session; frameworkPath: string }> {
  const creator = await session(browser);
  await signUp(creator.page, newPerson(names.creator));
  const groupPath = await createGroup(creator.page, names.group);
  const frameworkPath = await createFramework(creator.page, groupPath, names.framework);
  const invitePath = await createInvite(creator.page, groupPath, role);
  const invited = await session(browser);
  await joinWithInvite(invited.page, invitePath, newPerson(names.invited));
  return { creator, invited, frameworkPath };
}

/** Selects the first occurrence of `phrase` inside `box` as a DOM selection. */
export async function selectPhrase(box: Locator, phrase: string) {
  await box.evaluate((el, text) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const i = n.textContent?.indexOf(text) ?? -1;
      if (i < 0) continue;
      const range = document.createRange();
      range.setStart(n, i);
      range.setEnd(n, i + text.length);
      const selection = window.getSelection()!;
      selection.removeAllRanges();
      selection.addRange(range);
      return;
    }
    throw new Error(`"${text}" not found`);
  }, phrase);
}

/**
 * Puts layer `n` under silence until `until` through the review route, as the chair's form does
 * (with a deadline finer than the form's minutes), as the signed-in user of `page`.
 */
export async function startSilence(page: Page, frameworkPath: string, n: number, until: Date) {
  const layerId = await layer(page, n).getAttribute('data-layer-id');
  const [, , groupId, , frameworkId] = frameworkPath.split('/');
  const response = await page.request.post(
    `/api/groups/${groupId}/frameworks/${frameworkId}/review`,
    { data: { action: 'silence.start', layerId, until: until.toISOString() } },
  );
  expect(response.status()).toBe(200);
}
