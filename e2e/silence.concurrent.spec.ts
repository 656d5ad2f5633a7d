import { expect, test } from '@playwright/test';
import { layer, openEditor, twoPeopleOnAFramework } from './support/editor';

test('a silence procedure ends at its deadline with nobody acting: both people see the layer agreed', async ({
  browser,
}) => {
  const {
    creator,
    invited: capital,
    frameworkPath,
  } = await twoPeopleOnAFramework(
    browser,
    {
      creator: 'Chair Silence',
      invited: 'Reviewer Capital',
      group: 'Silence sub-group',
      framework: 'Guarantees under silence',
    },
    'commenter',
  );
  const { page } = creator;
  await openEditor(page, frameworkPath);
  await openEditor(capital.page, frameworkPath);

  // The chair puts layer 1 under silence until a few seconds from now (through the review route,
  // as the form does, with a deadline finer than the form's minutes).
  const layerId = await layer(page, 1).getAttribute('data-layer-id');
  const [, , groupId, , frameworkId] = new URL(page.url()).pathname.split('/');
  const response = await page.request.post(
    `/api/groups/${groupId}/frameworks/${frameworkId}/review`,
    {
      data: {
        action: 'silence.start',
        layerId,
        until: new Date(Date.now() + 4_000).toISOString(),
      },
    },
  );
  expect(response.status()).toBe(200);
  const bar = (p: typeof page) => p.getByRole('group', { name: /^Review of Layer 1:/ });
  await expect(bar(capital.page)).toContainText('Under silence until');

  // Nobody breaks it: the server's scheduler agrees the layer, and both pages show it live.
  for (const p of [page, capital.page]) {
    await expect(bar(p).getByLabel('Status: Agreed')).toBeVisible({ timeout: 20_000 });
  }
});
