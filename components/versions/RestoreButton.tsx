'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';

/** Restores a version as a new change, then opens the editor where it arrives live. */
export function RestoreButton({
  workspaceId,
  frameworkId,
  versionId,
}: {
  workspaceId: string;
  frameworkId: string;
  versionId: string;
}) {
  const router = useRouter();
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function restore() {
    if (!window.confirm('Restore this version on top of the current state?')) return;
    setBusy(true);
    try {
      const response = await fetch(
        `/api/groups/${workspaceId}/frameworks/${frameworkId}/versions/${versionId}`,
        { method: 'POST' },
      );
      if (!response.ok) {
        setMessage('The version could not be restored.');
        return;
      }
      const { skippedLocked } = (await response.json()) as { skippedLocked: string[] };
      if (skippedLocked.length > 0) {
        window.alert(`${skippedLocked.length} agreed or silenced layer(s) were left as they are.`);
      }
      router.push(`/groups/${workspaceId}/frameworks/${frameworkId}`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <button type="button" className="button button-secondary" onClick={restore} disabled={busy}>
        Restore this version
      </button>
      {message && (
        <span role="alert" className="form-error">
          {message}
        </span>
      )}
    </>
  );
}
