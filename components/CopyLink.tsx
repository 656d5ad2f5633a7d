'use client';

import { useRef, useState, useSyncExternalStore } from 'react';
import { copyText } from './copy-text';

const noSubscription = () => () => undefined;

/** Shows a link of this site in full, with a button that copies it. */
export function CopyLink({ path, label }: { path: string; label: string }) {
  // The page's origin exists only in the browser; the server renders the bare path.
  const origin = useSyncExternalStore(
    noSubscription,
    () => window.location.origin,
    () => '',
  );
  const url = origin ? new URL(path, origin).toString() : path;
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'no' | 'yes' | 'manual'>('no');
  return (
    <div className="copy-link">
      <label>
        <span className="label">{label}</span>
        <input ref={input} readOnly value={url} onFocus={(e) => e.currentTarget.select()} />
      </label>
      <button
        type="button"
        className="button button-secondary"
        onClick={async () => {
          // Neither way worked: the link is selected in the field for the keyboard to copy.
          setCopied((await copyText(url, input.current)) ? 'yes' : 'manual');
        }}
      >
        {copied === 'yes' ? 'Copied' : 'Copy link'}
      </button>
      {copied === 'manual' && (
        <p className="hint" role="status">
          The link is selected: press Ctrl+C (⌘C on a Mac) to copy it.
        </p>
      )}
    </div>
  );
}
