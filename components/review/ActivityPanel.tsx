'use client';

import { useEffect, useId, useState } from 'react';
import { useEditorContext } from '@/components/editor/EditorContext';
import { LAYER_STATUS_LABELS, STANCE_LABELS, isLayerStatus, isStance } from '@/lib/framework';
import { partyName } from '@/components/editor/fields';
import { reviewFetch, type ActivityEvent } from './api';
import { Time, useFormatInstant } from '@/components/time/Time';
import { useReview } from './ReviewContext';

const statusLabel = (v: unknown) => (isLayerStatus(v) ? LAYER_STATUS_LABELS[v] : String(v));

/** One line for an event of the review activity; `party` names a party id. */
function describe(
  event: ActivityEvent,
  party: (id: unknown) => string,
  at: (iso: string) => string,
): string {
  const d = event.details;
  const parties = (v: unknown) => (Array.isArray(v) ? v.map(party).join(', ') : '');
  switch (event.kind) {
    case 'status.changed':
      return `changed status from ${statusLabel(d.from)} to ${statusLabel(d.to)}`;
    case 'agreement.override':
      return `agreed over the opposition of ${parties(d.parties)}: ${String(d.reason ?? '')}`;
    case 'silence.started':
      return `put the layer under silence until ${at(String(d.until))}`;
    case 'silence.broken':
      return `objected for ${party(d.party)}, breaking the silence: ${String(d.reason)}`;
    case 'position.stated': {
      const stance = isStance(d.stance) ? STANCE_LABELS[d.stance] : 'not stated';
      return d.chair === true
        ? `entered by the chair for ${party(d.party)}: ${stance}`
        : `stated ${party(d.party)}'s position: ${stance}`;
    }
    case 'bracket.resolved':
      return `resolved a bracket: “${String(d.chosen)}”${d.chosenParty ? ` (proposed by ${party(d.chosenParty)})` : ''} instead of “${String(d.text)}”`;
    case 'adref.confirmed':
      return `confirmed for ${party(d.party)} (agreement ad referendum)`;
    case 'adref.overdue':
      return `confirmation overdue from ${parties(d.pending)}`;
    case 'silence.expired':
      return d.to === 'agreed_in_package'
        ? 'silence ended without objection: layer agreed in package'
        : 'silence ended without objection: layer agreed';
    case 'package.created':
      return `created package “${String(d.name)}” of ${Array.isArray(d.layerIds) ? d.layerIds.length : 0} layers`;
    case 'package.agreed':
      return `agreed package “${String(d.name)}”: all ${Array.isArray(d.layerIds) ? d.layerIds.length : 0} layers agreed`;
    case 'package.reopened':
      return `reopened package “${String(d.name)}” (this layer back to review, the others agreed in package): ${String(d.reason)}`;
    case 'package.dissolved':
      return `dissolved package “${String(d.name)}”`;
    case 'silence.failed':
      return `silence ended but the layer could not be agreed: ${String(d.reason)}`;
    case 'version.frozen':
      return `froze version “${String(d.name)}” for initialling by ${parties(d.parties)} (hash ${String(d.hash).slice(0, 16)}…)`;
    case 'version.initialled':
      return `initialled version “${String(d.name)}” for ${party(d.party)} (hash ${String(d.hash).slice(0, 16)}…)`;
    case 'amendment.tabled':
      return `tabled amendment ${String(d.amendment)}${d.party ? ` for ${String(d.party)}` : ' as chair'}`;
    case 'amendment.cosponsor':
      return `co-sponsored amendment ${String(d.amendment)} for ${party(d.party)}`;
    case 'amendment.leave':
      return `withdrew ${party(d.party)}'s co-sponsorship of amendment ${String(d.amendment)}`;
    case 'amendment.withdrawn':
      return `withdrew amendment ${String(d.amendment)}`;
    case 'amendment.rejected':
      return `rejected amendment ${String(d.amendment)}: ${String(d.reason)}`;
    case 'amendment.accepted':
      return `accepted ${String(d.title ?? `amendment ${String(d.amendment)}`)}`;
    case 'amendment.compromise':
      return `proposed a compromise, amendment ${String(d.amendment)}, merging ${String(d.sources)}`;
    case 'comment.created':
      return 'commented';
    case 'comment.replied':
      return 'replied to a comment';
    case 'comment.resolved':
      return 'resolved a thread';
    case 'comment.reopened':
      return 'reopened a thread';
    case 'comment.hidden':
      return 'hid a comment';
    case 'comment.deleted':
      return 'deleted their comment';
    default:
      return event.kind;
  }
}

/** The framework's review activity, newest first, filterable by layer and person. */
export function ActivityPanel() {
  const review = useReview();
  const { layers, parties } = useEditorContext();
  const party = (id: unknown) => partyName(parties, String(id));
  const formatAt = useFormatInstant();
  const [layer, setLayer] = useState('');
  const [person, setPerson] = useState('');
  const [events, setEvents] = useState<ActivityEvent[]>([]);
  const [people, setPeople] = useState<Map<string, string>>(new Map());
  const id = useId();

  useEffect(() => {
    const params = new URLSearchParams();
    if (layer) params.set('layer', layer);
    if (person) params.set('person', person);
    let cancelled = false;
    reviewFetch<{ events: ActivityEvent[] }>(`${review.base}/review?${params}`).then(
      (r) => {
        if (cancelled) return;
        setEvents(r.events);
        setPeople((known) => {
          const next = new Map(known);
          for (const e of r.events) if (e.actorId) next.set(e.actorId, e.actorName ?? 'Member');
          return next.size === known.size ? known : next;
        });
      },
      (error: unknown) => console.warn('activity refresh failed', error),
    );
    return () => {
      cancelled = true;
    };
  }, [review.base, review.activityVersion, layer, person]);

  const layerTitle = (layerId: string | null) =>
    layerId ? layers.find((l) => l.id === layerId)?.title.trim() || 'Removed layer' : '';

  return (
    <section className="ed-side-panel rv-panel" aria-label="Activity">
      <h2 className="ed-side-title">Activity</h2>
      <div className="rv-row">
        <label htmlFor={`${id}-layer`}>Layer</label>
        <select id={`${id}-layer`} value={layer} onChange={(e) => setLayer(e.target.value)}>
          <option value="">All layers</option>
          {layers.map((l) => (
            <option key={l.id} value={l.id}>
              {l.title.trim() || 'Untitled layer'}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-person`}>Person</label>
        <select id={`${id}-person`} value={person} onChange={(e) => setPerson(e.target.value)}>
          <option value="">Everyone</option>
          {[...people].map(([pid, name]) => (
            <option key={pid} value={pid}>
              {name}
            </option>
          ))}
        </select>
      </div>
      {events.length === 0 ? (
        <p className="hint">No review activity yet.</p>
      ) : (
        // Focusable: a long feed scrolls, and keyboard users scroll it too (WCAG 2.1.1).
        <ol className="rv-activity" tabIndex={0} aria-label="Review activity">
          {events.map((e) => (
            <li key={e.id}>
              <strong>{e.actorId ? (e.actorName ?? 'Former member') : 'Server'}</strong>
              {e.actorDelegation && <span className="rv-party"> ({e.actorDelegation})</span>}{' '}
              {describe(e, party, formatAt)}
              {e.layerId && <span className="rv-note"> · {layerTitle(e.layerId)}</span>}
              <span className="rv-note">
                {' '}
                · <Time at={e.createdAt} />
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
