import { expect, test, type Page } from '@playwright/test';
import { axeWcagAA } from './support/axe';
import {
  layer,
  narrative,
  openEditor,
  openFramework,
  twoPeopleOnAFramework,
  typeInNarrative,
  type Session,
  selectPhrase,
} from './support/editor';

// Read mode with two people at once: the owner who edits and a commenter from a capital.
test.describe.configure({ mode: 'serial' });

let owner: Session;
let commenter: Session;
let frameworkPath: string;

/** Live: the other person sees it within a second or two (CI is slow). */
const LIVE = { timeout: 3_000 };

const readView = (page: Page) => page.getByRole('article', { name: 'Read mode' });
const readSwitch = (page: Page) => page.getByRole('button', { name: /^Read mode/ });
const margin = (page: Page, n: number) =>
  page.getByRole('complementary', { name: new RegExp(`^Comments on Layer ${n}:`) });

/** The background the comment highlight gives the quoted list item of layer 1. */
const quoteMarking = (page: Page) =>
  page.evaluate(() => {
    const item = [...document.querySelectorAll('.rd-document li')].find((li) =>
      li.textContent?.includes('Publish a weekly public report'),
    );
    return item ? getComputedStyle(item, '::highlight(rd-comment)').backgroundColor : null;
  });

test.beforeAll(async ({ browser }) => {
  const people = await twoPeopleOnAFramework(
    browser,
    {
      creator: 'Orla Owner',
      invited: 'Cem Commenter',
      group: 'Read sub-group',
      framework: 'Guarantees to read',
    },
    'commenter',
  );
  owner = people.creator;
  commenter = people.invited;
  frameworkPath = people.frameworkPath;
  for (const s of [owner, commenter]) await openFramework(s.page, frameworkPath);
});

test.afterAll(async () => {
  for (const s of [owner, commenter]) await s?.context.close();
});

test('a commenter lands in read mode: every value as text, in full, and it updates live', async () => {
  const page = commenter.page;
  await expect(readView(page)).toBeVisible();
  await expect(readSwitch(page)).toHaveAttribute('aria-pressed', 'true');
  await expect(readSwitch(page)).toHaveAttribute('aria-keyshortcuts', 'Alt+Shift+R');
  // The owner edits: the owner has the editor.
  await expect(readSwitch(owner.page)).toHaveAttribute('aria-pressed', 'false');
  await expect(narrative(owner.page, 1)).toBeVisible();

  const first = layer(page, 1);
  await expect(first.getByRole('heading', { level: 3 })).toHaveText(
    '1. Civilian ceasefire-monitoring mission',
  );
  await expect(
    first.getByText('Ceasefire monitoring · Proposed · lead: Organization of Turkic States'),
  ).toBeVisible();
  await expect(readView(page).getByText('DRAFT - NOT AGREED')).toBeVisible();
  await expect(readView(page).getByText(/^0 of 7 layers agreed, 0 open brackets/)).toBeVisible();

  // Commitments in full: the words the editor's inputs cut off ("unarmed s", "EUR millio").
  const commitments = first.getByRole('table', { name: 'Commitments' });
  await expect(
    commitments.getByRole('cell', { name: '12 unarmed surveillance drones' }),
  ).toBeVisible();
  await expect(commitments.getByRole('cell', { name: '60 EUR million per year' })).toBeVisible();
  await expect(commitments.getByRole('cell', { name: 'First three years' })).toBeVisible();
  await expect(
    commitments.getByRole('cell', { name: 'Operated by mission staff only' }),
  ).toBeVisible();
  // Nothing in any layer is clipped, and no value is a disabled control.
  const clipped = await readView(page).evaluate((root) =>
    [...root.querySelectorAll('td, th, li, p')]
      .filter((el) => el.scrollWidth > el.clientWidth + 1)
      .map((el) => el.textContent),
  );
  expect(clipped).toEqual([]);
  for (let n = 1; n <= 7; n++) {
    await expect(layer(page, n).locator(':disabled')).toHaveCount(0);
  }

  // A trigger reads as a sentence; positions per party with their notes.
  await expect(first.getByRole('list', { name: 'Triggers' }).getByRole('listitem')).toHaveText([
    'If monitors are denied access to an agreed patrol sector for more than 24 hours, the head of mission reports to the joint commission, which meets in session within 2 days; responsible: Organization of Turkic States.',
  ]);
  await expect(
    first
      .getByRole('list', { name: 'Positions' })
      .getByRole('listitem')
      .filter({ hasText: 'Poland' }),
  ).toHaveText('Poland: Reserve (Asks how unarmed monitors will be protected.)');

  // The owner types; the commenter's document follows without a reload.
  await typeInNarrative(owner.page, 1, ' Monitors file a report within 12 hours of each incident.');
  await expect(first).toContainText(
    'Monitors file a report within 12 hours of each incident.',
    LIVE,
  );
  // A link typed in the text (made by the editor's autolink) is a link in read mode too.
  await typeInNarrative(owner.page, 1, ' See https://example.org/annex for the sectors. ');
  const link = first.getByRole('link', { name: 'https://example.org/annex' });
  await expect(link).toHaveAttribute('href', 'https://example.org/annex', LIVE);
  await expect(link).toHaveAttribute('rel', 'noopener noreferrer nofollow');
  await owner.page.getByLabel('Commitment 1 conditions').first().click();
  await owner.page.keyboard.press('Control+End');
  await owner.page.keyboard.type(', rotating every ninety days between sectors');
  await expect(
    commitments.getByRole('cell', {
      name: 'Operated by mission staff only, rotating every ninety days between sectors',
    }),
  ).toBeVisible(LIVE);
  await page.screenshot({ path: 'screenshots/read-commenter.png', fullPage: false });
});

