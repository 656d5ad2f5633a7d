import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import JSZip from 'jszip';
import { createFramework, narrative, openEditor, typeInNarrative } from './support/editor';
import { createGroup, newPerson, signUp } from './support/pages';

test('save a version, edit, compare with it, and download it as DOCX', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  await signUp(page, newPerson('Vera Versions'));
  const groupPath = await createGroup(page, 'Versions sub-group');
  const frameworkPath = await createFramework(page, groupPath, 'Guarantees with versions');
  await openEditor(page, frameworkPath);

  await page.getByRole('link', { name: 'Versions', exact: true }).click();
  const form = page.getByRole('form', { name: 'Save a version' });
  await form.getByLabel('Name').fill('v0.1 sent to capitals');
  await form.getByLabel('Note').fill('First capitals round');
  await form.getByRole('button', { name: 'Save version' }).click();
  const versions = page.getByRole('table', { name: 'Versions' });
  const row = versions.getByRole('row', { name: /v0\.1 sent to capitals/ });
  await expect(row).toContainText('First capitals round');
  await expect(row).toContainText('Vera Versions');

  // An edit after the version, saved by the server.
  await openEditor(page, frameworkPath);
  await typeInNarrative(page, 1, ' Patrols start at dawn.');
  await expect(narrative(page, 1)).toContainText('Patrols start at dawn.');
  await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();

  await page.goto(`${frameworkPath}/versions`);
  await row.getByRole('link', { name: 'Compare with current' }).click();
  const changes = page.getByRole('list', { name: 'Changes' });
  await expect(changes).toContainText('changed narrative');
  const firstLayer = page.getByRole('region', { name: /^Layer 1:/ });
  await expect(firstLayer).toBeVisible();
  await expect(firstLayer).not.toContainText('Patrols start at dawn.');
  await page.screenshot({ path: 'screenshots/version-compare.png' });

  await page.getByRole('button', { name: 'Export' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export this version' });
  await dialog.getByRole('radio', { name: 'Word (DOCX)' }).check();
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    dialog.getByRole('link', { name: 'Download' }).click(),
  ]);
  expect(file.suggestedFilename()).toBe('Guarantees-with-versions-v0.1-sent-to-capitals.docx');
  const zip = await JSZip.loadAsync(await readFile((await file.path())!));
  const xml = await zip.file('word/document.xml')!.async('string');
  expect(xml).toContain('v0.1 sent to capitals');
  expect(xml).not.toContain('Patrols start at dawn.');
  await context.close();
});
