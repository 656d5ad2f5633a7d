import { expect, test } from '@playwright/test';
import {
  createFramework,
  layer,
  narrative,
  openEditor,
  typeInNarrative,
  selectPhrase,
} from './support/editor';
import { lanAddressOrFail } from './support/network';
import { createGroup, createInvite, newPerson, signUp } from './support/pages';

/**
 * Issue 19, finding 12: a delegation's office serves the product over plain http on its LAN.
 * There the browser leaves out crypto.randomUUID and navigator.clipboard (secure contexts only),
 * and copying an invite link and bracketing text must still work.
 */
test('on plain http from a LAN address, copy link and brackets work', async ({ browser }) => {
  const lan = lanAddressOrFail('this machine has no non-loopback address');
  const port = Number(process.env.E2E_PORT ?? 3210);
  const context = await browser.newContext({
    baseURL: `http://${lan}:${port}`,
    viewport: { width: 1440, height: 1000 },
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto('/signin');
  expect(
    await page.evaluate(() => ({
      secure: window.isSecureContext,
      randomUUID: typeof crypto.randomUUID,
      clipboard: 'clipboard' in navigator,
    })),
  ).toEqual({ secure: false, randomUUID: 'undefined', clipboard: false });

  await signUp(page, newPerson('Lena Lan'));
  const groupPath = await createGroup(page, 'Office network');
  await createInvite(page, groupPath, 'viewer');
  await page.getByRole('button', { name: 'Copy link' }).click();
  await expect(page.getByRole('button', { name: 'Copied' })).toBeVisible();

  const frameworkPath = await createFramework(page, groupPath, 'On the LAN');
  await openEditor(page, frameworkPath);
  await typeInNarrative(page, 2, ' Air policing from bases in Poland.');
  const box = narrative(page, 2);
  await box.click();
  await selectPhrase(box, 'bases in Poland');
  await layer(page, 2).getByRole('button', { name: '[ Bracket ]' }).click();
  await layer(page, 2).getByLabel('Alternative wordings (one per line)').fill('bases in Romania');
  await layer(page, 2).getByRole('button', { name: 'Bracket selection' }).click();
  const list = layer(page, 2).getByRole('list', { name: 'Open brackets' });
  await expect(list.getByText('[bases in Romania]')).toBeVisible();
  expect(errors).toEqual([]);
  await context.close();
});
