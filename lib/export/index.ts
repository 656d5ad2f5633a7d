/**
 * lib/export: renders a framework (a plain FrameworkView, never Yjs) to DOCX, PDF, Markdown and
 * HTML. buildExportModel decides what is in and what is marked; the renderers only print it.
 */
import { renderDocx } from './docx';
import { renderHtml } from './html';
import { renderMarkdown } from './markdown';
import { exportFileName, type ExportFormat, type ExportModel } from './model';
import { renderPdf } from './pdf';

export * from './model';
export { renderDocx, renderHtml, renderMarkdown, renderPdf };

const CONTENT_TYPES: Record<ExportFormat, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
};

export interface RenderedExport {
  bytes: Uint8Array;
  contentType: string;
  fileName: string;
}

/** Renders one format and names the file after the framework and version. */
export async function renderExport(
  model: ExportModel,
  format: ExportFormat,
): Promise<RenderedExport> {
  let bytes: Uint8Array;
  switch (format) {
    case 'docx':
      bytes = await renderDocx(model);
      break;
    case 'pdf':
      bytes = await renderPdf(model);
      break;
    case 'md':
      bytes = new TextEncoder().encode(renderMarkdown(model));
      break;
    case 'html':
      bytes = new TextEncoder().encode(renderHtml(model));
      break;
  }
  return { bytes, contentType: CONTENT_TYPES[format], fileName: exportFileName(model, format) };
}
