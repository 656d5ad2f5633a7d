'use client';

import { useEffect, useState } from 'react';

/** Shows a link of this site in full, with a button that copies it. */
export function CopyLink({ path, label }: { path: string; label: string }) {
  const [url, setUrl] = useState(path);
  const [copied, setCopied] = useState(false);
  useEffect(() => setUrl(new URL(path, window.location.origin).toString()), [path]);
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
