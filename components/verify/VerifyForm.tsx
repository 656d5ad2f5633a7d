'use client';

import Link from 'next/link';
import { useState } from 'react';

interface Match {
  workspaceId: string;
  frameworkId: string;
  frameworkTitle: string;
  versionId: string;
  versionName: string;
  savedAt: string;
  initialling: {
    intact: boolean;
    required: Array<{ id: string; name: string }>;
    initials: Array<{ party: string; partyName: string; name: string; at: string }>;
    missing: Array<{ id: string; name: string }>;
  } | null;
}

interface Result {
  checked: 'file' | 'hash';
  format: string | null;
  hash: string | null;
  problem: null | 'no_manifest' | 'bad_manifest' | 'text_differs';
  agreedOnly: boolean;
  matches: Match[];
}

const PROBLEMS: Record<NonNullable<Result['problem']>, string> = {
  no_manifest:
    'This file carries no verification data: it is not an export of a saved version, or that data was removed.',
  bad_manifest: 'The verification data in this file is damaged or not of this product.',
  text_differs:
    'The text this file shows differs from the content it carries: it has been changed since it was exported. It does not verify.',
};

const utc = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

function toBase64(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** The verify form: a file or a hash in, which version it is (or that it matches nothing) out. */
export function VerifyForm() {
  const [file, setFile] = useState<File | null>(null);
  const [hash, setHash] = useState('');
  const [result, setResult] = useState<Result | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function verify(body: Record<string, string>) {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const response = await fetch('/api/verify', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const data = (await response.json()) as Result & { message?: string };
      if (!response.ok) setError(data.message ?? 'The check failed.');
      else setResult(data);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <form
        className="version-form"
        aria-label="Verify a file"
        onSubmit={async (e) => {
          e.preventDefault();
          if (file) await verify({ file: toBase64(await file.arrayBuffer()) });
        }}
      >
        <label>
          Exported file
          <input
            type="file"
            name="file"
            accept=".pdf,.docx,.html,.htm,.md"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </label>
        <button type="submit" className="button" disabled={busy || !file}>
          Verify file
        </button>
      </form>
      <form
        className="version-form"
        aria-label="Verify a hash"
        onSubmit={(e) => {
          e.preventDefault();
          void verify({ hash });
        }}
      >
        <label>
          Content hash
          <input
            name="hash"
            value={hash}
            onChange={(e) => setHash(e.target.value)}
            placeholder="64 hexadecimal digits"
            size={70}
          />
        </label>
        <button type="submit" className="button button-secondary" disabled={busy || !hash.trim()}>
          Look up hash
        </button>
      </form>
      {busy && <p aria-live="polite">Checking…</p>}
      {error && (
        <p role="alert" className="form-error">
          {error}
        </p>
      )}
      {result && (
        <section aria-label="Verification result" data-testid="verify-result">
          {result.problem ? (
            <p role="alert" className="form-error" data-outcome="refused">
              {PROBLEMS[result.problem]}
            </p>
          ) : result.matches.length === 0 ? (
            <p role="alert" className="form-error" data-outcome="no-match">
              {result.checked === 'file'
                ? 'The file is intact, but its content matches no saved version in your groups.'
                : 'This hash matches no saved version in your groups.'}
            </p>
          ) : (
            <>
              <p data-outcome="verified">
                <strong>
                  {result.checked === 'file'
                    ? `Verified: this ${result.format?.toUpperCase()} copy shows exactly the text of`
                    : 'This hash is the text of'}
                </strong>{' '}
                {result.matches.length === 1 ? 'this saved version' : 'these saved versions'}
                {result.agreedOnly ? ' (a copy of its agreed layers only)' : ''}:
              </p>
              <p className="muted">
                Content hash: <code>{result.hash}</code>
              </p>
              <ul className="stack">
                {result.matches.map((m) => (
                  <li key={m.versionId}>
                    <Link
                      href={`/groups/${m.workspaceId}/frameworks/${m.frameworkId}/versions/${m.versionId}`}
                    >
                      {m.frameworkTitle}: {m.versionName}
                    </Link>{' '}
                    <span className="muted">(saved {utc(m.savedAt)})</span>
                    {m.initialling ? (
                      <p>
                        Initialled by:{' '}
                        {m.initialling.initials
                          .map((i) => `${i.partyName} (${i.name}, ${utc(i.at)})`)
                          .join('; ') || 'no delegation yet'}
                        .{' '}
                        {m.initialling.missing.length > 0
                          ? `Missing: ${m.initialling.missing.map((p) => p.name).join(', ')}.`
                          : 'Every delegation asked has initialled.'}
                      </p>
                    ) : (
                      <p className="muted">Not frozen for initialling.</p>
                    )}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      )}
    </>
  );
}
