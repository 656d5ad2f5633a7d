import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readFramework } from '@/lib/framework';
import { contentHash } from '@/lib/framework/canonical';
import { filledFramework } from './fixtures';
import { buildExportModel, renderExport, type ExportFormat, type ExportModel } from './index';
import { renderPdf } from './pdf';
import { libreOfficePdf, pdfText } from './testing/readers';
import { checkCopy, readManifest, withVerification } from './verification';

const view = readFramework(filledFramework());
const colophon = ['Initialled by: France (Jeanne Dupont, 2026-12-01 10:00 UTC)', 'Missing: Poland'];
const model = withVerification(
  buildExportModel(view, {
    agreedOnly: false,
    versionName: 'v1 for initialling',
    date: new Date('2026-12-01T12:00:00Z'),
    comments: null,
  }),
  view,
  colophon,
);
const bytesOf = async (format: ExportFormat, m: ExportModel = model) =>
  (await renderExport(m, format)).bytes;
const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');

/** One word of the narrative changed, everything else (the manifest too) left as it was. */
function tamperedModel(): ExportModel {
  const copy = structuredClone(model);
  const para = copy.layers[1]!.narrative.at(-1)!;
  if (para.type !== 'paragraph' || para.content[0]?.type !== 'text') throw new Error('fixture');
  para.content[0].text = para.content[0].text.replace('deploys', 'departs');
  return copy;
}

// Each check renders the file again and runs a real reader on both: seconds, not milliseconds.
describe('verifiable copies', { timeout: 60_000 }, () => {
  it.each(['pdf', 'docx', 'html', 'md'] as const)(
    'a %s copy prints the hash and initials and verifies from what it carries',
    async (format) => {
      const bytes = await bytesOf(format);
      const check = await checkCopy(bytes);
      expect(check).toMatchObject({ ok: true, format, hash: contentHash(view) });
      const manifest = await readManifest(bytes, format);
      expect(manifest).toContain('"format":"framework-export/1"');
    },
  );

  it('a DOCX carrying its manifest (a long custom property) opens in LibreOffice with the colophon', async () => {
    const pages = await pdfText(await libreOfficePdf(await bytesOf('docx')));
    const last = pages.join('\n');
    expect(last).toContain(contentHash(view));
    expect(last).toContain('Initialled by: France (Jeanne Dupont');
  });

  it('prints the hash and the initials where a reader sees them', async () => {
    const md = text(await bytesOf('md'));
    expect(md).toContain(contentHash(view));
    expect(md).toContain('Initialled by: France \\(Jeanne Dupont');
    const html = text(await bytesOf('html'));
    expect(html).toContain(
      `<li>Content hash (SHA-256 of the canonical text): ${contentHash(view)}`,
    );
  });

  it('does not verify a Markdown copy with one word changed', async () => {
    const original = text(await bytesOf('md'));
    expect(original).toContain('The force deploys');
    const tampered = original.replace('The force deploys', 'The force departs');
    expect(await checkCopy(strToU8(tampered))).toMatchObject({ ok: false, reason: 'text_differs' });
  });

  it('does not verify an HTML copy with one word changed', async () => {
    const original = text(await bytesOf('html'));
    const tampered = original.replace('The force deploys', 'The force departs');
    expect(tampered).not.toBe(original);
    expect(await checkCopy(strToU8(tampered))).toMatchObject({ ok: false, reason: 'text_differs' });
  });

  it('does not verify a DOCX copy with one word changed in document.xml', async () => {
    const files = unzipSync(await bytesOf('docx'));
    const xml = strFromU8(files['word/document.xml']!);
    expect(xml).toContain('The force deploys');
    files['word/document.xml'] = strToU8(xml.replace('The force deploys', 'The force departs'));
    const check = await checkCopy(zipSync(files));
    expect(check).toMatchObject({ ok: false, reason: 'text_differs', hash: contentHash(view) });
    // The original zipped again the same way still verifies: the test is of the word alone.
    const again = unzipSync(await bytesOf('docx'));
    expect(await checkCopy(zipSync(again))).toMatchObject({ ok: true });
  });

  it('does not verify a PDF that shows one word changed but carries the original manifest', async () => {
    const tampered = await renderPdf(tamperedModel());
    expect(await readManifest(tampered, 'pdf')).toBe(model.verification!.manifest);
    expect(await checkCopy(tampered)).toMatchObject({ ok: false, reason: 'text_differs' });
  });

  it('gives another hash when the word is changed in the embedded content too', async () => {
    const original = text(await bytesOf('html'));
    const both = original.replaceAll('The force deploys', 'The force departs');
    const check = await checkCopy(strToU8(both));
    expect(check.hash).not.toBeNull();
    expect(check.hash).not.toBe(contentHash(view));
  });

  it('says a file without a manifest carries nothing to verify', async () => {
    const plain = await renderExport({ ...model, verification: null }, 'md');
    expect(await checkCopy(plain.bytes)).toMatchObject({ ok: false, reason: 'no_manifest' });
    expect(await checkCopy(strToU8('<!-- framework-verification:e30= -->'))).toMatchObject({
      ok: false,
      reason: 'bad_manifest',
    });
  });
});
