'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Time } from '@/components/time/Time';
import { useTimeZone } from '@/components/time/TimeZoneContext';
import { wallTimeToInstant } from '@/lib/time';

/** An initialled delegation as the panel shows it (times already printed in UTC). */
export interface InitialRow {
  party: string;
  partyName: string;
  name: string;
  at: string;
}

export interface InitiallingView {
  /** The hash of the version as stored now. */
  hash: string;
  frozen: {
    hash: string;
    intact: boolean;
    frozenAt: string;
    frozenByName: string | null;
    deadline: string | null;
    required: Array<{ id: string; name: string }>;
    initials: InitialRow[];
    missing: Array<{ id: string; name: string }>;
  } | null;
}

/**
 * Who has initialled this version and who is missing; owners freeze it for initialling (naming
 * the delegations), a member of an asked delegation initials it with the hash on screen.
 */
export function InitiallingPanel({
  workspaceId,
  frameworkId,
  versionId,
  status,
  parties,
  mayFreeze,
  /** The caller's delegation (party id) when they may initial for it, else null. */
  delegation,
}: {
  workspaceId: string;
  frameworkId: string;
  versionId: string;
  status: InitiallingView;
  parties: Array<{ id: string; name: string }>;
  mayFreeze: boolean;
  delegation: string | null;
}) {
  const router = useRouter();
  const zone = useTimeZone();
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const url = `/api/groups/${workspaceId}/frameworks/${frameworkId}/versions/${versionId}/initialling`;

  async function send(body: Record<string, unknown>) {
    setBusy(true);
    setMessage(null);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!response.ok) {
        const error = (await response.json().catch(() => null)) as { message?: string } | null;
        setMessage(error?.message ?? 'That did not work.');
        return;
      }
      router.refresh();
    } finally {
      setBusy(false);
    }
  }

  const f = status.frozen;
  const done = new Set(f?.initials.map((i) => i.party) ?? []);
  const mayInitial =
    f !== null &&
    f.intact &&
    delegation !== null &&
    f.required.some((p) => p.id === delegation) &&
    !done.has(delegation);

  return (
    <section className="initialling" aria-labelledby="initialling-heading">
      <h3 id="initialling-heading">Initialling</h3>
      <p>
        Content hash (SHA-256): <code data-testid="content-hash">{status.hash}</code>
      </p>
      {!f && <p>Not frozen for initialling.</p>}
      {f && !f.intact && (
        <p role="alert" className="form-error">
          This version changed after it was frozen (frozen hash {f.hash}): the initials below do not
          apply to it.
        </p>
      )}
      {f && (
        <>
          <p>
            Frozen for initialling on <Time at={f.frozenAt} />
            {f.frozenByName ? ` by ${f.frozenByName}` : ''}
            {f.deadline && (
              <>
                ; initials due by <Time at={f.deadline} />
              </>
            )}
            .
          </p>
          <table className="initials">
            <thead>
              <tr>
                <th scope="col">Delegation</th>
                <th scope="col">Initialled by</th>
                <th scope="col">When</th>
              </tr>
            </thead>
            <tbody>
              {f.required.map((p) => {
                const i = f.initials.find((x) => x.party === p.id);
                return (
                  <tr key={p.id} data-party={p.id}>
                    <td>{p.name}</td>
                    <td>{i ? i.name : <strong>Missing</strong>}</td>
                    <td>{i ? <Time at={i.at} /> : ''}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p>
            {f.missing.length === 0
              ? 'Every delegation asked has initialled.'
              : `Missing: ${f.missing.map((p) => p.name).join(', ')}.`}
          </p>
        </>
      )}
      {mayInitial && (
        <p>
          <button
            type="button"
            className="button"
            disabled={busy}
            onClick={() => send({ action: 'initial', hash: status.hash })}
          >
            Initial this text for my delegation
          </button>
        </p>
      )}
      {!f && mayFreeze && (
        <form
          className="version-form"
          aria-label="Freeze for initialling"
          onSubmit={(e) => {
            e.preventDefault();
            // Read from the form itself: boxes ticked before the page finished loading count too.
            const data = new FormData(e.currentTarget);
            const chosen = data.getAll('party').map(String);
            const deadline = String(data.get('deadline') ?? '');
            if (chosen.length === 0) {
              setMessage('Choose at least one delegation.');
              return;
            }
            void send({
              action: 'freeze',
              parties: chosen,
              deadline: deadline
                ? (wallTimeToInstant(`${deadline}T23:59`, zone)?.toISOString() ?? null)
                : null,
            });
          }}
        >
          <fieldset>
            <legend>Delegations that must initial</legend>
            {parties.map((p) => (
              <label key={p.id}>
                <input type="checkbox" name="party" value={p.id} defaultChecked /> {p.name}
              </label>
            ))}
          </fieldset>
          <label>
            Initials due by (end of day, {zone}; optional)
            <input type="date" name="deadline" />
          </label>
          <button type="submit" className="button" disabled={busy}>
            Freeze for initialling
          </button>
        </form>
      )}
      {message && (
        <p role="alert" className="form-error">
          {message}
        </p>
      )}
    </section>
  );
}
