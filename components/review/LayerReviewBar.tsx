'use client';

import { useId, useState, type FormEvent } from 'react';
import { useEditorContext } from '@/components/editor/EditorContext';
import { partyName } from '@/components/editor/fields';
import {
  CONSENSUS_LABELS,
  LAYER_STATUS_LABELS,
  consensusCount,
  consensusOf,
  isLockedStatus,
  opposingParties,
  packageOf,
  pendingConfirmations,
  silenceRunning,
  unagreedDependencies,
  type Layer,
  type LayerStatus,
} from '@/lib/framework';
import { actsFor, nextStatuses } from '@/lib/write-rules';
import { MAX_REVIEW_REASON_LENGTH } from '@/lib/review/wire';
import { useOptionalAmendments } from './AmendmentsContext';
import { usePackages } from './PackagesContext';
import { actLabel } from './Positions';
import { useReview } from './ReviewContext';
import { Time } from '@/components/time/Time';
import { useTimeZone } from '@/components/time/TimeZoneContext';
import { wallTimeToInstant } from '@/lib/time';
import { useNow } from './useNow';
import { useReviewAction } from './useReviewAction';

/**
 * A layer's review state and workflow: status (changed through the server, which checks the
 * rules), lock, silence procedure, consensus and open brackets.
 */
