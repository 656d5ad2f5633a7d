'use client';

import { useId, useState, type FormEvent } from 'react';
import {
  LAYER_STATUS_LABELS,
  dependencyGraph,
  packageAgreementBlockers,
  packageLayers,
  packageOf,
  type LayerPackage,
} from '@/lib/framework';
import { Time } from '@/components/time/Time';
import { usePackages } from './PackagesContext';
import { useReview } from './ReviewContext';
import { useReviewAction } from './useReviewAction';

/**
 * Packages ("nothing is agreed until everything is agreed") and the dependency graph: which
 * layer depends on which, and which package holds it. Owners create, agree and dissolve
 * packages here; the server checks every rule (lib/framework/packages.ts).
 */
export function PackagesPanel() {
  const { packages, layers } = usePackages();
  const review = useReview();
  const owner = review.canAgree && review.canEdit;
  const rows = dependencyGraph({ layers, packages });
  return (
    <section className="ed-side-panel rv-panel" aria-label="Packages">
      <h2 className="ed-side-title">Packages</h2>
      {packages.length === 0 && <p className="rv-note">No package yet.</p>}
      {packages.map((pkg) => (
        <PackageCard key={pkg.id} pkg={pkg} owner={owner} />
      ))}
      {owner && <CreatePackageForm />}
      <table className="rv-deps">
        <caption>Dependencies</caption>
        <thead>
          <tr>
            <th scope="col">Layer</th>
            <th scope="col">Depends on</th>
            <th scope="col">Package</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.layerId}>
              <th scope="row">
                {row.title} <span className="rv-note">({LAYER_STATUS_LABELS[row.status]})</span>
              </th>
              <td>
                {row.dependsOn.length === 0
                  ? 'none'
                  : row.dependsOn
                      .map(
                        (d) =>
                          `${d.title} (${d.status ? LAYER_STATUS_LABELS[d.status] : 'removed'})`,
                      )
                      .join('; ')}
              </td>
              <td>{row.package?.name ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function PackageCard({ pkg, owner }: { pkg: LayerPackage; owner: boolean }) {
  const { layers } = usePackages();
  const { post, busy, error } = useReviewAction();
  const members = packageLayers({ layers }, pkg);
  const statuses = new Map(layers.map((l) => [l.id, l.status]));
  const blockers = packageAgreementBlockers(pkg, statuses);
  const provisional = members.filter((l) => l.status === 'agreed_in_package').length;
  const reopenedLayer = pkg.reopened
    ? layers.find((l) => l.id === pkg.reopened!.layerId)?.title || 'a layer'
    : null;
  return (
    <div className="rv-package" role="group" aria-label={`Package ${pkg.name}`}>
      <h3 className="rv-package-name">
        {pkg.name}{' '}
        <span className={`rv-status ${pkg.agreed ? 'rv-status-agreed' : 'rv-status-in_package'}`}>
          {pkg.agreed ? 'Package agreed' : `${provisional} of ${members.length} agreed in package`}
        </span>
      </h3>
      <ul className="rv-package-layers">
        {members.map((l) => (
          <li key={l.id}>
            {l.title || 'Untitled layer'}: {LAYER_STATUS_LABELS[l.status]}
          </li>
        ))}
      </ul>
      {pkg.agreed && (
        <p className="rv-note">
          Agreed in one act on <Time at={pkg.agreed.at} />.
        </p>
      )}
      {pkg.reopened && !pkg.agreed && (
        <p className="rv-overdue" role="status">
          Package reopened on <Time at={pkg.reopened.at} />: “{reopenedLayer}” is back in review (
          {pkg.reopened.reason}); every other layer is agreed in package again, pending the whole.
        </p>
      )}
      {owner && !pkg.agreed && (
        <div className="rv-row">
          <button
            type="button"
            className="button"
            disabled={busy || blockers.length > 0}
            onClick={() => void post({ action: 'package.agree', packageId: pkg.id })}
          >
            Agree package
          </button>
          <button
            type="button"
            className="button button-quiet"
            disabled={busy}
            onClick={() => void post({ action: 'package.dissolve', packageId: pkg.id })}
          >
            Dissolve
          </button>
          {blockers.length > 0 && <span className="rv-note">{blockers.join(' ')}</span>}
        </div>
      )}
      {error && (
        <p className="rv-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

function CreatePackageForm() {
  const { packages, layers } = usePackages();
  const { post, busy, error } = useReviewAction();
  const id = useId();
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const free = layers.filter(
    (l) => !packageOf(packages, l.id) && l.status !== 'agreed' && l.status !== 'agreed_ad_ref',
  );
  if (free.length < 2) return null;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await post({ action: 'package.create', name, layerIds: chosen })) {
      setName('');
      setChosen([]);
    }
  };
  return (
    <form className="rv-form rv-package-form" onSubmit={submit}>
      <label htmlFor={`${id}-name`}>New package</label>
      <input
        id={`${id}-name`}
        value={name}
        maxLength={200}
        onChange={(e) => setName(e.target.value)}
      />
      <fieldset className="rv-confirmers">
        <legend>Layers traded together</legend>
        {free.map((l) => (
          <label key={l.id}>
            <input
              type="checkbox"
              checked={chosen.includes(l.id)}
              onChange={(e) =>
                setChosen(e.target.checked ? [...chosen, l.id] : chosen.filter((c) => c !== l.id))
              }
            />{' '}
            {l.title || 'Untitled layer'}
          </label>
        ))}
      </fieldset>
      <button
        type="submit"
        className="button"
        disabled={busy || name.trim().length === 0 || chosen.length < 2}
      >
        Create package
      </button>
      {error && (
        <p className="rv-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