test('read mode comes with the first response: its text is there before any script runs', async ({
  browser,
}) => {
  // Without JavaScript only what the server sent is on the page.
  const context = await browser.newContext({
    storageState: await commenter.context.storageState(),
    javaScriptEnabled: false,
  });
  const page = await context.newPage();
  await page.goto(frameworkPath);
  await expect(readView(page)).toBeVisible();
  await expect(page.locator('.rd-document [data-read-layer]')).toHaveCount(7);
  await expect(layer(page, 1).getByRole('heading', { level: 3 })).toHaveText(
    '1. Civilian ceasefire-monitoring mission',
  );
  // The current text, with what the owner typed in the test before, to its last keystroke a
  // moment ago (the writer waits for a quiet period before it stores: the page flushes first).
  await expect(layer(page, 1)).toContainText(
    'Monitors file a report within 12 hours of each incident.',
  );
  await expect(
    layer(page, 1).getByRole('cell', {
      name: 'Operated by mission staff only, rotating every ninety days between sectors',
    }),
  ).toBeVisible();
  await page.screenshot({ path: 'screenshots/read-first-paint.png' });
  await context.close();
});

test('the owner switches to Read and back with one control and the shortcut; the choice survives a reload', async () => {
  const page = owner.page;
  await readSwitch(page).click();
  await expect(readSwitch(page)).toHaveAttribute('aria-pressed', 'true');
  await expect(readView(page)).toBeVisible();
  await expect(narrative(page, 1)).toHaveCount(0);
  await page.reload();
  await expect(readView(page)).toBeVisible();
  await expect(readSwitch(page)).toHaveAttribute('aria-pressed', 'true');
  // The choice is known to the server: its first response is read mode too.
  const firstResponse = await (await page.request.get(frameworkPath)).text();
  expect(firstResponse).toContain('data-read-layer');

  await page.keyboard.press('Alt+Shift+R');
  await expect(readSwitch(page)).toHaveAttribute('aria-pressed', 'false');
  await expect(narrative(page, 1)).toBeVisible();
  await page.reload();
  await expect(narrative(page, 1)).toBeVisible();
  await expect(readSwitch(page)).toHaveAttribute('aria-pressed', 'false');

  await page.keyboard.press('Alt+Shift+R');
  await expect(readView(page)).toBeVisible();
});

test('comments from read mode: on a layer and on a selected passage, in both margins live', async () => {
  const page = commenter.page;
  // The commenter still acts in the review bar of each layer.
  await expect(layer(page, 1).getByRole('group', { name: /^Review of Layer 1:/ })).toBeVisible();

  await margin(page, 1).getByRole('button', { name: 'Comment on this layer' }).click();
  const composer = page.getByRole('form', { name: 'New comment' });
  await composer.getByLabel('Comment').fill('Who protects the monitors at night?');
  await composer.getByRole('button', { name: 'Post comment' }).click();
  await expect(margin(page, 1).getByText('Who protects the monitors at night?')).toBeVisible(LIVE);
  await expect(margin(owner.page, 1).getByText('Who protects the monitors at night?')).toBeVisible(
    LIVE,
  );

  await selectPhrase(layer(page, 1), 'Publish a weekly public report');
  await readView(page).getByRole('button', { name: 'Comment', exact: true }).click();
  await expect(composer.getByText('Publish a weekly public report')).toBeVisible();
  await composer.getByLabel('Comment').fill('Weekly is too slow for a ceasefire.');
  await composer.getByRole('button', { name: 'Post comment' }).click();
  const quoted = margin(owner.page, 1)
    .getByRole('article')
    .filter({ hasText: 'Weekly is too slow' });
  await expect(quoted).toBeVisible(LIVE);
  await expect(quoted.getByText('Publish a weekly public report')).toBeVisible();
  await expect(quoted).toContainText('Cem Commenter');
  // The quoted passage is marked in the owner's text (a CSS highlight, no DOM change).
  await expect
    .poll(() =>
      owner.page.evaluate(() =>
        [...(CSS.highlights.get('rd-comment') ?? [])].map((r) => (r as Range).toString()),
      ),
    )
    .toEqual(['Publish a weekly public report']);
  await margin(owner.page, 1).scrollIntoViewIfNeeded();
  await owner.page.screenshot({ path: 'screenshots/read-margin.png' });
  await layer(owner.page, 1)
    .getByRole('listitem')
    .filter({ hasText: 'Publish a weekly public report' })
    .scrollIntoViewIfNeeded();
  await owner.page.screenshot({ path: 'screenshots/read-highlight.png' });

  // Anchored by Yjs relative positions like the editor's own: the owner's editor highlights it.
  await owner.page.keyboard.press('Alt+Shift+R');
  await expect(narrative(owner.page, 1).locator('.ed-comment-anchor')).toHaveText(
    'Publish a weekly public report',
    LIVE,
  );
  await owner.page.keyboard.press('Alt+Shift+R');
  await expect(readView(owner.page)).toBeVisible();
});

