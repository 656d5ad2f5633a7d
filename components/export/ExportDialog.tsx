'use client';

import { useId, useRef, useState } from 'react';

const FORMATS = [
  { value: 'pdf', label: 'PDF' },
  { value: 'docx', label: 'Word (DOCX)' },
  { value: 'md', label: 'Markdown' },
  { value: 'html', label: 'HTML' },
] as const;
type Format = (typeof FORMATS)[number]['value'];

/** The export URL for the chosen options; the server renders from the stored state. */
export function exportHref(
  workspaceId: string,
  frameworkId: string,
  options: { format: Format; agreedOnly: boolean; comments: boolean; versionId?: string },
): string {
  const query = new URLSearchParams({ format: options.format });
  if (options.agreedOnly) query.set('agreedOnly', '1');
  if (options.comments) query.set('comments', '1');
  if (options.versionId) query.set('version', options.versionId);
  return `/api/groups/${workspaceId}/frameworks/${frameworkId}/export?${query.toString()}`;
}

/** "Export" button opening a native dialog: format, agreed layers only, comments appendix. */
export function ExportDialog({
  workspaceId,
  frameworkId,
  versionId,
}: {
  workspaceId: string;
  frameworkId: string;
  versionId?: string;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [format, setFormat] = useState<Format>('pdf');
  const [agreedOnly, setAgreedOnly] = useState(false);
  const [comments, setComments] = useState(false);
  const titleId = useId();
  const href = exportHref(workspaceId, frameworkId, { format, agreedOnly, comments, versionId });

  return (
    <>
      <button
        type="button"
        className="button button-secondary"
        onClick={() => dialog.current?.showModal()}
      >
        Export
      </button>
      <dialog ref={dialog} className="export-dialog" aria-labelledby={titleId}>
        <form method="dialog">
          <h2 id={titleId}>Export {versionId ? 'this version' : 'the framework'}</h2>
          <fieldset>
            <legend>Format</legend>
            {FORMATS.map((f) => (
              <label key={f.value} className="export-option">
                <input
                  type="radio"
                  name="format"
                  value={f.value}
                  checked={format === f.value}
                  onChange={() => setFormat(f.value)}
                />{' '}
                {f.label}
              </label>
            ))}
          </fieldset>
          <label className="export-option">
            <input
              type="checkbox"
              checked={agreedOnly}
              onChange={(e) => setAgreedOnly(e.target.checked)}
            />{' '}
            Agreed layers only
          </label>
          <label className="export-option">
            <input
              type="checkbox"
              checked={comments}
              onChange={(e) => setComments(e.target.checked)}
            />{' '}
            Include comments (resolved and open) as an appendix
          </label>
          <p className="muted">
            Rendered from the last saved state; anything not agreed is marked DRAFT.
          </p>
          <div className="export-actions">
            <a className="button button-primary" href={href} download>
              Download
            </a>
            <button type="submit" className="button button-quiet">
              Close
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
