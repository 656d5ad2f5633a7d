'use client';

import { useId, useState, type FormEvent } from 'react';
import {
  CONSENSUS_LABELS,
  LAYER_STATUS_LABELS,
  consensusOf,
  isLockedStatus,
  opposingParties,
  silenceRunning,
  type Layer,
  type LayerStatus,
} from '@/lib/framework';
import { nextStatuses } from '@/lib/write-rules';
import { MAX_REVIEW_REASON_LENGTH } from '@/lib/review/wire';
import { reviewFetch } from './api';
import { useReview } from './ReviewContext';

const dateTime = (iso: string) =>
  new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });

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
  const id = useId();
  const [target, setTarget] = useState<LayerStatus | ''>('');
  const [confirmBy, setConfirmBy] = useState('');
  const [override, setOverride] = useState('');
  const [until, setUntil] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const locked = isLockedStatus(layer.status);
  const silence = silenceRunning(layer.statusDetail) ? layer.statusDetail.silence : undefined;
  const consensus = consensusOf(layer.positions);
  const opposing = opposingParties(layer.positions);
  const options = nextStatuses(layer.status, {
    canEdit: review.canEdit,
    canAgree: review.canAgree && review.canEdit,
  });
  const agreeing = target === 'agreed' || target === 'agreed_ad_ref';

  const post = async (body: Record<string, unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await reviewFetch(`${review.base}/review`, { method: 'POST', body });
      review.bumpActivity();
      return true;
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const changeStatus = async (event: FormEvent) => {
    event.preventDefault();
    if (!target) return;
    const ok = await post({
      action: 'status',
      layerId: layer.id,
      status: target,
      confirmBy:
        target === 'agreed_ad_ref' && confirmBy ? new Date(confirmBy).toISOString() : undefined,
      override:
        agreeing && opposing.length > 0 && override.trim() ? { reason: override } : undefined,
    });
    if (ok) {
      setTarget('');
      setOverride('');
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
        {locked && (
          <span className="rv-note">
            Locked
            {review.canAgree ? ' (owners may still edit or reopen)' : ': only owners change it'}
          </span>
        )}
        {layer.statusDetail.confirmBy && layer.status === 'agreed_ad_ref' && (
          <span className="rv-note">
            Capitals confirm by {dateTime(layer.statusDetail.confirmBy)}
          </span>
        )}
        <span className={`rv-consensus rv-consensus-${consensus}`} title="Consensus from positions">
          {CONSENSUS_LABELS[consensus]}
          {opposing.length > 0 ? `: ${opposing.join(', ')}` : ''}
        </span>
        <span className={`rv-brackets${openBrackets > 0 ? ' rv-brackets-open' : ''}`}>
          {openBrackets} open bracket{openBrackets === 1 ? '' : 's'}
        </span>
        <span className="rv-note">
          {threadCount} comment thread{threadCount === 1 ? '' : 's'}
        </span>
        {layer.statusDetail.override && (
          <span className="rv-note">
            Agreed over opposition of {layer.statusDetail.override.parties.join(', ')} (
            {layer.statusDetail.override.reason})
          </span>
        )}
      </div>
      {silence && (
        <p className="rv-silence" role="status">
          Under silence until {dateTime(silence.until)}: agreed then unless someone breaks it.
        </p>
      )}
      {layer.statusDetail.silence?.broken && (
        <p className="rv-note">
          Silence broken by {layer.statusDetail.silence.broken.party}:{' '}
          {layer.statusDetail.silence.broken.reason}
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
                {layer.status === 'agreed' || layer.status === 'agreed_ad_ref'
                  ? s === 'in_review'
                    ? 'Reopen (back to review)'
                    : LAYER_STATUS_LABELS[s]
                  : LAYER_STATUS_LABELS[s]}
              </option>
            ))}
          </select>
          {target === 'agreed_ad_ref' && (
            <>
              <label htmlFor={`${id}-confirm`}>Confirm by</label>
              <input
                id={`${id}-confirm`}
                type="date"
                required
                value={confirmBy}
                onChange={(e) => setConfirmBy(e.target.value)}
              />
            </>
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
      {review.canAgree && review.canEdit && !locked && !silence && (
        <form
          className="rv-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (until)
              void post({
                action: 'silence.start',
                layerId: layer.id,
                until: new Date(until).toISOString(),
              });
          }}
        >
          <label htmlFor={`${id}-until`}>Silence until</label>
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
      {silence && review.me.delegation && (
        <form
          className="rv-form"
          onSubmit={async (e) => {
            e.preventDefault();
            if (await post({ action: 'silence.break', layerId: layer.id, reason })) setReason('');
          }}
        >
          <label htmlFor={`${id}-break`}>Break silence for {review.me.delegation} (reason)</label>
          <input
            id={`${id}-break`}
            value={reason}
            maxLength={MAX_REVIEW_REASON_LENGTH}
            onChange={(e) => setReason(e.target.value)}
          />
          <button
            type="submit"
            className="button button-quiet"
            disabled={reason.trim().length < 3 || busy}
          >
            Break silence
          </button>
        </form>
      )}
      {error && (
        <p className="rv-error" role="alert">
          {error}
        </p>
      )}
    </div>
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
