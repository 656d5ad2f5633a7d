'use client';

import { useMemo, useState, type FormEvent } from 'react';
import {
  addParty,
  buildCommitmentMatrix,
  COMMITMENT_TYPE_LABELS,
  FrameworkError,
  removeParty,
  missingStances,
  validateFramework,
  type FrameworkView,
  type QuantityTotal,
} from '@/lib/framework';
import { useEditorContext } from './EditorContext';

const number = new Intl.NumberFormat('en-GB');

function formatTotal(t: QuantityTotal): string {
  const what = t.unit || COMMITMENT_TYPE_LABELS[t.type].toLowerCase();
  const parts = [];
  if (t.count > 0) parts.push(`${number.format(t.quantity)} ${what}`);
  if (t.unquantified > 0) parts.push(`${t.unquantified} unquantified`);
  return `${COMMITMENT_TYPE_LABELS[t.type]}: ${parts.join(', ')}`;
}

function Totals({ totals }: { totals: QuantityTotal[] }) {
  if (totals.length === 0) return <span className="ed-none">—</span>;
  return (
    <ul className="ed-totals">
      {totals.map((t) => (
        <li key={`${t.type}:${t.unit}`}>{formatTotal(t)}</li>
      ))}
    </ul>
  );
}

/** Parties x layers, with totals per commitment type; live as people type. */
export function CommitmentMatrix({ view }: { view: FrameworkView }) {
  const matrix = useMemo(() => buildCommitmentMatrix(view), [view]);
  return (
    <section className="panel ed-matrix" aria-labelledby="matrix-heading">
      <h2 id="matrix-heading">Commitment matrix</h2>
      <p className="hint">What each party commits to each layer, with totals per type.</p>
      <div className="ed-table-wrap">
        <table className="table" aria-labelledby="matrix-heading">
          <thead>
            <tr>
              <th scope="col">Party</th>
              {matrix.layers.map((l, i) => (
                <th scope="col" key={l.id}>
                  {i + 1}. {l.title.trim() || 'Untitled layer'}
                </th>
              ))}
              <th scope="col">All layers</th>
            </tr>
          </thead>
          <tbody>
            {matrix.parties.map((party, row) => (
              <tr key={party.id || '(unassigned)'}>
                <th scope="row">{party.name}</th>
                {matrix.cells[row]!.map((cell) => (
                  <td key={cell.layerId}>
                    <Totals totals={cell.totals} />
                  </td>
                ))}
                <td className="ed-total-cell">
                  <Totals totals={matrix.partyTotals[row]!} />
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">All parties</th>
              {matrix.layerTotals.map((totals, i) => (
                <td key={matrix.layers[i]!.id} className="ed-total-cell">
                  <Totals totals={totals} />
                </td>
              ))}
              <td className="ed-total-cell">
                <Totals totals={matrix.total} />
              </td>
            </tr>
          </tfoot>
        </table>
      </div>
    </section>
  );
}

/** The validation list; each item takes the user to the field that needs work. */
export function GapsPanel({ view, onGo }: { view: FrameworkView; onGo: (path: string) => void }) {
  const gaps = useMemo(() => [...validateFramework(view), ...missingStances(view)], [view]);
  return (
    <section className="ed-side-panel" aria-labelledby="gaps-heading">
      <h2 id="gaps-heading">
        Gaps <span className="ed-count">{gaps.length}</span>
      </h2>
      {gaps.length === 0 ? (
        <p className="hint">Nothing incomplete.</p>
      ) : (
        <ul className="ed-gaps" aria-labelledby="gaps-heading">
          {gaps.map((gap) => (
            <li key={`${gap.code}:${gap.path}`} className={`ed-gap ed-gap-${gap.severity}`}>
              <button type="button" className="ed-gap-link" onClick={() => onGo(gap.path)}>
                {gap.message}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The framework's party list: add a party once, pick it everywhere. */
export function PartiesPanel({ view }: { view: FrameworkView }) {
  const { doc, origin, readOnly } = useEditorContext();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    try {
      addParty(doc, name, origin);
      setName('');
      setError(null);
    } catch (e) {
      if (!(e instanceof FrameworkError)) throw e;
      setError(e.message);
    }
  };
  return (
    <section className="ed-side-panel" aria-labelledby="parties-heading">
      <h2 id="parties-heading">
        Parties <span className="ed-count">{view.parties.length}</span>
      </h2>
      <ul className="ed-parties" aria-labelledby="parties-heading">
        {view.parties.map((p) => (
          <li key={p.id}>
            <span>{p.name}</span>
            {!readOnly && (
              <button
                type="button"
                className="button button-quiet ed-remove"
                aria-label={`Remove party ${p.name}`}
                onClick={() => removeParty(doc, p.id, origin)}
              >
                ×
              </button>
            )}
          </li>
        ))}
      </ul>
      {!readOnly && (
        <form className="ed-add-party" onSubmit={onSubmit} aria-label="Add a party">
          <label className="ed-field">
            <span className="ed-label">New party</span>
            <input
              className="ed-input"
              value={name}
              onChange={(event) => setName(event.target.value)}
            />
          </label>
          <button type="submit" className="button button-secondary" disabled={!name.trim()}>
            Add party
          </button>
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
        </form>
      )}
    </section>
  );
}