export function LayerReviewBar({
  layer,
  name,
  openBrackets,
  threadCount,
}: {
  layer: Layer;
  name: string;
  openBrackets: number;
  threadCount: number;
}) {
  const review = useReview();
  const { parties } = useEditorContext();
  const id = useId();
  const [target, setTarget] = useState<LayerStatus | ''>('');
  const [confirmBy, setConfirmBy] = useState('');
  const [confirmers, setConfirmers] = useState<string[] | null>(null);
  const [override, setOverride] = useState('');
  const [until, setUntil] = useState('');
  const { post, busy, error } = useReviewAction();
  const now = useNow();
  const zone = useTimeZone();
  const packaging = usePackages();
  const pkg = packageOf(packaging.packages, layer.id);

  const locked = isLockedStatus(layer.status);
  const silence = silenceRunning(layer.statusDetail) ? layer.statusDetail.silence : undefined;
  const participants = parties.map((p) => p.id);
  const names = (ids: string[]) => ids.map((p) => partyName(parties, p)).join(', ');
  const report = consensusOf(layer.positions, participants);
  const opposing = opposingParties(layer.positions);
  const adRef = layer.status === 'agreed_ad_ref' ? layer.statusDetail.adReferendum : undefined;
  const pending = pendingConfirmations(adRef);
  const overdue =
    adRef !== undefined &&
    pending.length > 0 &&
    layer.statusDetail.confirmBy !== undefined &&
    Date.parse(layer.statusDetail.confirmBy) < now;
  const myParty = review.actor.delegation;
  const speaksForMine =
    myParty !== null && actsFor(review.actor, myParty, { chair: false }) === 'member';
  const options = nextStatuses(
    layer.status,
    { canEdit: review.canEdit, canAgree: review.canAgree && review.canEdit },
    pkg,
  ).filter((s) => !(s === 'agreed' && pending.length > 0));
  const agreeing =
    target === 'agreed' || target === 'agreed_ad_ref' || target === 'agreed_in_package';
  // Agreeing over unagreed dependencies is allowed, but said (the server does not refuse it).
  const unsettled = agreeing ? unagreedDependencies(packaging, layer.id) : [];
  const reopenablePackage =
    pkg?.agreed && layer.status === 'agreed' && review.canAgree && review.canEdit ? pkg : null;
  const chosenConfirmers = confirmers ?? participants;

  const changeStatus = async (event: FormEvent) => {
    event.preventDefault();
    if (!target) return;
    const ok = await post({
      action: 'status',
      layerId: layer.id,
      status: target,
      // The end of the chosen day, in the zone the user reads and types times in.
      confirmBy:
        target === 'agreed_ad_ref' && confirmBy
          ? wallTimeToInstant(`${confirmBy}T23:59`, zone)?.toISOString()
          : undefined,
      confirmers: target === 'agreed_ad_ref' ? chosenConfirmers : undefined,
      override:
        agreeing && opposing.length > 0 && override.trim() ? { reason: override } : undefined,
    });
    if (ok) {
      setTarget('');
      setOverride('');
      setConfirmers(null);
    }
  };

  return (
    <div className="rv-bar" role="group" aria-label={`Review of ${name}`}>
      <div className="rv-badges">
        <span
          className={`rv-status rv-status-${layer.status}`}
          aria-label={`Status: ${LAYER_STATUS_LABELS[layer.status]}`}
        >
          {locked && <LockIcon />}
          {LAYER_STATUS_LABELS[layer.status]}
        </span>
        {locked && <span className="rv-note">Text frozen until the chair reopens it</span>}
        {pkg && (
          <span className="rv-package-badge">
            Package: {pkg.name}
            {pkg.agreed ? ' (agreed)' : ''}
          </span>
        )}
        {layer.statusDetail.confirmBy && layer.status === 'agreed_ad_ref' && (
          <span className={overdue ? 'rv-overdue' : 'rv-note'}>
            {overdue ? 'Overdue: capitals were to confirm by ' : 'Capitals confirm by '}
            <Time at={layer.statusDetail.confirmBy} />
          </span>
        )}
        <span
          className={`rv-consensus rv-consensus-${report.state}`}
          aria-label={`Consensus: ${CONSENSUS_LABELS[report.state]}, ${consensusCount(report)}`}
        >
          {CONSENSUS_LABELS[report.state]} · {consensusCount(report)}
        </span>
        <span className={`rv-brackets${openBrackets > 0 ? ' rv-brackets-open' : ''}`}>
          {openBrackets} open bracket{openBrackets === 1 ? '' : 's'}
        </span>
        <span className="rv-note">
          {threadCount} comment thread{threadCount === 1 ? '' : 's'}
        </span>
        <LayerAmendmentsLink layerId={layer.id} name={name} />
        {layer.statusDetail.override && (
          <span className="rv-note">
            Agreed over opposition of {layer.statusDetail.override.parties.join(', ')} (
            {layer.statusDetail.override.reason})
          </span>
        )}
      </div>
      {(report.missing.length > 0 || report.reserve.length > 0 || opposing.length > 0) && (
        <p className="rv-note">
          {report.missing.length > 0 && <>Not stated: {names(report.missing)}. </>}
          {report.reserve.length > 0 && <>Reserve: {names(report.reserve)}. </>}
          {opposing.length > 0 && <>Oppose: {names(opposing)}.</>}
        </p>
      )}
      {layer.status === 'agreed_in_package' && pkg && (
        <p className="rv-note" role="status">
          Provisionally agreed: package “{pkg.name}” pending. Nothing is agreed until everything is
          agreed.
        </p>
      )}
      {adRef && (
        <p className={overdue ? 'rv-overdue' : 'rv-note'} role="status">
          {pending.length > 0
            ? `Pending confirmation by: ${names(pending)}.`
            : 'Confirmed by every capital.'}
          {Object.entries(adRef.confirmed).map(([party, act]) => (
            <span key={party}> Confirmed: {actLabel(act, partyName(parties, party))}.</span>
          ))}
        </p>
      )}
      {adRef && speaksForMine && pending.includes(myParty) && (
        <button
          type="button"
          className="button"
          disabled={busy}
          onClick={() => void post({ action: 'adref.confirm', layerId: layer.id })}
        >
          Confirm for {partyName(parties, myParty)}
        </button>
      )}
      {silence && (
        <p className="rv-silence" role="status">
          Under silence until <Time at={silence.until} />: the text is frozen, and agreed then
          unless a delegation objects.
        </p>
      )}
      {layer.statusDetail.silence?.broken && (
        <p className="rv-note" role="status">
          Silence broken by{' '}
          {actLabel(
            {
              by: layer.statusDetail.silence.broken.by,
              name: layer.statusDetail.silence.broken.name ?? '',
              chair: false,
              at: layer.statusDetail.silence.broken.at,
            },
            partyName(parties, layer.statusDetail.silence.broken.party),
          )}
          : {layer.statusDetail.silence.broken.reason}
        </p>
      )}
      {options.length > 0 && (
        <form className="rv-form" onSubmit={changeStatus}>
          <label htmlFor={`${id}-status`}>Change status</label>
          <select
            id={`${id}-status`}
            value={target}
            onChange={(e) => setTarget(e.target.value as LayerStatus | '')}
          >
            <option value="">Choose…</option>
            {options.map((s) => (
              <option key={s} value={s}>
                {locked
                  ? s === 'in_review'
                    ? 'Reopen (back to review)'
                    : LAYER_STATUS_LABELS[s]
                  : LAYER_STATUS_LABELS[s]}
              </option>
            ))}
          </select>
          {target === 'agreed_ad_ref' && (
            <>
              <label htmlFor={`${id}-confirm`}>Confirm by (end of day, {zone})</label>
              <input
                id={`${id}-confirm`}
                type="date"
                required
                value={confirmBy}
                onChange={(e) => setConfirmBy(e.target.value)}
              />
            </>
          )}
          {target === 'agreed_ad_ref' && (
            <fieldset className="rv-confirmers">
              <legend>Capitals to confirm</legend>
              {parties.map((p) => (
                <label key={p.id}>
                  <input
                    type="checkbox"
                    checked={chosenConfirmers.includes(p.id)}
                    onChange={(e) =>
                      setConfirmers(
                        e.target.checked
                          ? [...chosenConfirmers, p.id]
                          : chosenConfirmers.filter((c) => c !== p.id),
                      )
                    }
                  />{' '}
                  {p.name}
                </label>
              ))}
            </fieldset>
          )}
          {unsettled.length > 0 && (
            <p className="rv-overdue" role="status">
              Depends on layers not agreed:{' '}
              {unsettled
                .map((d) => `${d.title} (${d.status ? LAYER_STATUS_LABELS[d.status] : 'removed'})`)
                .join('; ')}
              . You may agree it all the same.
            </p>
          )}
          {agreeing && opposing.length > 0 && (
            <>
              <label htmlFor={`${id}-override`}>Override opposition (reason)</label>
              <input
                id={`${id}-override`}
                value={override}
                maxLength={MAX_REVIEW_REASON_LENGTH}
                onChange={(e) => setOverride(e.target.value)}
              />
            </>
          )}
          <button type="submit" className="button" disabled={!target || busy}>
            Apply status
          </button>
        </form>
      )}
      {reopenablePackage && (
        <ReasonForm
          id={`${id}-reopen`}
          label="Reopen (the package too): reason"
          submit="Reopen package"
          busy={busy}
          onReason={(reason) =>
            post({
              action: 'package.reopen',
              packageId: reopenablePackage.id,
              layerId: layer.id,
              reason,
            })
          }
        />
      )}
      {review.canAgree && review.canEdit && !locked && !silence && (
        <form
          className="rv-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (until)
              void post({
                action: 'silence.start',
                layerId: layer.id,
                until: wallTimeToInstant(until, zone)?.toISOString(),
              });
          }}
        >
          <label htmlFor={`${id}-until`}>Silence until ({zone})</label>
          <input
            id={`${id}-until`}
            type="datetime-local"
            value={until}
            onChange={(e) => setUntil(e.target.value)}
          />
          <button type="submit" className="button button-quiet" disabled={!until || busy}>
            Start silence
          </button>
        </form>
      )}
      {silence && speaksForMine && myParty && (
        <ReasonForm
          id={`${id}-break`}
          label={`Object for ${partyName(parties, myParty)} (reason)`}
          submit="Break silence"
          busy={busy}
          onReason={(reason) => post({ action: 'silence.break', layerId: layer.id, reason })}
        />
      )}
      {error && (
        <p className="rv-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** A reason and the act it explains (reopening, objecting): sent when at least 3 characters. */
function ReasonForm({
  id,
  label,
  submit,
  busy,
  onReason,
}: {
  id: string;
  label: string;
  submit: string;
  busy: boolean;
  /** Resolves true when the server took it (the field is then cleared). */
  onReason: (reason: string) => Promise<boolean>;
}) {
  const [reason, setReason] = useState('');
  return (
    <form
      className="rv-form"
      onSubmit={async (e) => {
        e.preventDefault();
        if (await onReason(reason)) setReason('');
      }}
    >
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        value={reason}
        maxLength={MAX_REVIEW_REASON_LENGTH}
        onChange={(e) => setReason(e.target.value)}
      />
      <button
        type="submit"
        className="button button-quiet"
        disabled={reason.trim().length < 3 || busy}
      >
        {submit}
      </button>
    </form>
  );
}

/** A small padlock (an emoji may be missing from the reader's fonts). */
function LockIcon() {
  return (
    <svg className="rv-lock" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
      <rect x="3" y="7" width="10" height="8" rx="1.5" fill="currentColor" />
      <path d="M5 7V5a3 3 0 0 1 6 0v2" fill="none" stroke="currentColor" strokeWidth="1.8" />
    </svg>
  );
}

/** The layer's tabled amendments, as a way into the panel filtered to this layer. */
function LayerAmendmentsLink({ layerId, name }: { layerId: string; name: string }) {
  const amendments = useOptionalAmendments();
  if (!amendments) return null;
  const tabled = amendments.amendments.filter(
    (a) => a.layerId === layerId && a.status === 'tabled',
  ).length;
  return (
    <button
      type="button"
      className="button button-quiet rv-amendments-link"
      aria-label={`${tabled} amendment${tabled === 1 ? '' : 's'} tabled to ${name}`}
      onClick={() => amendments.showLayer(layerId)}
    >
      {tabled} amendment{tabled === 1 ? '' : 's'}
    </button>
  );
}
