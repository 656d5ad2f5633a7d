'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { MAX_VERSION_NAME_LENGTH, MAX_VERSION_NOTE_LENGTH } from '@/lib/versions/wire';

/** Saves the framework's current state as a named version, then refreshes the list. */
export function SaveVersionForm({
  workspaceId,
  frameworkId,
}: {
  workspaceId: string;
  frameworkId: string;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    setBusy(true);
    setError(null);
    try {
      const response = await fetch(
        `/api/groups/${workspaceId}/frameworks/${frameworkId}/versions`,
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ name: data.get('name'), note: data.get('note') ?? '' }),
        },
      );
      if (!response.ok) {
        // A proxy error page is not JSON: fall back to the generic message.
        const body = (await response.json().catch(() => null)) as { message?: string } | null;
        setError(body?.message ?? 'The version could not be saved.');
        return;
      }
      form.reset();
      router.refresh();
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="version-form" onSubmit={onSubmit} aria-label="Save a version">
      <label>
        Name
        <input
          name="name"
          required
          maxLength={MAX_VERSION_NAME_LENGTH}
          placeholder="v0.3 sent to capitals"
        />
      </label>
      <label>
        Note
        <input
          name="note"
          maxLength={MAX_VERSION_NOTE_LENGTH}
          placeholder="What this version is for"
        />
      </label>
      <button type="submit" className="button button-primary" disabled={busy}>
        Save version
      </button>
      {error && (
        <p role="alert" className="form-error">
          {error}
        </p>
      )}
    </form>
  );
}
