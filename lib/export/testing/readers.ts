/**
 * Real readers for export tests: Debian's poppler-utils (pdftotext, pdffonts) and pandoc, run as
 * a person receiving the file would. scripts/test.sh checks they are installed (.ci/run installs
 * them) and leaves the tests that need them out, naming what is missing, when they are not.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Runs a reader with the file on standard input and returns what it prints. */
function run(command: string, args: string[], input: Uint8Array): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      command,
      args,
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error)
          reject(new Error(`${command} ${args.join(' ')} failed: ${stderr || error.message}`));
        else resolve(stdout);
      },
    );
    child.stdin?.end(Buffer.from(input));
  });
}

/** The text of each page, as pdftotext reads it in drawing order (-raw: a table row's cells in order). */
export async function pdfText(bytes: Uint8Array): Promise<string[]> {
  const text = await run('pdftotext', ['-enc', 'UTF-8', '-raw', '-', '-'], bytes);
  // Pages end with a form feed; the last one is followed by nothing.
  return text.split('\f').slice(0, -1);
}

export interface PdfFont {
  name: string;
  type: string;
  embedded: boolean;
  subset: boolean;
  unicode: boolean;
}

/** The fonts the pages use, as pdffonts lists them. */
export async function pdfFonts(bytes: Uint8Array): Promise<PdfFont[]> {
  const out = await run('pdffonts', ['-'], bytes);
  return out
    .split('\n')
    .slice(2)
    .filter((l) => l.trim() !== '')
    .map((line) => {
      // name type... encoding emb sub uni object-id generation: read from the right.
      const cols = line.trim().split(/\s+/);
      const [emb, sub, uni] = cols.slice(-5, -2);
      return {
        name: cols[0]!,
        type: cols.slice(1, -6).join(' '),
        embedded: emb === 'yes',
        subset: sub === 'yes',
        unicode: uni === 'yes',
      };
    });
}

/** pdfinfo's logical structure tree (`-struct-text`): one element, attribute or quoted text per
 * line, indented by depth. */
export async function pdfStructure(
  bytes: Uint8Array,
): Promise<{ tagged: boolean; tree: string[] }> {
  const info = await run('pdfinfo', ['-'], bytes);
  const tree = await run('pdfinfo', ['-struct-text', '-'], bytes);
  return {
    tagged: /^Tagged:\s+yes$/m.test(info),
    tree: tree.split('\n').filter((l) => l.trim() !== ''),
  };
}

/** The bookmarks (outline) with their page numbers, as pdftohtml lists them. */
export async function pdfOutline(
  bytes: Uint8Array,
): Promise<Array<{ page: number; title: string }>> {
  const dir = await mkdtemp(path.join(tmpdir(), 'export-outline-'));
  try {
    await writeFile(path.join(dir, 'in.pdf'), bytes);
    const xml = await run(
      'pdftohtml',
      ['-xml', '-i', '-q', '-stdout', path.join(dir, 'in.pdf')],
      new Uint8Array(),
    );
    const outline = /<outline>([\s\S]*?)<\/outline>/.exec(xml)?.[1] ?? '';
    return [...outline.matchAll(/<item page="(\d+)">([^<]*)<\/item>/g)].map((m) => ({
      page: Number(m[1]),
      title: m[2]!
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&apos;/g, "'")
        .replace(/&amp;/g, '&'),
    }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The DOCX converted to PDF by LibreOffice headless (Debian's libreoffice-writer-nogui), with a
 * profile of its own so runs side by side do not share one.
 */
export async function libreOfficePdf(docx: Uint8Array): Promise<Uint8Array> {
  const dir = await mkdtemp(path.join(tmpdir(), 'export-lo-'));
  try {
    await writeFile(path.join(dir, 'in.docx'), docx);
    await run(
      'soffice',
      [
        `-env:UserInstallation=file://${dir}/profile`,
        '--headless',
        '--convert-to',
        'pdf',
        '--outdir',
        dir,
        path.join(dir, 'in.docx'),
      ],
      new Uint8Array(),
    );
    return new Uint8Array(await readFile(path.join(dir, 'in.pdf')));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Pandoc's readers the tests use: pandoc's own Markdown, strict CommonMark, Word. */
export type PandocFormat = 'markdown' | 'commonmark' | 'docx';

/** Pandoc's JSON AST of a document in `from` (markdown, docx). */
export async function pandocJson(from: PandocFormat, bytes: Uint8Array): Promise<PandocDoc> {
  return JSON.parse(await run('pandoc', ['-f', from, '-t', 'json'], bytes)) as PandocDoc;
}

/** Pandoc's plain-text rendering of a document, title (DOCX Title style) included. */
export function pandocPlain(from: PandocFormat, bytes: Uint8Array): Promise<string> {
  return run('pandoc', ['-f', from, '-t', 'plain', '--wrap=none', '--standalone'], bytes);
}

/** The parts of pandoc's AST the tests look at. */
export interface PandocNode {
  t: string;
  c?: unknown;
}
export interface PandocDoc {
  blocks: PandocNode[];
}

/** Every node of type `t`, depth first. */
export function pandocFind(root: unknown, t: string): PandocNode[] {
  const found: PandocNode[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') {
      const node = v as PandocNode;
      if (node.t === t) found.push(node);
      if ('c' in node) walk(node.c);
      if ('blocks' in node) walk((node as unknown as PandocDoc).blocks);
    }
  };
  walk(root);
  return found;
}

/** The text of a pandoc inline list (Str, Space, SoftBreak ...). */
export function pandocInlineText(inlines: unknown): string {
  if (!Array.isArray(inlines)) return '';
  return inlines
    .map((i: PandocNode) => {
      switch (i.t) {
        case 'Str':
          return i.c as string;
        case 'Space':
        case 'SoftBreak':
          return ' ';
        case 'LineBreak':
          return '\n';
        case 'Link':
        case 'Span':
          return pandocInlineText((i.c as unknown[])[1]);
        case 'Quoted':
          return pandocInlineText((i.c as unknown[])[1]);
        case 'Strong':
        case 'Emph':
        case 'Underline':
        case 'Strikeout':
          return pandocInlineText(i.c);
        default:
          return '';
      }
    })
    .join('');
}
