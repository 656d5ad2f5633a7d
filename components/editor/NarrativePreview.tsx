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
  onPointerDown,
}: {
  text: string;
  loading?: boolean;
  onPointerDown?: () => void;
}) {
  return (
    <div
      className="ed-narrative ed-narrative-preview"
      aria-busy={loading || undefined}
      onPointerDown={onPointerDown}
    >
      <div className="ed-toolbar-placeholder" aria-hidden="true" />
      <div className="ed-prose">
        {text.split('\n').map((line, i) => (
          <p key={i}>{line}</p>
        ))}
      </div>
    </div>
  );
}
