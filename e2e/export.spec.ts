import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import JSZip from 'jszip';
import { createFramework, openEditor } from './support/editor';
import { createGroup, newPerson, signUp } from './support/pages';

/** Opens the export dialog, picks a format and downloads; returns the file name and bytes. */
async function download(page: Page, format: 'Word (DOCX)' | 'PDF') {
  await page.getByRole('button', { name: 'Export' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export the framework' });
  await dialog.getByRole('radio', { name: format }).check();
  await dialog.getByRole('checkbox', { name: /comments/ }).check();
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    dialog.getByRole('link', { name: 'Download' }).click(),
  ]);
  await dialog.getByRole('button', { name: 'Close' }).click();
  return { name: file.suggestedFilename(), bytes: await readFile((await file.path())!) };
}

test('a member downloads DOCX and PDF from the editor; outsiders get not found', async ({
  browser,
}) => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  await signUp(page, newPerson('Erin Exporter'));
  const groupPath = await createGroup(page, 'Export sub-group');
  const frameworkPath = await createFramework(page, groupPath, 'Guarantees to export');
  await openEditor(page, frameworkPath);

  const docx = await download(page, 'Word (DOCX)');
  expect(docx.name).toBe('Guarantees-to-export-current.docx');
  const xml = await (await JSZip.loadAsync(docx.bytes)).file('word/document.xml')!.async('string');
  expect(xml).toContain('Guarantees to export');
  expect(xml).toContain('European reassurance force');
  expect(xml).toContain('Appendix: comments');
  const header = await (
    await JSZip.loadAsync(docx.bytes)
  )
    .file('word/header1.xml')!
    .async('string');
  expect(header).toContain('DRAFT - NOT AGREED');

  const pdf = await download(page, 'PDF');
  expect(pdf.name).toBe('Guarantees-to-export-current.pdf');
  expect(pdf.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(pdf.bytes.length).toBeGreaterThan(5_000);
  // The production build finds the Noto Sans files and embeds them (font dictionaries are not
  // compressed, so the names read straight from the bytes); no standard Helvetica is left.
  const raw = pdf.bytes.toString('latin1');
  expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSans-Regular/);
  expect(raw).toContain('/FontFile2');
  expect(raw).not.toContain('/Helvetica');

  const [, , groupId, , frameworkId] = frameworkPath.split('/');
  const url = `/api/groups/${groupId}/frameworks/${frameworkId}/export?format=md`;
  const md = await page.request.get(url);
  expect(md.status()).toBe(200);
  expect(md.headers()['content-disposition']).toBe(
    `attachment; filename="Guarantees-to-export-current.md"; filename*=UTF-8''Guarantees-to-export-current.md`,
  );
  expect(await md.text()).toContain('# Guarantees to export');

  const outsider = await browser.newContext();
  const outsiderPage = await outsider.newPage();
  await signUp(outsiderPage, newPerson('Otto Outsider'));
  expect((await outsiderPage.request.get(url)).status()).toBe(404);
  const randomId = `/api/groups/${groupId}/frameworks/${crypto.randomUUID()}/export?format=md`;
  expect((await outsiderPage.request.get(randomId)).status()).toBe(404);
  const anonymous = await browser.newContext();
  expect((await anonymous.request.get(url)).status()).toBe(401);
  for (const c of [context, outsider, anonymous]) await c.close();
});
