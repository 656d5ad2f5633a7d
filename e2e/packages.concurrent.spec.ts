import { expect, test, type Page } from '@playwright/test';
import {
  createFramework,
  joinWithInvite,
  openEditor,
  session,
  type Session,
} from './support/editor';
import { createGroup, createInvite, newPerson, signUp } from './support/pages';

/**
 * Two people at once: the chair (owner) groups three layers into a package, agrees each in
 * package and then the package in one act, and reopens one; Frank (editor) watches it live.
 */
test.describe.configure({ mode: 'serial' });

let chair: Session;
let frank: Session;
let frameworkPath: string;
const LIVE = { timeout: 10_000 };
const TITLES = [
  'Civilian ceasefire-monitoring mission',
  'European reassurance force',
  'Air policing and air-defence umbrella',
];

const bar = (page: Page, n: number) =>
  page.getByRole('group', { name: new RegExp(`^Review of Layer ${n}:`) });
const panel = (page: Page) => page.getByRole('region', { name: 'Packages' });
const card = (page: Page) => panel(page).getByRole('group', { name: 'Package Four legs' });
const statusOf = (page: Page, n: number, label: string) =>
  bar(page, n).getByLabel(`Status: ${label}`, { exact: true });

test.beforeAll(async ({ browser }) => {
  chair = await session(browser);
  await signUp(chair.page, newPerson('Carla Chair'));
  const groupPath = await createGroup(chair.page, 'Coalition working group');
  frameworkPath = await createFramework(chair.page, groupPath, 'Security guarantees');
  const invite = await createInvite(chair.page, groupPath, 'editor');
  frank = await session(browser);
  await joinWithInvite(frank.page, invite, newPerson('Frank France'));
  for (const s of [chair, frank]) await openEditor(s.page, frameworkPath);
});

test.afterAll(async () => {
  for (const s of [chair, frank]) await s?.context.close();
});

test('the chair groups three layers into a package; the editor sees it and cannot manage it', async () => {
  const form = panel(chair.page);
  await form.getByLabel('New package').fill('Four legs');
  const boxes = form.getByRole('group', { name: 'Layers traded together' });
  for (const title of TITLES) await boxes.getByRole('checkbox', { name: title }).check();
  await form.getByRole('button', { name: 'Create package' }).click();

  await expect(card(frank.page)).toContainText('0 of 3 agreed in package', LIVE);
  for (const title of TITLES) await expect(card(frank.page)).toContainText(title);
  await expect(card(frank.page).getByRole('button', { name: 'Agree package' })).toHaveCount(0);
  // The dependency graph: the reassurance force depends on the air umbrella, in the package.
  const deps = panel(frank.page).getByRole('table', { name: 'Dependencies' });
  const row = deps.getByRole('row', { name: /^European reassurance force/ });
  await expect(row).toContainText('Air policing and air-defence umbrella');
  await expect(row).toContainText('Four legs');
  await expect(bar(frank.page, 2)).toContainText('Package: Four legs');
});

test('each layer is agreed in package, provisionally, then the package in one act', async () => {
  for (const n of [1, 2, 3]) {
    const chairBar = bar(chair.page, n);
    // Agreeing alone is not offered for a layer in a package.
    await expect(
      chairBar.getByLabel('Change status').locator('option[value="agreed"]'),
    ).toHaveCount(0);
    await chairBar.getByLabel('Change status').selectOption('agreed_in_package');
    if (n === 2) {
      // It depends on layers not agreed: said, and allowed.
      await expect(chairBar).toContainText('Depends on layers not agreed');
      await expect(chairBar).toContainText('US enablers from over the horizon');
    }
    await chairBar.getByRole('button', { name: 'Apply status' }).click();
    await expect(statusOf(frank.page, n, 'Agreed in package')).toBeVisible(LIVE);
    await expect(bar(frank.page, n)).toContainText(
      'Provisionally agreed: package “Four legs” pending',
    );
  }
  await expect(card(frank.page)).toContainText('3 of 3 agreed in package');
  await expect(frank.page.getByRole('region', { name: 'Negotiation' })).toContainText(
    '3 agreed in package (provisional, package pending)',
  );

  await card(chair.page).getByRole('button', { name: 'Agree package' }).click();
  for (const n of [1, 2, 3]) await expect(statusOf(frank.page, n, 'Agreed')).toBeVisible(LIVE);
  await expect(card(frank.page)).toContainText('Package agreed');
  await expect(frank.page.getByRole('region', { name: 'Negotiation' })).toContainText(
    '3 of 7 layers agreed',
  );
});

test('reopening one layer reopens the package, live on the editor’s screen', async () => {
  const chairBar = bar(chair.page, 2);
  await chairBar.getByLabel('Reopen (the package too): reason').fill('Poland asks for 48 hours');
  await chairBar.getByRole('button', { name: 'Reopen package' }).click();

  await expect(statusOf(frank.page, 2, 'In review')).toBeVisible(LIVE);
  for (const n of [1, 3]) {
    await expect(statusOf(frank.page, n, 'Agreed in package')).toBeVisible(LIVE);
  }
  const notice = card(frank.page).getByRole('status');
  await expect(notice).toContainText('“European reassurance force” is back in review');
  await expect(notice).toContainText('Poland asks for 48 hours');
  await expect(card(frank.page)).toContainText('2 of 3 agreed in package');
  await panel(frank.page).scrollIntoViewIfNeeded();
  await frank.page.screenshot({ path: 'screenshots/packages-reopened.png', fullPage: false });
});

test('the editor’s inbox lists the package agreed and reopened', async () => {
  await frank.page.goto('/inbox');
  const list = frank.page.getByRole('list', { name: 'Packages agreed or reopened' });
  await expect(list.getByRole('listitem')).toHaveCount(2);
  await expect(list.getByRole('listitem').first()).toContainText(
    'Package Four legs in Security guarantees: reopened (Poland asks for 48 hours)',
  );
  await expect(list.getByRole('listitem').nth(1)).toContainText('agreed, every layer of it.');
});
