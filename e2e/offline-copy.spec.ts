import { expect, test, type Page } from '@playwright/test';
import {
  createFramework,
  layer,
  narrative,
  openEditor,
  selectPhrase,
  session,
  twoPeopleOnAFramework,
  typeInNarrative,
} from './support/editor';
import { createGroup, newPerson, signIn, signUp } from './support/pages';

// The offline copy (y-indexeddb) holds a framework's full text: it must not outlive the session
// or the access it was made under.

/** The drafts this tab keeps across a reload (components/review/draft-store.ts). */
const keptDraftKeys = (page: Page) =>
  page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('briefing-draft:')));

/** The framework databases (offline copies) this page's origin holds in IndexedDB. */
const frameworkDatabases = (page: Page): Promise<string[]> =>
  page.evaluate(async () =>
    (await indexedDB.databases())
      .map((d) => d.name ?? '')
      .filter((name) => name.startsWith('framework:'))
      .sort(),
  );

/** Creates a database as an offline copy another user (or an older version) would have left. */
const leaveDatabase = (page: Page, name: string) =>
  page.evaluate(
    (dbName) =>
      new Promise<void>((resolve, reject) => {
        const request = indexedDB.open(dbName);
        request.onupgradeneeded = () => request.result.createObjectStore('updates');
        request.onsuccess = () => {
          request.result.close();
          resolve();
        };
        request.onerror = () => reject(new Error(String(request.error)));
      }),
    name,
  );

const frameworkIdOf = (path: string) => path.split('/').pop()!;

test('signing out deletes every offline copy; signing in deletes the copies of others', async ({
  browser,
}) => {
  const { context, page } = await session(browser);
  const ana = newPerson('Ana Offline');
  await signUp(page, ana);
  const groupPath = await createGroup(page, 'Offline copies');
  const frameworkPath = await createFramework(page, groupPath, 'Kept offline');
  await openEditor(page, frameworkPath);
  await typeInNarrative(page, 1, ' Confidential: the guarantors meet in Vilnius.');
  await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
  // The editor keeps a copy of the framework.
  await expect
    .poll(() => frameworkDatabases(page))
    .toEqual([expect.stringContaining(frameworkIdOf(frameworkPath))]);

  // A half-written amendment is kept in the tab across a reload (sessionStorage)...
  await narrative(page, 1).click();
  await selectPhrase(narrative(page, 1), 'Patrol agreed sectors');
  await layer(page, 1).getByRole('button', { name: 'Propose change', exact: true }).click();
  await page
    .getByRole('form', { name: 'New amendment' })
    .getByLabel('By')
    .fill('Patrol all sectors');
  await expect.poll(() => keptDraftKeys(page)).toHaveLength(1);

  await page
    .getByRole('navigation', { name: 'Account' })
    .getByRole('button', { name: 'Sign out' })
    .click();
  await expect(
    page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Sign in' }),
  ).toBeVisible();
  expect(await frameworkDatabases(page)).toEqual([]);
  // ...and goes at sign-out with the offline copies.
  expect(await keptDraftKeys(page)).toEqual([]);

  // Someone else's copy (and an unkeyed one of an older version) left in this browser goes as
  // soon as Ana signs in.
  await leaveDatabase(page, 'framework:someone-else:0f0e0d0c-0000-4000-8000-000000000000');
  await leaveDatabase(page, `framework:${frameworkIdOf(frameworkPath)}`);
  await page.evaluate(() =>
    sessionStorage.setItem('briefing-draft:someone-else:x:composer', '{"text":"theirs"}'),
  );
  await page.goto('/signin');
  await signIn(page, ana);
  await expect(page.getByRole('link', { name: ana.name })).toBeVisible();
  await expect.poll(() => frameworkDatabases(page)).toEqual([]);
  await expect.poll(() => keptDraftKeys(page)).toEqual([]);
  // Her own copy is back once she edits again, keyed by her and the framework.
  await openEditor(page, frameworkPath);
  await expect
    .poll(() => frameworkDatabases(page))
    .toEqual([expect.stringMatching(new RegExp(`^framework:.+:${frameworkIdOf(frameworkPath)}$`))]);
  await context.close();
});

test("removing a member drops the framework's copy from the member's open page", async ({
  browser,
}) => {
  const { creator, invited, frameworkPath } = await twoPeopleOnAFramework(
    browser,
    {
      creator: 'Olga Owner',
      invited: 'Emil Editor',
      group: 'Removal group',
      framework: 'Removal draft',
    },
    'editor',
  );
  await openEditor(invited.page, frameworkPath);
  await typeInNarrative(invited.page, 1, ' Draft wording only Emil saw.');
  await expect(invited.page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
  await expect.poll(() => frameworkDatabases(invited.page)).toHaveLength(1);

  const groupPath = frameworkPath.split('/frameworks/')[0]!;
  await creator.page.goto(`${groupPath}/members`);
  const removal = creator.page.getByRole('form', { name: 'Remove Emil Editor' });
  await removal.getByRole('button', { name: 'Remove', exact: true }).click();
  await removal.getByRole('button', { name: 'Remove Emil Editor' }).click();

  // The server closes the member's socket (access removed) and the page deletes its copy.
  await expect(invited.page.getByRole('alert').filter({ hasText: 'Access removed' })).toBeVisible();
  await expect.poll(() => frameworkDatabases(invited.page)).toEqual([]);
  await creator.context.close();
  await invited.context.close();
});

test('a member removed while no page of the framework was open loses the copy on the next page', async ({
  browser,
}) => {
  const { creator, invited, frameworkPath } = await twoPeopleOnAFramework(
    browser,
    {
      creator: 'Olga Owner',
      invited: 'Emil Away',
      group: 'Removal while away',
      framework: 'Away draft',
    },
    'editor',
  );
  await openEditor(invited.page, frameworkPath);
  await typeInNarrative(invited.page, 1, ' Wording kept offline.');
  await expect(invited.page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
  await invited.page.goto('/');
  // Still a member: the copy stays when the editor is closed and another page opens.
  await invited.page.reload();
  await expect(invited.page.getByRole('link', { name: 'Emil Away' })).toBeVisible();
  await expect.poll(() => frameworkDatabases(invited.page)).toHaveLength(1);

  const groupPath = frameworkPath.split('/frameworks/')[0]!;
  await creator.page.goto(`${groupPath}/members`);
  const removal = creator.page.getByRole('form', { name: 'Remove Emil Away' });
  await removal.getByRole('button', { name: 'Remove', exact: true }).click();
  await removal.getByRole('button', { name: 'Remove Emil Away' }).click();
  await expect(creator.page.getByRole('cell', { name: 'Emil Away' })).toHaveCount(0);

  await invited.page.reload();
  await expect.poll(() => frameworkDatabases(invited.page)).toEqual([]);
  await creator.context.close();
  await invited.context.close();
});
