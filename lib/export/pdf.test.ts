import { describe, expect, it } from 'vitest';
import { readFramework, setNarrative } from '@/lib/framework';
import { LIST_NARRATIVE, unicodeFramework } from './fixtures';
import { buildExportModel, renderExport, type ExportModel } from './index';
import { pdfOutline, pdfStructure, pdfText } from './testing/readers';

// The first PDF of a process parses the fonts (about a second, more on a loaded CI machine).
const PDF_TIMEOUT = 30_000;

function model(): ExportModel {
  const doc = unicodeFramework();
  setNarrative(doc, readFramework(doc).layers[1]!.id, LIST_NARRATIVE);
  return buildExportModel(readFramework(doc), {
    agreedOnly: false,
    versionName: null,
    date: new Date('2026-03-01T12:00:00Z'),
    comments: [],
  });
}

/** The element names of a structure tree ("    LI (block)" -> "LI"), not its attributes or text. */
const names = (tree: string[]) =>
  tree.map((l) => l.trim().split(/[\s:]/)[0]!).filter((n) => /^[A-Z][A-Za-z0-9]*$/.test(n));
const depth = (line: string) => line.length - line.trimStart().length;

describe('PDF worth archiving', () => {
  it(
    'is tagged: a structure tree with headings, lists and tables in reading order',
    async () => {
      const m = model();
      const { tagged, tree } = await pdfStructure((await renderExport(m, 'pdf')).bytes);
      expect(tagged).toBe(true);
      expect(tree[0]).toBe('Document');
      const all = names(tree);
      // The title, then one section per layer (and the appendix) headed by an H2.
      expect(all.filter((n) => n === 'H1')).toHaveLength(1);
      expect(all.filter((n) => n === 'Sect')).toHaveLength(m.layers.length + 1);
      expect(all.filter((n) => n === 'H2')).toHaveLength(m.layers.length + 1);
      for (const n of ['Table', 'TR', 'TH', 'TD', 'L', 'LI', 'Lbl', 'LBody', 'P', 'H3']) {
        expect(all).toContain(n);
      }
      // Header cells are column headers, and data cells point at theirs.
      expect(tree.filter((l) => l.trim() === '/Scope /Column').length).toBeGreaterThan(0);
      expect(tree.some((l) => /^\s+\/Headers \[\(table-\d+-0-\d+\)\]$/.test(l))).toBe(true);
      // The narrative's nesting: a list inside a list item's body, three deep.
      const lists = tree.filter((l) => l.trim() === 'L (block)').map(depth);
      expect(Math.max(...lists) - Math.min(...lists)).toBeGreaterThanOrEqual(8);
      // The running header and footer are artifacts: the marking is content once, on the cover.
      expect(tree.filter((l) => l.trim() === '"DRAFT - NOT AGREED"')).toHaveLength(1);
      expect(tree.some((l) => l.includes('page 1 of'))).toBe(false);
    },
    PDF_TIMEOUT,
  );

  it(
    'has a bookmark per layer on its page, and page X of Y on every page',
    async () => {
      const m = model();
      const file = await renderExport(m, 'pdf');
      const outline = await pdfOutline(file.bytes);
      expect(outline.map((o) => o.title)).toEqual([
        ...m.layers.map((l) => `${l.number}. ${l.title}`),
        'Appendix: comments',
      ]);
      const pages = (await pdfText(file.bytes)).map((p) => p.replace(/\s+/g, ' '));
      for (const { page, title } of outline) expect(pages[page - 1]).toContain(title);
      pages.forEach((p, i) => expect(p).toContain(`page ${i + 1} of ${pages.length}`));
    },
    PDF_TIMEOUT,
  );
});
