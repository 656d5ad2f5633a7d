/**
 * Verifiable copies. An export of a saved version embeds a manifest: the canonical framework
 * (lib/framework/canonical.ts) and the export options it was printed with. Checking a copy:
 *   1. read the manifest back from the file (PDF attachment, DOCX custom property, HTML JSON
 *      data block, Markdown HTML comment);
 *   2. recompute the content hash from the canonical framework it holds;
 *   3. render the same format again from the manifest alone and compare the text a real reader
 *      extracts from both (pdftotext for PDF, pandoc for the others), whitespace collapsed: one
 *      word changed in what the file shows, with the manifest left alone, does not match.
 * The caller then looks the hash up among stored versions. A printed hash alone is never trusted.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import {
  canonicalFramework,
  canonicalJson,
  fromCanonical,
  hashCanonical,
  type CanonicalFramework,
} from '../framework/canonical';
import type { FrameworkView } from '../framework';
import { DOCX_MANIFEST_PROPERTY, renderDocx } from './docx';
import { HTML_MANIFEST_ID, renderHtml } from './html';
import { MD_MANIFEST_PREFIX, renderMarkdown } from './markdown';
import {
  buildExportModel,
  type ExportAppendix,
  type ExportFormat,
  type ExportModel,
} from './model';
import { PDF_MANIFEST_NAME, renderPdf } from './pdf';

export const MANIFEST_FORMAT = 'framework-export/1';

/** What a copy embeds. */
export interface ExportManifest {
  format: typeof MANIFEST_FORMAT;
  canonical: CanonicalFramework;
  agreedOnly: boolean;
  versionName: string;
  /** YYYY-MM-DD, as printed. */
  date: string;
  appendix: ExportAppendix | null;
  /** The colophon lines after the hash, as printed (initials at export time). */
  colophon: string[];
}

/** Adds the hash, colophon and manifest to a model built from `view` with the same options. */
export function withVerification(
  model: ExportModel,
  view: FrameworkView,
  colophon: string[],
): ExportModel {
  const canonical = canonicalFramework(view);
  const manifest: ExportManifest = {
    format: MANIFEST_FORMAT,
    canonical,
    agreedOnly: model.agreedOnly,
    versionName: model.version,
    date: model.date,
    appendix: model.appendix,
    colophon,
  };
  return {
    ...model,
    verification: {
      hash: hashCanonical(canonicalJson(canonical)),
      lines: colophon,
      manifest: canonicalJson(manifest),
    },
  };
}

/** The model a manifest describes: what the copy must show. Throws on a malformed manifest. */
export function modelOfManifest(text: string): { model: ExportModel; manifest: ExportManifest } {
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null) throw new Error('not a manifest');
  const m = parsed as ExportManifest;
  if (
    m.format !== MANIFEST_FORMAT ||
    typeof m.versionName !== 'string' ||
    typeof m.agreedOnly !== 'boolean' ||
    !/^\d{4}-\d{2}-\d{2}$/.test(m.date) ||
    !Array.isArray(m.colophon) ||
    !m.colophon.every((l) => typeof l === 'string')
  ) {
    throw new Error('not a manifest');
  }
  const view = fromCanonical(m.canonical);
  const base = buildExportModel(view, {
    agreedOnly: m.agreedOnly,
    versionName: m.versionName,
    date: new Date(`${m.date}T00:00:00Z`),
    comments: null,
  });
  const model = withVerification({ ...base, appendix: m.appendix ?? null }, view, m.colophon);
  return { model, manifest: m };
}

