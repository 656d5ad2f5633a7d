import JSZip from 'jszip';
import { parse as parseHtml } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import {
  createFrameworkDoc,
  readFramework,
  safeHref,
  type FrameworkView,
  type Inline,
  type NarrativeBlock,
} from '@/lib/framework';
import { buildExportModel, renderExport, type ExportModel } from './index';
import {
  pandocFind,
  pandocInlineText,
  pandocJson,
  pdfText,
  type PandocNode,
} from './testing/readers';

const SAFE = ['https://example.org/a?b=1&c=(2)', 'mailto:ana@example.org'];
const REFUSED = [
  'javascript:alert(1)',
  ' JaVaScRiPt:alert(1)',
  'java\tscript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  'file:///etc/passwd',
  '//evil.example/x',
];

/** Text that Markdown would read as structure or formatting if written as it is. */
const HOSTILE = [
  '1. not a list',
  '- not a list',
  '---',
  '***',
  '# not a heading',
  '> not a quote',
  '+ not a list',
  '* not a list',
  '===',
  'a) not a list',
  'A. not a list',
  'iv. not a list',
  ': not a definition',
  '| a | b |',
  '```',
  '~~~',
  '<script>alert(1)</script>',
  '[x](javascript:alert(1))',
  '&copy; &amp;',
  '$x$ ^sup^ @cite',
  '2026. A year',
  '*emphasis* _x_ **strong** `code`',
];

const text = (t: string, href?: string): Inline => ({
  type: 'text',
  text: t,
  marks: href === undefined ? [] : [{ type: 'link', href }],
});
const para = (...content: Inline[]): NarrativeBlock => ({ type: 'paragraph', content });

function modelWith(narrative: NarrativeBlock[]): ExportModel {
  const base = readFramework(createFrameworkDoc('five-layer'));
  // One layer holding only the narrative under test.
  const view: FrameworkView = {
    ...base,
    layers: [
      {
        ...base.layers[0]!,
        narrative: { text: '', blocks: narrative },
        commitments: [],
        triggers: [],
        positions: {},
        dependencies: [],
        openQuestions: [],
        risks: [],
      },
    ],
  };
  return buildExportModel(view, {
    agreedOnly: false,
    versionName: null,
    date: new Date('2026-03-01T12:00:00Z'),
    comments: null,
  });
}

const linkLabel = (i: number) => `link number ${i}`;
function linksModel(): ExportModel {
  return modelWith([
    para(...[...SAFE, ...REFUSED].flatMap((href, i) => [text(linkLabel(i), href), text(' ')])),
  ]);
}

const pandocTargets = (doc: unknown) =>
  pandocFind(doc, 'Link').map(
    (l: PandocNode) => (l.c as [unknown, unknown, [string, string]])[2][0],
  );

