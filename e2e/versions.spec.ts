import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import JSZip from 'jszip';
import {
  createFramework,
  joinWithInvite,
  layer,
  narrative,
  openEditor,
  session,
  typeInNarrative,
} from './support/editor';
import { createGroup, createInvite, newPerson, signUp } from './support/pages';

test('save a version, edit, compare word by word with authors, and download it as DOCX', async ({
  browser,
}) => {
  const { context, page } = await session(browser);
  await signUp(page, newPerson('Vera Versions'));
  const groupPath = await createGroup(page, 'Versions sub-group');
  const frameworkPath = await createFramework(page, groupPath, 'Guarantees with versions');
  const invitePath = await createInvite(page, groupPath, 'editor');
  const other = await session(browser);
  await joinWithInvite(other.page, invitePath, newPerson('Emil Editor'));
  // Text in the version, then the version.
  await openEditor(page, frameworkPath);
  await typeInNarrative(page, 1, 'Patrols start at dawn.');
  await expect(narrative(page, 1)).toContainText('Patrols start at dawn.');
  await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();

  await page.getByRole('link', { name: 'Versions', exact: true }).click();
  const form = page.getByRole('form', { name: 'Save a version' });
  await form.getByLabel('Name').fill('v0.1 sent to capitals');
  await form.getByLabel('Note').fill('First capitals round');
  await form.getByRole('button', { name: 'Save version' }).click();
  const versions = page.getByRole('table', { name: 'Versions' });
  const row = versions.getByRole('row', { name: /v0\.1 sent to capitals/ });
  await expect(row).toContainText('First capitals round');
  await expect(row).toContainText('Vera Versions');

  // Edits after the version by two people, saved by the server: Vera adds to layer 2, Emil
  // replaces Vera's last word in layer 1.
  await openEditor(page, frameworkPath);
  await typeInNarrative(page, 2, 'Reviewed by the air cell.');
  await expect(narrative(page, 2)).toContainText('Reviewed by the air cell.');
  await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
  await openEditor(other.page, frameworkPath);
  await typeInNarrative(other.page, 1, '');
  for (let i = 0; i < 'dawn.'.length; i++) await other.page.keyboard.press('Backspace');
  await other.page.keyboard.type('sunrise.');
  await expect(narrative(other.page, 1)).toContainText('Patrols start at sunrise.');
  const conditions = layer(other.page, 2).getByRole('textbox', { name: 'Commitment 1 conditions' });
  await conditions.click();
  await conditions.pressSequentially('Only west of the Dnipro');
  await expect(other.page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
  // Vera proposes layer 3 (the server writes the status; the review log says who asked).
  const bar = page.getByRole('group', { name: /^Review of Layer 3:/ });
  await bar.getByLabel('Change status').selectOption('proposed');
  await bar.getByRole('button', { name: 'Apply status' }).click();
  await expect(bar.getByLabel('Status: Proposed')).toBeVisible();

  await page.goto(`${frameworkPath}/versions`);
  await row.getByRole('link', { name: 'Compare with current' }).click();
  const changes = page.getByRole('region', { name: 'Changes since this version' });
  const added = changes.getByRole('insertion').filter({ hasText: 'Reviewed by the air cell.' });
  const removed = changes.getByRole('deletion').filter({ hasText: 'dawn' });
  const replaced = changes.getByRole('insertion').filter({ hasText: 'sunrise' });
  await expect(added).toBeVisible();
  await expect(added).toContainText('Vera Versions');
  await expect(added).toContainText('VV');
  await expect(removed).toContainText('Emil Editor');
  await expect(replaced).toContainText('Emil Editor');
  await expect(replaced).toContainText('EE');
  await expect(changes.getByRole('list', { name: /^Changes to / }).first()).toContainText(
    'Narrative changed',
  );
  const condition = changes.getByRole('insertion').filter({ hasText: 'Only west of the Dnipro' });
  await expect(condition).toContainText('Emil Editor');
  await expect(changes.getByText(/^Commitment conditions \(.+\)$/)).toBeVisible();
  await expect(
    changes.getByRole('listitem').filter({ hasText: 'Status: Draft → Proposed' }),
  ).toContainText('Vera Versions');
  // The saved version below keeps the old text.
  const firstLayer = page.getByRole('region', { name: /^Layer 1:/ });
  await expect(firstLayer).toContainText('Patrols start at dawn.');
  await expect(firstLayer).not.toContainText('sunrise');
  await changes.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'screenshots/version-compare.png' });
  await changes.screenshot({ path: 'screenshots/version-compare-all.png' });

  // Filter by person: only Emil's changes are marked; Vera's addition is gone from the view.
  const filter = changes.getByRole('group', { name: 'Show changes by' });
  await filter.getByRole('radio', { name: 'Emil Editor' }).check();
  await expect(removed).toBeVisible();
  await expect(replaced).toBeVisible();
  await expect(added).toHaveCount(0);
  await expect(changes.getByText('Reviewed by the air cell.')).toHaveCount(0);
  await filter.getByRole('radio', { name: 'Vera Versions' }).check();
  await expect(added).toBeVisible();
  await expect(removed).toHaveCount(0);
  await page.screenshot({ path: 'screenshots/version-compare-filtered.png' });
  await filter.getByRole('radio', { name: 'Everyone' }).check();
  await expect(removed).toBeVisible();

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
  expect(xml).toContain('Patrols start at dawn.');
  expect(xml).not.toContain('sunrise');
  await context.close();
  await other.context.close();
});
