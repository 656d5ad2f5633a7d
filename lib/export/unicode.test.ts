import { parse as parseHtml } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { readFramework } from '@/lib/framework';
import { UNICODE_WORDS, unicodeFramework } from './fixtures';
import { asciiFileName, buildExportModel, exportFileName, renderExport } from './index';
import { pandocPlain, pdfFonts, pdfText } from './testing/readers';

const TITLE = 'Рамкова угода про гарантії безпеки';
const squash = (s: string) => s.replace(/\s+/g, ' ').trim();
// The first PDF of a process parses the fonts (about a second, more on a loaded CI machine).
const PDF_TIMEOUT = 30_000;

function model() {
  return buildExportModel(readFramework(unicodeFramework()), {
    agreedOnly: false,
    versionName: 'v1 для столиць',
    date: new Date('2026-03-01T12:00:00Z'),
    comments: null,
  });
}

describe('exports in the languages of the capitals', () => {
  it(
    'PDF: pdftotext reads every name back exactly, from fonts embedded as subsets',
    async () => {
      const file = await renderExport(model(), 'pdf');
      const text = squash((await pdfText(file.bytes)).join(' '));
      expect(text).toContain(TITLE);
      for (const word of UNICODE_WORDS) expect(text).toContain(word);
      // What the old WinAnsi mapping printed for each letter it could not encode.
      expect(text).not.toMatch(/\?{2,}|\uFFFD/);

      const fonts = await pdfFonts(file.bytes);
      expect(fonts.map((f) => f.name.replace(/^[A-Z]{6}\+/, '')).sort()).toEqual([
        'NotoSans-Bold',
        'NotoSans-BoldItalic',
        'NotoSans-Italic',
        'NotoSans-Regular',
      ]);
      for (const font of fonts) {
        expect(font).toMatchObject({ embedded: true, subset: true, unicode: true });
      }
      // Subsets: four faces of a 600 KB font each, and the document stays small.
      expect(file.bytes.length).toBeLessThan(200_000);
    },
    PDF_TIMEOUT,
  );

  it('DOCX: pandoc reads every name back', async () => {
    const file = await renderExport(model(), 'docx');
    const text = squash(await pandocPlain('docx', file.bytes));
    expect(text).toContain(TITLE);
    for (const word of UNICODE_WORDS) expect(text).toContain(word);
  });

  it('Markdown: pandoc reads every name back', async () => {
    const file = await renderExport(model(), 'md');
    const text = squash(await pandocPlain('markdown', file.bytes));
    expect(text).toContain(TITLE);
    for (const word of UNICODE_WORDS) expect(text).toContain(word);
  });

  it('HTML: every name is in the page text', async () => {
    const file = await renderExport(model(), 'html');
    const text = squash(parseHtml(new TextDecoder().decode(file.bytes)).text);
    for (const word of UNICODE_WORDS) expect(text).toContain(word);
  });

  it('file names keep the title, with an ASCII fallback for old clients', async () => {
    const file = await renderExport(model(), 'md');
    expect(file.fileName).toBe('Рамкова-угода-про-гарантії-безпеки-v1-для-столиць.md');
    expect(asciiFileName(file.fileName)).toBe('v1.md');
    expect(
      asciiFileName(exportFileName({ title: 'Łódź: Erdoğan / Šárka', version: 'v2' }, 'pdf')),
    ).toBe('Lodz-Erdogan-Sarka-v2.pdf');
    expect(exportFileName({ title: '../../etc/passwd', version: 'current' }, 'pdf')).toBe(
      'etcpasswd-current.pdf',
    );
    expect(asciiFileName(exportFileName({ title: 'Україна', version: 'поточна' }, 'docx'))).toBe(
      'framework.docx',
    );
  });
});