test('printing read mode gives the document without the app around it', async () => {
  const page = commenter.page;
  // On screen the passage a thread quotes is marked (the owner's thread from the test above).
  expect(await quoteMarking(page)).toBe('rgb(253, 230, 138)');
  await page.emulateMedia({ media: 'print' });
  try {
    await expect(page.getByRole('banner')).toBeHidden();
    await expect(page.getByRole('navigation', { name: 'Outline' })).toBeHidden();
    await expect(page.getByRole('navigation', { name: 'Group sections' })).toBeHidden();
    await expect(page.getByRole('heading', { level: 1, name: 'Read sub-group' })).toBeHidden();
    await expect(page.getByRole('region', { name: 'Comments' })).toBeHidden();
    await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeHidden();
    await expect(readSwitch(page)).toBeHidden();
    await expect(margin(page, 1)).toBeHidden();
    await expect(layer(page, 1).getByRole('group', { name: /^Review of/ })).toBeHidden();
    await expect(readView(page).getByText('DRAFT - NOT AGREED')).toBeVisible();
    await expect(layer(page, 2)).toBeVisible();
    // The passage a thread quotes is not marked on paper.
    expect(await quoteMarking(page)).toBe('rgba(0, 0, 0, 0)');
    const breaks = await readView(page).evaluate((root) =>
      [...root.querySelectorAll('section')].map((s) => getComputedStyle(s).breakBefore),
    );
    expect(breaks).toEqual(['auto', 'page', 'page', 'page', 'page', 'page', 'page']);
    await page.screenshot({ path: 'screenshots/read-print.png', fullPage: true });
  } finally {
    await page.emulateMedia({ media: 'screen' });
  }
});

test('axe (WCAG 2.1 AA rules) finds no serious violation on the read view', async () => {
  const found = await axeWcagAA(commenter.page);
  // The rules ran (something passed) and none found a serious violation.
  expect(found.passed).toBeGreaterThan(10);
  expect(found.serious).toEqual([]);
});

test('axe (WCAG 2.1 AA rules) finds no serious violation on the editor', async () => {
  await openEditor(owner.page, frameworkPath);
  const found = await axeWcagAA(owner.page);
  expect(found.passed).toBeGreaterThan(10);
  expect(found.serious).toEqual([]);
});

test('at phone width read mode is one column, the margin under its layer, nothing wider than the window', async () => {
  const page = commenter.page;
  await page.setViewportSize({ width: 375, height: 800 });
  await expect(readView(page)).toBeVisible();
  // Nothing sticks out of the window (the list names what does, outermost first).
  const wider = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('body *')]
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5)
      .slice(0, 8)
      .map(
        (el) => `${el.tagName.toLowerCase()}.${el.className} ${el.getBoundingClientRect().right}`,
      ),
  );
  expect(wider).toEqual([]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  const text = await layer(page, 1).locator('.ro-layer-text').boundingBox();
  const side = await margin(page, 1).boundingBox();
  expect(text && side).toBeTruthy();
  // One column: the margin starts below the layer's text, not beside it.
  expect(side!.y).toBeGreaterThanOrEqual(text!.y + text!.height - 1);
  expect(side!.x).toBeLessThan(text!.x + 20);
  await expect(
    layer(page, 1).getByRole('table', { name: 'Commitments' }).getByText('First three years'),
  ).toBeVisible();
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: 'screenshots/read-phone.png', fullPage: false });
  await layer(page, 1).getByRole('table', { name: 'Commitments' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'screenshots/read-phone-table.png', fullPage: false });
});
