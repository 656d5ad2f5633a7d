import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import JSZip from 'jszip';
import { createFramework, joinWithInvite, session, type Session } from './support/editor';
import { createGroup, createInvite, newPerson, signUp } from './support/pages';

/**
 * A version is frozen for France and Poland, initialled by both delegations, exported as PDF and
 * DOCX; both files verify on the verify page, a DOCX with one word changed does not.
 */
let chair: Session;
let france: Session;
let poland: Session;
let frameworkPath: string;

test.beforeAll(async ({ browser }) => {
  chair = await session(browser);
  await signUp(chair.page, newPerson('Carla Chair'));
  const groupPath = await createGroup(chair.page, 'Initialling group');
  frameworkPath = await createFramework(chair.page, groupPath, 'Initialled guarantees');
  const editorInvite = await createInvite(chair.page, groupPath, 'editor');
  const commenterInvite = await createInvite(chair.page, groupPath, 'commenter');
  france = await session(browser);
  await joinWithInvite(france.page, editorInvite, newPerson('Frank France'));
  poland = await session(browser);
  await joinWithInvite(poland.page, commenterInvite, newPerson('Paula Poland'));
  await chair.page.goto(`${groupPath}/members`);
  for (const [name, delegation] of [
    ['Frank France', 'France'],
    ['Paula Poland', 'Poland'],
  ] as const) {
    const form = chair.page.getByRole('form', { name: `Set delegation of ${name}` });
    await form.getByLabel(`Delegation of ${name}`).fill(delegation);
    await form.getByRole('button', { name: 'Set' }).click();
    await expect(form.getByRole('status')).toContainText(`Delegation set to ${delegation}`);
  }
});

test.afterAll(async () => {
  for (const s of [chair, france, poland]) await s?.context.close();
});

async function download(page: Page, format: 'PDF' | 'Word (DOCX)'): Promise<Buffer> {
  await page.getByRole('button', { name: 'Export' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export this version' });
  await dialog.getByRole('radio', { name: format }).check();
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    dialog.getByRole('link', { name: 'Download' }).click(),
  ]);
  const bytes = await readFile((await file.path())!);
  await page.keyboard.press('Escape');
  return bytes;
}

async function verify(page: Page, name: string, bytes: Buffer) {
  await page.goto('/verify');
  const form = page.getByRole('form', { name: 'Verify a file' });
  await form.getByLabel('Exported file').setInputFiles({
    name,
    mimeType: 'application/octet-stream',
    buffer: bytes,
  });
  await form.getByRole('button', { name: 'Verify file' }).click();
  return page.getByTestId('verify-result');
}

test('freeze, initial by two delegations, export PDF and DOCX, verify both, refuse an edited copy', async () => {
  test.setTimeout(180_000);
  const page = chair.page;
  await page.goto(`${frameworkPath}/versions`);
  const save = page.getByRole('form', { name: 'Save a version' });
  await save.getByLabel('Name').fill('Text for initialling');
  await save.getByRole('button', { name: 'Save version' }).click();
  await page
    .getByRole('table', { name: 'Versions' })
    .getByRole('link', { name: 'Text for initialling' })
    .first()
    .click();
  await expect(page).toHaveURL(/\/versions\/[0-9a-f-]{36}$/);
  const versionUrl = page.url();

  // Only France and Poland are asked.
  const freeze = page.getByRole('form', { name: 'Freeze for initialling' });
  const boxes = freeze.getByRole('checkbox');
  await expect(boxes.first()).toBeVisible();
  for (let i = 0; i < (await boxes.count()); i++) await boxes.nth(i).uncheck();
  await freeze.getByRole('checkbox', { name: 'France' }).check();
  await freeze.getByRole('checkbox', { name: 'Poland' }).check();
  await freeze.getByRole('button', { name: 'Freeze for initialling' }).click();
  const panel = page.getByRole('region', { name: 'Initialling' });
  await expect(panel).toContainText('Missing: France, Poland.');
  // The chair has no delegation: no button to initial.
  await expect(panel.getByRole('button', { name: /Initial this text/ })).toHaveCount(0);

  for (const [s, who] of [
    [france, 'Frank France'],
    [poland, 'Paula Poland'],
  ] as const) {
    await s.page.goto(versionUrl);
    const mine = s.page.getByRole('region', { name: 'Initialling' });
    await mine.getByRole('button', { name: 'Initial this text for my delegation' }).click();
    await expect(mine.getByRole('row', { name: new RegExp(who) })).toBeVisible();
    await expect(mine.getByRole('button', { name: /Initial this text/ })).toHaveCount(0);
  }
  await page.reload();
  await expect(panel).toContainText('Every delegation asked has initialled.');
  const hash = (await panel.getByTestId('content-hash').textContent())!.trim();
  expect(hash).toMatch(/^[0-9a-f]{64}$/);
  await page.screenshot({ path: 'screenshots/initialling-version.png', fullPage: true });

  const pdf = await download(page, 'PDF');
  await page.goto(versionUrl);
  const docx = await download(page, 'Word (DOCX)');

  for (const [name, bytes] of [
    ['copy.pdf', pdf],
    ['copy.docx', docx],
  ] as const) {
    const result = await verify(page, name, bytes);
    await expect(result.locator('[data-outcome="verified"]')).toBeVisible({ timeout: 60_000 });
    await expect(result).toContainText('Initialled guarantees: Text for initialling');
    await expect(result).toContainText('France (Frank France');
    await expect(result).toContainText('Poland (Paula Poland');
    await expect(result).toContainText(hash);
  }
  await page.screenshot({ path: 'screenshots/initialling-verified.png', fullPage: true });

  // One word changed in the DOCX's text: it must not verify.
  const zip = await JSZip.loadAsync(docx);
  const xml = await zip.file('word/document.xml')!.async('string');
  const edited = xml.replace(/Illustrative/, 'Illusory');
  expect(edited).not.toBe(xml);
  zip.file('word/document.xml', edited);
  const tampered = await zip.generateAsync({ type: 'nodebuffer' });
  const refused = await verify(page, 'edited.docx', tampered);
  await expect(refused.locator('[data-outcome="refused"]')).toContainText(
    'has been changed since it was exported',
    { timeout: 60_000 },
  );
  await page.screenshot({ path: 'screenshots/initialling-refused.png', fullPage: true });

  // A pasted hash finds the version too; a made-up one finds nothing.
  await page.goto('/verify');
  const byHash = page.getByRole('form', { name: 'Verify a hash' });
  await byHash.getByLabel('Content hash').fill('0'.repeat(64));
  await byHash.getByRole('button', { name: 'Look up hash' }).click();
  await expect(page.locator('[data-outcome="no-match"]')).toBeVisible();
  await byHash.getByLabel('Content hash').fill(hash);
  await byHash.getByRole('button', { name: 'Look up hash' }).click();
  await expect(page.locator('[data-outcome="verified"]')).toBeVisible();
});
