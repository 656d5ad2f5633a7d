import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { readFramework, setNarrative } from '@/lib/framework';
import { DOCX_FONT } from './docx';
import { LIST_NARRATIVE, UNICODE_WORDS, unicodeFramework } from './fixtures';
import { buildExportModel, renderExport, type ExportModel } from './index';
import {
  libreOfficePdf,
  pandocFind,
  pandocInlineText,
  pandocJson,
  pdfText,
  type PandocNode,
} from './testing/readers';

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

function model(): ExportModel {
  const doc = unicodeFramework();
  setNarrative(doc, readFramework(doc).layers[1]!.id, LIST_NARRATIVE);
  return buildExportModel(readFramework(doc), {
    agreedOnly: false,
    versionName: null,
    date: new Date('2026-03-01T12:00:00Z'),
    comments: null,
  });
}

/** A pandoc list as plain data: each item's first text, and nested lists under `sub`. */
type ListShape = Array<{
  text: string;
  sub?: { ordered: boolean; start?: number; items: ListShape };
}>;

function shape(list: PandocNode): { ordered: boolean; start?: number; items: ListShape } {
  const ordered = list.t === 'OrderedList';
  const [attrs, items] = ordered
    ? (list.c as [[number, unknown, unknown], PandocNode[][]])
    : [null, list.c as PandocNode[][]];
  return {
    ordered,
    ...(attrs ? { start: attrs[0] } : {}),
    items: items.map((blocks) => {
      const text = blocks.find((b) => b.t === 'Plain' || b.t === 'Para');
      const nested = blocks.find((b) => b.t === 'BulletList' || b.t === 'OrderedList');
      return {
        text: text ? pandocInlineText(text.c) : '',
        ...(nested ? { sub: shape(nested) } : {}),
      };
    }),
  };
}

describe('DOCX as Word and LibreOffice read it', () => {
  it('pandoc finds real lists with their nesting, each numbered list from 1', async () => {
    const file = await renderExport(model(), 'docx');
    const doc = await pandocJson('docx', file.bytes);
    const start = doc.blocks.findIndex(
      (b) => b.t === 'Para' && pandocInlineText(b.c) === 'Before the lists',
    );
    expect(start).toBeGreaterThan(0);
    const [bullets, numbers, between, again] = doc.blocks.slice(start + 1, start + 5);
    expect(shape(bullets!)).toEqual({
      ordered: false,
      items: [
        { text: 'Alpha Łódź' },
        {
          text: 'Beta',
          sub: {
            ordered: true,
            start: 1,
            items: [
              { text: 'One' },
              { text: 'Two', sub: { ordered: false, items: [{ text: 'Deep Україна' }] } },
            ],
          },
        },
        { text: 'Gamma' },
      ],
    });
    expect(shape(numbers!)).toEqual({
      ordered: true,
      start: 1,
      items: [{ text: 'First' }, { text: 'Second' }],
    });
    expect(pandocInlineText(between!.c)).toBe('Between');
    expect(shape(again!)).toEqual({ ordered: true, start: 1, items: [{ text: 'Again first' }] });

    // Layer titles are Heading 1 (the navigation pane and a table of contents list them).
    const headers = pandocFind(doc, 'Header').filter((h) => (h.c as [number])[0] === 1);
    expect(headers.map((h) => pandocInlineText((h.c as unknown[])[2]))).toEqual(
      model().layers.map((l) => `${l.number}. ${l.title}`),
    );
  });

  it('sets one font family, Title and Heading styles, page X of Y and repeated header rows', async () => {
    const zip = await JSZip.loadAsync((await renderExport(model(), 'docx')).bytes);
    const styles = await zip.file('word/styles.xml')!.async('string');
    expect(styles).toContain(`w:ascii="${DOCX_FONT}"`);
    expect(styles).toContain(`w:hAnsi="${DOCX_FONT}"`);
    for (const id of ['Title', 'Heading1', 'Heading2', 'Heading3']) {
      expect(styles).toContain(`w:styleId="${id}"`);
    }
    const xml = await zip.file('word/document.xml')!.async('string');
    expect(xml).toContain('<w:pStyle w:val="Title"/>');
    expect(xml).toContain('<w:tblHeader/>');
    const footers = await Promise.all(
      Object.keys(zip.files)
        .filter((f) => /^word\/footer\d*\.xml$/.test(f))
        .map((f) => zip.file(f)!.async('string')),
    );
    expect(footers.join('')).toMatch(/PAGE[\s\S]*NUMPAGES/);
  });

  it('LibreOffice converts it to a PDF holding the same Unicode text and page X of Y', async () => {
    const pdf = await libreOfficePdf((await renderExport(model(), 'docx')).bytes);
    const pages = (await pdfText(pdf)).map(squash);
    const all = pages.join(' ');
    for (const word of UNICODE_WORDS) expect(all).toContain(word);
    expect(all).toContain('Рамкова угода про гарантії безпеки');
    pages.forEach((page, i) => expect(page).toContain(`page ${i + 1} of ${pages.length}`));
    for (const page of pages) expect(page).toContain('DRAFT - NOT AGREED');
  }, 120_000);
});
