import { expect, test } from '@playwright/test';
import { openEditor, startSilence, twoPeopleOnAFramework } from './support/editor';

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

  // The chair puts layer 1 under silence until a few seconds from now.
  await startSilence(page, frameworkPath, 1, new Date(Date.now() + 4_000));
  const bar = (p: typeof page) => p.getByRole('group', { name: /^Review of Layer 1:/ });
  await expect(bar(capital.page)).toContainText('Under silence until');

  // Nobody breaks it: the server's scheduler agrees the layer, and both pages show it live.
  for (const p of [page, capital.page]) {
    await expect(bar(p).getByLabel('Status: Agreed')).toBeVisible({ timeout: 20_000 });
  }
});
