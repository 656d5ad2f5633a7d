'use client';

import { useState, useSyncExternalStore } from 'react';

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
  const [copied, setCopied] = useState(false);
  return (
    <div className="copy-link">
      <label>
        <span className="label">{label}</span>
        <input readOnly value={url} onFocus={(e) => e.currentTarget.select()} />
      </label>
      <button
        type="button"
        className="button button-secondary"
        onClick={async () => {
          await navigator.clipboard.writeText(url);
          setCopied(true);
        }}
      >
        {copied ? 'Copied' : 'Copy link'}
      </button>
    </div>
  );
}
