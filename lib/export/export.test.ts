import JSZip from 'jszip';
import { parse as parseHtml } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { readFramework } from '@/lib/framework';
import { BRACKET_TEXT, agreedFramework, filledFramework } from './fixtures';
import {
  DRAFT_MARKING,
  buildExportModel,
  renderExport,
  type ExportFormat,
  type ExportModel,
  type ExportOptions,
} from './index';
import { pdfText } from './testing/readers';

const DATE = new Date('2026-03-01T12:00:00Z');
const squash = (s: string) => s.replace(/\s+/g, ' ').trim();
// PDF lines break after a hyphen inside a word ("air-" / "defence"): read those back joined.
const unwrap = (s: string) => squash(s).replace(/(\w)- (?=\w)/g, '$1-');

function modelOf(doc: Y.Doc, options: Partial<ExportOptions> = {}): ExportModel {
  return buildExportModel(readFramework(doc), {
    agreedOnly: false,
    versionName: 'v0.3 sent to capitals',
    date: DATE,
    comments: null,
    ...options,
  });
}

/** What a reader finds in the file: text per page (one page for md/html) and table rows. */
interface ReadBack {
  pages: string[];
  rows: string[][];
  /** Text repeated on every page (headers/footers) where the format has pages. */
  everyPage: string[];
}

async function readPdf(bytes: Uint8Array): Promise<ReadBack> {
  // Poppler's pdftotext, as a recipient would read it (pdfjs took seconds per file with
  // embedded fonts).
  const pages = (await pdfText(bytes)).map(unwrap);
  // PDF tables are drawn cells: a row reads as its cells in order on the page.
  return { pages, rows: [], everyPage: pages };
}

async function readDocx(bytes: Uint8Array): Promise<ReadBack> {
  const zip = await JSZip.loadAsync(bytes);
  const xml = await zip.file('word/document.xml')!.async('string');
  const textOf = (part: string) =>
    [...part.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)]
      .map((p) =>
        [...p[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => decodeXml(t[1]!)).join(''),
      )
      .join('\n');
  const rows = [...xml.matchAll(/<w:tr[ >][\s\S]*?<\/w:tr>/g)].map((tr) =>
    [...tr[0].matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g)].map((tc) => squash(textOf(tc[0]))),
  );
  const headerFiles = Object.keys(zip.files).filter((f) =>
    /^word\/(header|footer)\d*\.xml$/.test(f),
  );
  const stamps = await Promise.all(headerFiles.map((f) => zip.file(f)!.async('string')));
  // A section's header and footer print on every page of it; this document has one section.
  return { pages: [textOf(xml)], rows, everyPage: [squash(stamps.map(textOf).join('\n'))] };
}

function decodeXml(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

function readHtml(bytes: Uint8Array): ReadBack {
  const root = parseHtml(new TextDecoder().decode(bytes));
  const rows = root
    .querySelectorAll(
      'table.commitments tbody tr, table.triggers tbody tr, table.positions tbody tr',
    )
    .map((tr) => tr.querySelectorAll('td').map((td) => squash(td.text)));
  const body = squash(root.querySelector('body')!.text);
  return { pages: [body], rows, everyPage: [body] };
}

function readMarkdown(bytes: Uint8Array): ReadBack {
  const text = new TextDecoder().decode(bytes);
  const unescape = (s: string) => s.replace(/\\(.)/g, '$1');
  const lines = text.split('\n');
  const separator = (l: string | undefined) => l !== undefined && /^\|( --- \|)+$/.test(l);
  // Body rows only: a table's header is the line above its separator.
  const rows = lines
    .filter((l, i) => l.startsWith('|') && !separator(l) && !separator(lines[i + 1]))
    .map((l) =>
      l
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => squash(unescape(c))),
    );
  const plain = squash(unescape(text.replace(/\*\*|(?<!\\)_/g, '')));
  return { pages: [plain], rows, everyPage: [plain] };
}