describe('the one link rule', () => {
  it('keeps http, https and mailto only, trimmed', () => {
    expect(safeHref(' https://example.org ')).toBe('https://example.org');
    expect(safeHref('HTTP://example.org')).toBe('HTTP://example.org');
    expect(safeHref('mailto:a@b.c')).toBe('mailto:a@b.c');
    for (const href of REFUSED) expect(safeHref(href)).toBeNull();
  });

  it('the model carries no other link to any renderer', () => {
    const hrefs = linksModel()
      .layers.flatMap((l) => l.narrative)
      .flatMap((b) => (b.type === 'paragraph' ? b.content : []))
      .flatMap((i) => (i.type === 'text' && i.href ? [i.href] : []));
    expect(hrefs).toEqual(SAFE);
  });

  it('HTML links only the safe addresses and keeps every label', async () => {
    const html = new TextDecoder().decode((await renderExport(linksModel(), 'html')).bytes);
    const root = parseHtml(html);
    expect(root.querySelectorAll('a').map((a) => a.getAttribute('href'))).toEqual(SAFE);
    for (let i = 0; i < SAFE.length + REFUSED.length; i++)
      expect(root.text).toContain(linkLabel(i));
    expect(html).not.toMatch(/javascript:|vbscript:|data:text|file:/i);
  });

  it('Markdown, read by pandoc, links only the safe addresses', async () => {
    const file = await renderExport(linksModel(), 'md');
    const md = new TextDecoder().decode(file.bytes);
    expect(md).not.toMatch(/javascript:|vbscript:|data:text|file:/i);
    for (const from of ['markdown', 'commonmark'] as const) {
      const doc = await pandocJson(from, file.bytes);
      expect(pandocTargets(doc)).toEqual(SAFE);
    }
  });

  it('DOCX, read by pandoc, links only the safe addresses; no other target in the package', async () => {
    const file = await renderExport(linksModel(), 'docx');
    expect(pandocTargets(await pandocJson('docx', file.bytes))).toEqual(SAFE);
    const zip = await JSZip.loadAsync(file.bytes);
    const rels = await zip.file('word/_rels/document.xml.rels')!.async('string');
    expect(rels).not.toMatch(/javascript:|vbscript:|data:|file:/i);
    const targets = [...rels.matchAll(/Target="([^"]*)"[^>]*TargetMode="External"/g)].map((m) =>
      m[1]!.replace(/&amp;/g, '&'),
    );
    expect(targets.sort()).toEqual([...SAFE].sort());
  });

  it('PDF prints every label (it makes no link annotations)', async () => {
    const file = await renderExport(linksModel(), 'pdf');
    const all = (await pdfText(file.bytes)).join(' ').replace(/\s+/g, ' ');
    for (let i = 0; i < SAFE.length + REFUSED.length; i++) expect(all).toContain(linkLabel(i));
    expect(Buffer.from(file.bytes).toString('latin1')).not.toContain('/URI');
  }, 30_000);
});

describe('Markdown escapes what would change its structure', () => {
  const narrative = [
    ...HOSTILE.map((t) => para(text(t))),
    // After a line break: a setext underline and a list would take the line above with them.
    para(text('Line one'), { type: 'hardBreak' }, text('---')),
    para(text('Line one'), { type: 'hardBreak' }, text('1. two')),
    {
      type: 'list',
      ordered: false,
      items: [[para(text('1. item that is not a nested list'))]],
    } satisfies NarrativeBlock,
  ];

  for (const from of ['markdown', 'commonmark'] as const) {
    it(`pandoc -f ${from} reads each hostile line back as the same text`, async () => {
      const file = await renderExport(modelWith(narrative), 'md');
      const doc = await pandocJson(from, file.bytes);
      // The narrative comes after the layer's facts (the second bullet list of the document).
      const facts = doc.blocks.filter((b) => b.t === 'BulletList')[1]!;
      const after = doc.blocks.slice(doc.blocks.indexOf(facts) + 1);
      const paras = after.slice(0, HOSTILE.length + 2);
      expect(paras.map((b) => b.t)).toEqual(Array<string>(HOSTILE.length + 2).fill('Para'));
      expect(paras.slice(0, HOSTILE.length).map((b) => pandocInlineText(b.c))).toEqual(HOSTILE);
      expect(pandocInlineText(paras[HOSTILE.length]!.c)).toBe('Line one\n---');
      expect(pandocInlineText(paras[HOSTILE.length + 1]!.c)).toBe('Line one\n1. two');

      const list = after[HOSTILE.length + 2]!;
      expect(list.t).toBe('BulletList');
      const items = list.c as PandocNode[][];
      expect(items).toHaveLength(1);
      expect(items[0]!.map((b) => b.t)).toEqual(['Plain']);
      expect(pandocInlineText(items[0]![0]!.c)).toBe('1. item that is not a nested list');
    });
  }

  it('keeps leading blanks as text, not an indented code block', async () => {
    const file = await renderExport(modelWith([para(text('    four spaces'))]), 'md');
    const doc = await pandocJson('commonmark', file.bytes);
    expect(pandocFind(doc, 'CodeBlock')).toEqual([]);
    expect(pandocFind(doc, 'Para').map((p) => pandocInlineText(p.c))).toContain('    four spaces');
  });
});