function run(command: string, args: string[], input?: Uint8Array): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      command,
      args,
      { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024, timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${command} failed: ${stderr.toString() || error.message}`));
        else resolve(stdout);
      },
    );
    child.stdin?.end(input ? Buffer.from(input) : undefined);
  });
}

/** The format of a file from its first bytes (a Markdown copy is whatever text is left). */
export function sniffFormat(bytes: Uint8Array): ExportFormat {
  const head = Buffer.from(bytes.subarray(0, 512)).toString('latin1');
  if (head.startsWith('%PDF-')) return 'pdf';
  if (head.startsWith('PK\u0003\u0004')) return 'docx';
  if (/^\s*(<!doctype html|<html)/i.test(head)) return 'html';
  return 'md';
}

function decodeXml(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&amp;/g, '&');
}

/** The manifest text a file carries, or null when it carries none. */
export async function readManifest(
  bytes: Uint8Array,
  format: ExportFormat,
): Promise<string | null> {
  switch (format) {
    case 'md': {
      const text = Buffer.from(bytes).toString('utf8');
      const at = text.lastIndexOf(`<!-- ${MD_MANIFEST_PREFIX}`);
      if (at < 0) return null;
      const m = /^<!-- framework-verification:([A-Za-z0-9+/=]+) -->/.exec(text.slice(at));
      return m ? Buffer.from(m[1]!, 'base64').toString('utf8') : null;
    }
    case 'html': {
      const text = Buffer.from(bytes).toString('utf8');
      const open = `<script type="application/json" id="${HTML_MANIFEST_ID}">`;
      const at = text.lastIndexOf(open);
      if (at < 0) return null;
      const end = text.indexOf('</script>', at);
      return end < 0 ? null : text.slice(at + open.length, end);
    }
    case 'docx': {
      let files: Record<string, Uint8Array>;
      try {
        files = unzipSync(bytes, { filter: (f) => f.name === 'docProps/custom.xml' });
      } catch {
        return null;
      }
      const xml = files['docProps/custom.xml'];
      if (!xml) return null;
      const m = new RegExp(
        `<property[^>]*name="${DOCX_MANIFEST_PROPERTY}"[^>]*>\\s*<vt:lpwstr>([\\s\\S]*?)</vt:lpwstr>`,
      ).exec(strFromU8(xml));
      return m ? decodeXml(m[1]!) : null;
    }
    case 'pdf': {
      const dir = await mkdtemp(path.join(tmpdir(), 'verify-pdf-'));
      try {
        await writeFile(path.join(dir, 'in.pdf'), bytes);
        const list = (await run('pdfdetach', ['-list', path.join(dir, 'in.pdf')])).toString('utf8');
        const line = list.split('\n').find((l) => l.trim().endsWith(PDF_MANIFEST_NAME));
        const index = line ? /^\s*(\d+):/.exec(line)?.[1] : undefined;
        if (!index) return null;
        const out = path.join(dir, 'manifest.json');
        await run('pdfdetach', ['-save', index, '-o', out, path.join(dir, 'in.pdf')]);
        return (await readFile(out)).toString('utf8');
      } catch {
        return null;
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
  }
}

/** The text a reader shows of a file: pdftotext for PDF, pandoc's plain text for the others. */
export async function visibleText(bytes: Uint8Array, format: ExportFormat): Promise<string> {
  const raw =
    format === 'pdf'
      ? await run('pdftotext', ['-enc', 'UTF-8', '-raw', '-', '-'], bytes)
      : await run(
          'pandoc',
          ['-f', format === 'md' ? 'gfm' : format, '-t', 'plain', '--wrap=none'],
          bytes,
        );
  return raw.toString('utf8').normalize('NFC').replace(/\s+/g, ' ').trim();
}

async function render(model: ExportModel, format: ExportFormat): Promise<Uint8Array> {
  switch (format) {
    case 'pdf':
      return renderPdf(model);
    case 'docx':
      return renderDocx(model);
    case 'html':
      return new TextEncoder().encode(renderHtml(model));
    case 'md':
      return new TextEncoder().encode(renderMarkdown(model));
  }
}

export type CopyCheck =
  | { ok: true; format: ExportFormat; hash: string; manifest: ExportManifest }
  | {
      ok: false;
      format: ExportFormat;
      reason: 'no_manifest' | 'bad_manifest' | 'text_differs';
      /** The hash of the embedded content, when it could be read. */
      hash: string | null;
    };

/** Checks a copy: the hash of what it carries, and that what it shows is what that renders to. */
export async function checkCopy(bytes: Uint8Array): Promise<CopyCheck> {
  const format = sniffFormat(bytes);
  const text = await readManifest(bytes, format);
  if (text === null) return { ok: false, format, reason: 'no_manifest', hash: null };
  let rebuilt: ReturnType<typeof modelOfManifest>;
  try {
    rebuilt = modelOfManifest(text);
  } catch {
    return { ok: false, format, reason: 'bad_manifest', hash: null };
  }
  const hash = hashCanonical(canonicalJson(rebuilt.manifest.canonical));
  const [shown, expected] = await Promise.all([
    visibleText(bytes, format),
    render(rebuilt.model, format).then((b) => visibleText(b, format)),
  ]);
  if (shown !== expected) return { ok: false, format, reason: 'text_differs', hash };
  return { ok: true, format, hash, manifest: rebuilt.manifest };
}