async function readBack(format: ExportFormat, bytes: Uint8Array): Promise<ReadBack> {
  switch (format) {
    case 'pdf':
      return readPdf(bytes);
    case 'docx':
      return readDocx(bytes);
    case 'html':
      return readHtml(bytes);
    case 'md':
      return readMarkdown(bytes);
  }
}

const FORMATS: ExportFormat[] = ['docx', 'pdf', 'md', 'html'];

describe.each(FORMATS)('export to %s', (format) => {
  it('holds every layer, table row and marking of a filled framework', async () => {
    const doc = filledFramework();
    const view = readFramework(doc);
    const model = modelOf(doc);
    const file = await renderExport(model, format);
    expect(file.fileName).toMatch(new RegExp(`-v0\\.3-sent-to-capitals\\.${format}$`));
    const back = await readBack(format, file.bytes);
    const all = back.pages.join(' ');

    expect(all).toContain(squash(view.title));
    expect(all).toContain('v0.3 sent to capitals');
    expect(all).toContain('2026-03-01');
    expect(all).toContain(model.statusSummary);
    for (const party of view.parties) expect(all).toContain(party.name);
    expect(view.layers.length).toBe(7);
    for (const layer of model.layers) {
      expect(all).toContain(`${layer.number}. ${squash(layer.title)}`);
      expect(all).toContain(layer.kind);
      for (const row of [...layer.commitments, ...layer.triggers, ...layer.positions]) {
        const cells = row.map(squash).filter((c) => c !== '');
        if (back.rows.length > 0) expect(back.rows).toContainEqual(row.map(squash));
        // In the PDF a row reads as its cells in order on the layer's page.
        else expect(all).toContain(unwrap(cells.join(' ')));
      }
    }
    const rowCount = view.layers.reduce(
      (n, l) => n + l.commitments.length + l.triggers.length + Object.keys(l.positions).length,
      0,
    );
    expect(rowCount).toBeGreaterThan(20);
    if (format !== 'pdf' && format !== 'docx') expect(back.rows).toHaveLength(rowCount);

    // Unagreed text: the bracket with its proposer, and every non-agreed layer labelled.
    expect(all).toContain(
      `[${BRACKET_TEXT}] (proposed by France; alternatives: [within 7 days] (Poland))`,
    );
    const labels = all.match(/NOT AGREED \((Draft|Proposed)\)/g) ?? [];
    expect(labels).toHaveLength(6);
    for (const page of back.everyPage) expect(page).toContain(DRAFT_MARKING);
    if (format === 'pdf') expect(back.pages.length).toBeGreaterThanOrEqual(8);
  });

  it('agreed layers only: leaves the others out and drops the DRAFT marking', async () => {
    const doc = filledFramework();
    const view = readFramework(doc);
    const model = modelOf(doc, { agreedOnly: true });
    expect(model.layers.map((l) => l.id)).toEqual([view.layers[0]!.id]);
    const back = await readBack(format, (await renderExport(model, format)).bytes);
    const all = back.pages.join(' ');
    expect(all).toContain(`1. ${squash(view.layers[0]!.title)}`);
    for (const layer of view.layers.slice(1)) expect(all).not.toContain(squash(layer.title));
    expect(all).not.toContain(BRACKET_TEXT);
    expect(all).not.toContain('NOT AGREED');
  });

  it('marks an agreed framework DRAFT only while a bracket is open', async () => {
    const agreed = await readBack(
      format,
      (await renderExport(modelOf(agreedFramework()), format)).bytes,
    );
    expect(agreed.pages.join(' ')).not.toContain('NOT AGREED');

    // The same bracket in an otherwise agreed document: draft again, layer labelled.
    const doc = filledFramework();
    const rebuilt = buildExportModel(
      {
        ...readFramework(doc),
        layers: readFramework(doc).layers.map((l) => ({ ...l, status: 'agreed' as const })),
      },
      { agreedOnly: false, versionName: null, date: DATE, comments: null },
    );
    expect(rebuilt.layers).toHaveLength(7);
    expect(rebuilt.draft).toBe(true);
    const back = await readBack(format, (await renderExport(rebuilt, format)).bytes);
    for (const page of back.everyPage) expect(page).toContain(DRAFT_MARKING);
    expect(back.pages.join(' ')).toContain('NOT AGREED (1 open bracket)');
    expect(back.pages.join(' ')).toContain('current');
  });

  it('marks a layer agreed ad referendum with the capitals still to confirm, and keeps DRAFT', async () => {
    const view = readFramework(agreedFramework());
    const [first, ...rest] = view.layers;
    const poland = view.parties.find((p) => p.name === 'Poland') ?? view.parties[0]!;
    const other = view.parties.find((p) => p.id !== poland.id)!;
    const model = buildExportModel(
      {
        ...view,
        layers: [
          {
            ...first!,
            status: 'agreed_ad_ref',
            statusDetail: {
              confirmBy: '2030-01-01T00:00:00Z',
              adReferendum: {
                required: [poland.id, other.id],
                confirmed: { [other.id]: { by: 'u', name: 'N', chair: false, at: 'x' } },
              },
            },
          },
          ...rest,
        ],
      },
      { agreedOnly: false, versionName: null, date: DATE, comments: null },
    );
    expect(model.draft).toBe(true);
    const back = await readBack(format, (await renderExport(model, format)).bytes);
    expect(unwrap(back.pages.join(' '))).toContain(
      `AGREED AD REFERENDUM, pending confirmation by: ${poland.name}`,
    );
    for (const page of back.everyPage) expect(page).toContain(DRAFT_MARKING);
  });

  it('marks a layer agreed in package as provisionally agreed, package pending, and keeps DRAFT', async () => {
    const view = readFramework(agreedFramework());
    const [first, second, ...rest] = view.layers;
    const model = buildExportModel(
      {
        ...view,
        layers: [
          { ...first!, status: 'agreed_in_package', statusDetail: {} },
          { ...second!, status: 'agreed_in_package', statusDetail: {} },
          ...rest,
        ],
        packages: [
          {
            id: 'p1',
            name: 'Four legs',
            layerIds: [first!.id, second!.id],
            created: { by: 'u', at: '2026-12-01T00:00:00Z' },
          },
        ],
      },
      { agreedOnly: true, versionName: null, date: DATE, comments: null },
    );
    expect(model.draft).toBe(true);
    const back = await readBack(format, (await renderExport(model, format)).bytes);
    expect(unwrap(back.pages.join(' '))).toContain(
      'PROVISIONALLY AGREED, package "Four legs" pending',
    );
    for (const page of back.everyPage) expect(page).toContain(DRAFT_MARKING);
  });

  it('appends comments, resolved and open, when asked', async () => {
    const doc = filledFramework();
    const [first, second] = readFramework(doc).layers;
    const comments = [
      {
        layerId: first!.id,
        quote: 'monitoring mission',
        resolved: true,
        comments: [{ author: 'Ana Ionescu', body: 'Agreed <in> London', at: DATE }],
      },
      {
        layerId: second!.id,
        quote: null,
        resolved: false,
        comments: [{ author: 'Jean Martin', body: 'Seven days is too long', at: DATE }],
      },
    ];
    const withAppendix = (
      await readBack(format, (await renderExport(modelOf(doc, { comments }), format)).bytes)
    ).pages.join(' ');
    expect(withAppendix).toContain('Appendix: comments');
    expect(withAppendix).toContain(`${squash(first!.title)} (resolved)`);
    expect(withAppendix).toContain(`${squash(second!.title)} (open)`);
    expect(withAppendix).toContain('Ana Ionescu (2026-03-01 12:00 UTC): Agreed <in> London');
    expect(withAppendix).toContain('Seven days is too long');
    const without = (await readBack(format, (await renderExport(modelOf(doc), format)).bytes))
      .pages;
    expect(without.join(' ')).not.toContain('Appendix');
  });
});
