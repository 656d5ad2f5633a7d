'use client';

/**
 * A narrative as plain paragraphs, where its editor is not there yet: a layer not yet mounted,
 * or a mounted one while the editor engine (ProseMirror and Tiptap, a chunk of its own) is still
 * loading. Readable and found by the browser's find-in-page; `onPointerDown` lets the layer give
 * the editor focus once it is there, so a click made too early is not lost.
 */
export function NarrativePreview({
  text,
  loading = false,
  failed = false,
  onPointerDown,
}: {
  text: string;
  loading?: boolean;
  /** The editor could not be loaded: say so, rather than leave a text that takes no typing. */
  failed?: boolean;
  onPointerDown?: () => void;
}) {
  return (
    <div
      className="ed-narrative ed-narrative-preview"
      aria-busy={(loading && !failed) || undefined}
      onPointerDown={onPointerDown}
    >
      {failed ? (
        <p className="ed-narrative-failed" role="alert">
          The text editor did not load. Check the connection, then reload the page.
        </p>
      ) : (
        <div className="ed-toolbar-placeholder" aria-hidden="true" />
      )}
      <div className="ed-prose">
        {text.split('\n').map((line, i) => (
          <p key={i}>{line}</p>
        ))}
      </div>
    </div>
  );
}
