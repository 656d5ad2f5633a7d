'use client';

import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import {
  AMENDMENT_STATUS_LABELS,
  MAX_JUSTIFICATION_LENGTH,
  MAX_PROPOSED_TEXT_LENGTH,
  amendmentTitle,
  type AmendmentListItem,
  type AmendmentStatus,
} from '@/lib/amendments/wire';
import {
  COMMITMENT_TYPES,
  COMMITMENT_TYPE_LABELS,
  describeProposedCommitment,
  diffWords,
  hasMark,
  isPartyField,
  isPlain,
  sliceRuns,
  type AmendmentTarget,
  type ProposalRun,
  type ToggledMark,
  type Commitment,
  type CommitmentType,
  type FrameworkView,
  type ProposedCommitment,
  type ProposedTrigger,
  type Party,
  type Trigger,
} from '@/lib/framework';
import { triggerSentence } from '@/lib/framework/trigger-sentence';
import { amendmentSpeakerOf } from '@/lib/write-rules';
import { useEditorContext } from '@/components/editor/EditorContext';
import { Time } from '@/components/time/Time';
import { reviewFetch } from './api';
import { RunsText } from './RunsText';
import { saveDraft } from './draft-store';
import { useAmendments, type FieldProposal } from './AmendmentsContext';
import {
  AMENDABLE_FIELD_NAMES,
  EMPTY_TRIGGER,
  NEW_TRIGGER_CHOICE,
  NewTriggerFields,
  RemovalSummary,
  choiceOfTarget,
  NEW_COMMITMENT_CHOICE,
  removalChoice,
  removedRowOf,
} from './RowProposalFields';
import { useReview } from './ReviewContext';

type StatusFilter = 'open' | 'decided' | 'all';

/** Amendments of the framework, live: table, co-sponsor, withdraw; the chair decides and merges. */
export function AmendmentsPanel({ view }: { view: FrameworkView }) {
  const review = useReview();
  const { parties } = useEditorContext();
  const {
    amendments,
    refresh,
    focused,
    showMarkers,
    setShowMarkers,
    markerParty: party,
    setMarkerParty: setParty,
    layerFilter,
    showLayer,
    proposeMode,
    fieldProposal,
    proposeField,
  } = useAmendments();
  const [status, setStatus] = useState<StatusFilter>('open');
  const [merging, setMerging] = useState<number[]>([]);
  const [proposingField, setProposingField] = useState(false);
  const id = useId();
  const url = `${review.base}/amendments`;
  const speaker = amendmentSpeakerOf(review.actor);
  const composerOpen = proposingField || fieldProposal !== null;
  const closeComposer = () => {
    setProposingField(false);
    proposeField(null);
    saveDraft(review.me.id, review.frameworkId, 'field', null);
  };

  // An amendment opened (from its marker, a link) that the filters hide: they widen to show it.
  // (State adjusted while rendering, React's way for state derived from a changed value.)
  const [openedFor, setOpenedFor] = useState<string | null>(null);
  const opened = amendments.find((a) => a.id === focused);
  if (opened && openedFor !== focused) {
    setOpenedFor(focused);
    if (status !== 'all' && (status === 'open') !== (opened.status === 'tabled')) setStatus('all');
  }
  const shown = amendments.filter(
    (a) =>
      (status === 'all' || (status === 'open') === (a.status === 'tabled')) &&
      (!party || a.party === party || a.sponsors.some((s) => s.party === party)) &&
      (!layerFilter || a.layerId === layerFilter),
  );
  const open = amendments.filter((a) => a.status === 'tabled').length;
  const layerTitle = (layerId: string) => {
    const index = view.layers.findIndex((l) => l.id === layerId);
    return index < 0
      ? 'Removed layer'
      : `${index + 1}. ${view.layers[index]!.title.trim() || 'Untitled layer'}`;
  };

  return (
    <section className="ed-side-panel rv-panel am-panel" aria-labelledby={`${id}-title`}>
      <div className="rv-panel-head">
        <h2 className="ed-side-title" id={`${id}-title`} tabIndex={-1}>
          Amendments ({open} tabled)
        </h2>
      </div>
      {layerFilter && (
        <p className="am-layer-filter">
          Showing {layerTitle(layerFilter)} only.{' '}
          <button type="button" className="button button-quiet" onClick={() => showLayer(null)}>
            Show all layers
          </button>
        </p>
      )}
      <div className="am-filters">
        <label htmlFor={`${id}-status`}>Show</label>
        <select
          id={`${id}-status`}
          value={status}
          onChange={(e) => setStatus(e.target.value as StatusFilter)}
        >
          <option value="open">Tabled</option>
          <option value="decided">Decided</option>
          <option value="all">All</option>
        </select>
        <label htmlFor={`${id}-party`}>Delegation</label>
        <select id={`${id}-party`} value={party} onChange={(e) => setParty(e.target.value)}>
          <option value="">All delegations</option>
          {parties.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
        <label className="am-markers-toggle">
          <input
            type="checkbox"
            checked={showMarkers}
            onChange={(e) => setShowMarkers(e.target.checked)}
          />
          Show amendments in the text
        </label>
      </div>
      {amendments.length > 0 && (
        <p className="am-compilation">
          Compilation: <a href={`${url}/compilation?format=docx`}>Word (DOCX)</a> ·{' '}
          <a href={`${url}/compilation?format=html`} target="_blank" rel="noopener">
            HTML
          </a>
        </p>
      )}
      {review.proposing && !proposeMode && <PassageComposer onDone={refresh} />}
      {speaker && !review.proposing && (
        <button
          type="button"
          className="button button-quiet"
          aria-expanded={composerOpen}
          onClick={() => (composerOpen ? closeComposer() : setProposingField(true))}
        >
          Propose a field change
        </button>
      )}
      {composerOpen && (
        <FieldComposer
          // A proposal asked for from a layer opens a fresh composer on it.
          key={fieldProposal ? `asked-${fieldProposal.seq}` : 'manual'}
          view={view}
          asked={fieldProposal}
          onCancel={closeComposer}
          onDone={() => (closeComposer(), refresh())}
        />
      )}
      {shown.length === 0 && (
        <p className="hint">
          {speaker
            ? 'No amendments here. Select text in a narrative and choose “Propose change”.'
            : 'No amendments here.'}
        </p>
      )}
      <ol className="am-list" aria-label="Amendments">
        {shown.map((a) => (
          <AmendmentItem
            key={a.id}
            amendment={a}
            layerTitle={layerTitle(a.layerId)}
            view={view}
            focused={focused === a.id}
            merging={merging.includes(a.number)}
            onMerge={(on) =>
              setMerging((m) => (on ? [...m, a.number] : m.filter((n) => n !== a.number)))
            }
            onDone={refresh}
          />
        ))}
      </ol>
      {review.canAgree && merging.length > 0 && (
        <CompromiseForm
          sources={merging}
          base={amendments.find((a) => a.number === Math.min(...merging))?.baseText ?? ''}
          onDone={() => (setMerging([]), refresh())}
        />
      )}
    </section>
  );
}

/** What an amendment changes, in words: the passage, or the field of its row. */
function targetLabel(
  target: AmendmentTarget,
  view: FrameworkView,
  layerId: string,
  parties: Party[],
) {
  if (target.kind === 'passage') return 'Narrative';
  if (target.kind === 'row')
    return target.item === 'trigger' ? 'New trigger' : 'New commitment row';
  const layer = view.layers.find((l) => l.id === layerId);
  if (target.item === 'layer') return 'Lead';
  if (target.item === 'commitment') {
    const index = layer?.commitments.findIndex((c) => c.id === target.id) ?? -1;
    const row = index >= 0 ? layer!.commitments[index] : undefined;
    const who = row ? partyName(parties, row.party) : 'removed row';
    const what = row ? COMMITMENT_TYPE_LABELS[row.type] : '';
    const name = `${index >= 0 ? `Commitment ${index + 1}` : 'Commitment'} (${who}${what ? `, ${what}` : ''})`;
    return target.kind === 'remove' ? `Removes ${name}` : `${name}: ${FIELD_LABELS[target.field]}`;
  }
  const index = layer?.triggers.findIndex((t) => t.id === target.id) ?? -1;
  if (target.kind === 'remove') {
    return index >= 0 ? `Removes Trigger ${index + 1}` : 'Removes a trigger no longer there';
  }
  return `Trigger ${index + 1}: ${FIELD_LABELS[target.field]}`;
}

const FIELD_LABELS: Record<string, string> = {
  ...AMENDABLE_FIELD_NAMES,
  deadlineHours: 'deadline (hours)',
};

function partyName(parties: Party[], id: string): string {
  if (!id) return 'none';
  return parties.find((p) => p.id === id)?.name ?? id;
}

/** A commitment row as its removal reads (as the server writes the base), or null when gone. */
function commitmentRemovalText(row: Commitment | undefined, parties: Party[]): string | null {
  return row ? describeProposedCommitment(row, (p) => partyName(parties, p)) : null;
}

/** A trigger as its removal reads (as the server writes the base), or null when gone. */
function triggerRemovalText(row: Trigger | undefined, parties: Party[]): string | null {
  if (!row) return null;
  const responsible = row.responsibleParties.map((p) => partyName(parties, p));
  return triggerSentence(
    { ...row, responsible },
    parties.map((p) => p.name),
  );
}

/** A value as people read it: party names for party fields, "(none)" for nothing. */
function shownValue(target: AmendmentTarget, value: string, parties: Party[]): string {
  if (isPartyField(target)) return partyName(parties, value);
  return value === '' ? '(none)' : value;
}

/**
 * A proposal against its base, word by word: deletions struck through, insertions underlined;
 * with `runs`, the words kept and inserted in the proposal's formatting.
 */
export function WordDiff({
  from,
  to,
  runs = null,
}: {
  from: string;
  to: string;
  runs?: ProposalRun[] | null;
}) {
  // The panel renders again on every change to the document (its view): the diff only when
  // the wording does, which with 200 amendments listed is most of the panel's work.
  const ops = useMemo(() => diffWords(from, to), [from, to]);
  const shown = (text: string, at: number) =>
    runs ? <RunsText runs={sliceRuns(runs, at, at + text.length)} /> : text;
  if (from === to && runs) {
    return (
      <p className="am-diff">
        Changes the formatting: <ins>{shown(to, 0)}</ins>
      </p>
    );
  }
  return (
    <p className="am-diff">
      {ops.map((op, i) =>
        op.type === 'equal' ? (
          <span key={i}>{shown(op.text, op.bStart)}</span>
        ) : op.type === 'insert' ? (
          // A replacement reads "old new", not "oldnew".
          <span key={i}>
            {ops[i - 1]?.type === 'delete' ? ' ' : ''}
            <ins>{shown(op.text, op.bStart)}</ins>
          </span>
        ) : (
          <del key={i}>{op.text}</del>
        ),
      )}
    </p>
  );
}

function AmendmentItem({
  amendment: a,
  layerTitle,
  view,
  focused,
  merging,
  onMerge,
  onDone,
}: {
  amendment: AmendmentListItem;
  layerTitle: string;
  view: FrameworkView;
  focused: boolean;
  merging: boolean;
  onMerge: (on: boolean) => void;
  onDone: () => void;
}) {
  const review = useReview();
  const { parties } = useEditorContext();
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const id = useId();
  const speaker = amendmentSpeakerOf(review.actor);
  const title = amendmentTitle(a);
  const tabled = a.status === 'tabled';
  const movedOn = tabled && a.currentText !== null && a.currentText !== a.baseText;
  const gone = tabled && a.currentText === null;
  const mine = speaker?.as === 'member' ? speaker.party : null;
  const own = speaker !== null && (mine !== null ? mine === a.party : a.party === null);
  const sponsoring = mine !== null && a.sponsors.some((s) => s.party === mine);
  const show = (value: string) => shownValue(a.target, value, parties);

  const {
    post: act,
    busy,
    error,
  } = useAmendmentPost(`/${a.id}`, () => {
    setRejecting(false);
    onDone();
  });

  return (
    <li
      className={`am-item am-${a.status}${focused ? ' am-item-focused' : ''}`}
      aria-labelledby={`${id}-title`}
      aria-current={focused ? 'true' : undefined}
      data-amendment-item={a.id}
      tabIndex={-1}
    >
      <div className="am-item-head">
        <h3 className="am-title" id={`${id}-title`}>
          {title}
        </h3>
        <span className={`am-status am-status-${a.status}`}>
          {a.supersededBy !== null
            ? `Superseded by ${a.supersededBy}`
            : AMENDMENT_STATUS_LABELS[a.status as AmendmentStatus]}
        </span>
      </div>
      <p className="am-where">
        {layerTitle} · {targetLabel(a.target, view, a.layerId, parties)}
      </p>
      {movedOn ? (
        <dl className="am-sides" aria-label="The text moved on since tabling">
          <div>
            <dt>Tabled against</dt>
            <dd>{show(a.baseText)}</dd>
          </div>
          <div>
            <dt>Current text</dt>
            <dd>{show(a.currentText!)}</dd>
          </div>
          <div>
            <dt>Proposed</dt>
            <dd>
              {a.target.kind === 'remove'
                ? a.target.item === 'trigger'
                  ? 'Delete the trigger'
                  : 'Delete the row'
                : show(a.proposedText)}
            </dd>
          </div>
        </dl>
      ) : a.target.kind === 'passage' ? (
        <WordDiff from={a.baseText} to={a.proposedText} runs={a.proposedRuns} />
      ) : a.target.kind === 'remove' ? (
        <RemovalSummary current={a.baseText} item={a.target.item} />
      ) : a.target.kind === 'row' ? (
        <p className="am-diff">
          Adds: <ins>{a.proposedText}</ins>
        </p>
      ) : (
        <p className="am-diff">
          <del>{show(a.baseText)}</del> → <ins>{show(a.proposedText)}</ins>
        </p>
      )}
      {movedOn && (
        <p className="am-warning" role="note">
          The text changed since this amendment was tabled: compare before deciding.
        </p>
      )}
      {gone && (
        <p className="am-warning" role="note">
          What this amendment changes is no longer in the text as it was: apply it by hand, or
          reject it.
        </p>
      )}
      {a.justification && <p className="am-justification">{a.justification}</p>}
      <p className="am-meta">
        Tabled by {a.tabledByName || 'a member'}
        {a.partyName ? ` for ${a.partyName}` : ' as chair'}, <Time at={a.tabledAt} />
        {a.decidedAt && (
          <>
            {' '}
            · {AMENDMENT_STATUS_LABELS[a.status as AmendmentStatus].toLowerCase()} by{' '}
            {a.decidedByName ?? 'a member'}, <Time at={a.decidedAt} />
            {a.decisionReason ? `: ${a.decisionReason}` : ''}
          </>
        )}
      </p>
      {tabled && (
        <div className="am-actions">
          {mine !== null && !own && (
            <button
              type="button"
              className="button button-quiet"
              disabled={busy}
              onClick={() => void act({ action: sponsoring ? 'leave' : 'cosponsor' })}
            >
              {sponsoring ? 'Stop co-sponsoring' : 'Co-sponsor'}
            </button>
          )}
          {own && (
            <button
              type="button"
              className="button button-quiet"
              disabled={busy}
              onClick={() => void act({ action: 'withdraw' })}
            >
              Withdraw
            </button>
          )}
          {review.canAgree && (
            <>
              <button
                type="button"
                className="button"
                disabled={busy || gone}
                aria-label={`Accept ${title}`}
                onClick={() => void act({ action: 'accept', overCurrent: movedOn })}
              >
                {movedOn ? 'Apply to the current text' : 'Accept'}
              </button>
              <button
                type="button"
                className="button button-quiet"
                aria-expanded={rejecting}
                disabled={busy}
                onClick={() => setRejecting((r) => !r)}
              >
                Reject…
              </button>
              {/* A row or a removal is applied as it is: there is no wording to compromise on. */}
              {(a.target.kind === 'passage' || a.target.kind === 'field') && (
                <label className="am-merge">
                  <input
                    type="checkbox"
                    checked={merging}
                    onChange={(e) => onMerge(e.target.checked)}
                  />
                  Merge into a compromise
                </label>
              )}
            </>
          )}
        </div>
      )}
      {rejecting && (
        <form
          className="am-reject"
          onSubmit={(e) => {
            e.preventDefault();
            void act({ action: 'reject', reason });
          }}
        >
          <label htmlFor={`${id}-reason`}>Why is {title} rejected?</label>
          <input
            id={`${id}-reason`}
            value={reason}
            maxLength={2000}
            onChange={(e) => setReason(e.target.value)}
          />
          <button type="submit" className="button" disabled={busy || reason.trim().length < 3}>
            Reject amendment
          </button>
        </form>
      )}
      {error && (
        <p className="rv-error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}

/** Posts to the amendments routes, keeping the server's message when it refuses. */
function useAmendmentPost(path: string, onDone: () => void) {
  const review = useReview();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const post = async (body: Record<string, unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await reviewFetch(`${review.base}/amendments${path}`, { method: 'POST', body });
      onDone();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return { post, busy, error };
}

function JustificationField({
  id,
  value,
  onChange,
}: {
  id: string;
  value: string;
  onChange: (v: string) => void;
}) {
  return (
    <>
      <label htmlFor={id}>Justification</label>
      <textarea
        id={id}
        rows={2}
        value={value}
        maxLength={MAX_JUSTIFICATION_LENGTH}
        onChange={(e) => onChange(e.target.value)}
      />
    </>
  );
}

/**
 * Drafts an amendment to the passage picked with "Propose change": in the panel, or under the
 * narrative in "Propose changes" mode (where the text shows the draft as tracked changes).
 */
export function PassageComposer({ onDone }: { onDone: () => void }) {
  const review = useReview();
  const passage = review.proposing!;
  const {
    draftText: text,
    setDraftText: setText,
    draftRuns,
    toggleDraftMark,
    justification,
    setJustification,
  } = useAmendments();
  const id = useId();
  // Bold and italic on the words selected in the wording (the buttons, Ctrl+B, Ctrl+I).
  const box = useRef<HTMLTextAreaElement>(null);
  const [selected, setSelected] = useState<[number, number]>([0, 0]);
  const readSelection = () => {
    const t = box.current;
    if (t) setSelected([t.selectionStart, t.selectionEnd]);
  };
  const toggle = (mark: ToggledMark) => {
    const t = box.current;
    if (!t || t.selectionStart === t.selectionEnd) return;
    const [from, to] = [t.selectionStart, t.selectionEnd];
    toggleDraftMark(from, to, mark);
    t.focus();
    t.setSelectionRange(from, to);
  };
  const formatted = !isPlain(draftRuns);
  const { post, busy, error } = useAmendmentPost('', () => {
    review.propose(null);
    onDone();
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!passage.anchor) return;
    void post({
      layerId: passage.layerId,
      target: { kind: 'passage', anchor: passage.anchor },
      proposedText: text,
      proposedRuns: formatted ? draftRuns : null,
      justification,
    });
  };
  const nothingSelected = selected[0] === selected[1];
  return (
    <form className="am-composer" onSubmit={submit} aria-label="New amendment">
      {passage.anchor ? (
        <>
          <p className="am-label">Replace</p>
          <blockquote className="rv-quote">{passage.quote}</blockquote>
          <label htmlFor={`${id}-text`}>By</label>
          <div className="am-format" role="toolbar" aria-label="Formatting of the wording">
            {(['bold', 'italic'] as const).map((mark) => (
              <button
                key={mark}
                type="button"
                className={`button button-quiet am-format-${mark}`}
                aria-pressed={!nothingSelected && hasMark(draftRuns, ...selected, mark)}
                aria-keyshortcuts={mark === 'bold' ? 'Control+B' : 'Control+I'}
                title={nothingSelected ? 'Select words of the wording first' : undefined}
                disabled={nothingSelected}
                // Keeps the wording's selection while the button is pressed.
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => toggle(mark)}
              >
                {mark === 'bold' ? 'Bold' : 'Italic'}
              </button>
            ))}
          </div>
          <textarea
            id={`${id}-text`}
            ref={box}
            rows={3}
            value={text}
            maxLength={MAX_PROPOSED_TEXT_LENGTH}
            onChange={(e) => setText(e.target.value)}
            onSelect={readSelection}
            onKeyDown={(e) => {
              const key = e.key.toLowerCase();
              if ((e.ctrlKey || e.metaKey) && !e.altKey && (key === 'b' || key === 'i')) {
                e.preventDefault();
                toggle(key === 'b' ? 'bold' : 'italic');
                readSelection();
              }
            }}
          />
          {passage.quote && (text !== passage.quote || formatted) && (
            <WordDiff from={passage.quote} to={text} runs={formatted ? draftRuns : null} />
          )}
          <JustificationField id={`${id}-why`} value={justification} onChange={setJustification} />
        </>
      ) : (
        <p className="hint">Select a passage within one paragraph of a narrative first.</p>
      )}
      <div className="am-actions">
        {passage.anchor && (
          <button type="submit" className="button button-primary" disabled={busy}>
            Table amendment
          </button>
        )}
        <button type="button" className="button button-quiet" onClick={() => review.propose(null)}>
          Cancel
        </button>
      </div>
      {error && (
        <p className="rv-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

export type FieldChoice = { key: string; label: string; target: AmendmentTarget; current: string };

/** Every field of a layer an amendment may change, with its value now. */
export function amendableFields(
  view: FrameworkView,
  layerId: string,
  parties: Party[],
): FieldChoice[] {
  const layer = view.layers.find((l) => l.id === layerId);
  if (!layer) return [];
  const field = (label: string, target: AmendmentTarget, current: string): FieldChoice => ({
    key: choiceOfTarget(target)!,
    label,
    target,
    current,
  });
  const out: FieldChoice[] = [
    field('Lead', { kind: 'field', item: 'layer', field: 'lead' }, layer.lead ?? ''),
  ];
  layer.commitments.forEach((c, i) => {
    const who = `Commitment ${i + 1} (${partyName(parties, c.party)}, ${COMMITMENT_TYPE_LABELS[c.type]})`;
    for (const name of ['quantity', 'unit', 'period', 'conditions'] as const) {
      out.push(
        field(
          `${who}: ${FIELD_LABELS[name]}`,
          { kind: 'field', item: 'commitment', id: c.id, field: name },
          c[name] === null ? '' : String(c[name]),
        ),
      );
    }
  });
  layer.triggers.forEach((t, i) => {
    for (const name of ['deadlineHours', 'condition', 'response'] as const) {
      out.push(
        field(
          `Trigger ${i + 1}: ${FIELD_LABELS[name]}`,
          { kind: 'field', item: 'trigger', id: t.id, field: name },
          t[name] === null ? '' : String(t[name]),
        ),
      );
    }
  });
  return out;
}

/**
 * Drafts an amendment to one structured field (a quantity, a deadline, the lead) or a whole row
 * (a new commitment or trigger, the removal of a commitment). Opened from the panel, or on a
 * choice `asked` for from a layer ("Propose removal" on a row, "Propose a new trigger").
 */
function FieldComposer({
  view,
  asked,
  onDone,
  onCancel,
}: {
  view: FrameworkView;
  asked: FieldProposal | null;
  onDone: () => void;
  onCancel: () => void;
}) {
  const { parties } = useEditorContext();
  const { me, frameworkId } = useReview();
  const [layerId, setLayerId] = useState(asked?.layerId ?? view.layers[0]?.id ?? '');
  const fields = useMemo(() => amendableFields(view, layerId, parties), [view, layerId, parties]);
  const [key, setKey] = useState(asked?.choice ?? '');
  const field = fields.find((f) => f.key === key) ?? fields[0];
  // Asked for with a value (a refused edit offered back): the composer starts from it.
  const [value, setValue] = useState(asked?.value ?? '');
  const [justification, setJustification] = useState(asked?.justification ?? '');
  const id = useId();
  const [row, setRow] = useState<ProposedCommitment>(asked?.row ?? EMPTY_ROW);
  const [trigger, setTrigger] = useState<ProposedTrigger>(asked?.trigger ?? EMPTY_TRIGGER);
  const adding = key === NEW_ROW;
  const addingTrigger = key === NEW_TRIGGER_CHOICE;
  const removal = removedRowOf(key);
  const removedId = removal?.id ?? null;
  // What the Field list shows chosen: a row choice as it is, else the field (the first one when
  // none was chosen yet).
  const shownChoice = adding || addingTrigger || removedId ? key : (field?.key ?? key);
  // Kept across a reload until it is tabled or cancelled (draft-store.ts; the panel forgets it).
  useEffect(() => {
    saveDraft(me.id, frameworkId, 'field', {
      layerId,
      choice: shownChoice,
      value,
      justification,
      row,
      trigger,
    });
  }, [me.id, frameworkId, layerId, shownChoice, value, justification, row, trigger]);
  const { post, busy, error } = useAmendmentPost('', onDone);
  const choice = useRef<HTMLSelectElement>(null);
  // Asked for from a layer: keyboard focus moves here, where the proposal is made.
  useEffect(() => {
    if (!asked) return;
    choice.current?.scrollIntoView({ block: 'nearest' });
    choice.current?.focus({ preventScroll: true });
  }, [asked]);
  const layer = view.layers.find((l) => l.id === layerId);
  // The row as it reads now, in the words its amendment's base will be written in.
  const removed = !removal
    ? null
    : removal.item === 'trigger'
      ? triggerRemovalText(
          layer?.triggers.find((t) => t.id === removal.id),
          parties,
        )
      : commitmentRemovalText(
          layer?.commitments.find((c) => c.id === removal.id),
          parties,
        );
  if (!field && !adding && !addingTrigger && !removedId) return null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    // For rows the server writes the proposed text (and a removal's base) from the document.
    let target: AmendmentTarget | null = null;
    if (adding) target = { kind: 'row', item: 'commitment', row };
    else if (addingTrigger) target = { kind: 'row', item: 'trigger', row: trigger };
    else if (removal) target = { kind: 'remove', item: removal.item, id: removal.id };
    if (target) {
      void post({ layerId, target, proposedText: '', justification });
      return;
    }
    void post({ layerId, target: field!.target, proposedText: value.trim(), justification });
  };
  return (
    <form className="am-composer" onSubmit={submit} aria-label="New field amendment">
      <label htmlFor={`${id}-layer`}>Layer</label>
      <select
        id={`${id}-layer`}
        value={layerId}
        onChange={(e) => {
          setLayerId(e.target.value);
          // A row of the previous layer is no choice in this one.
          if (removedRowOf(key)) setKey('');
        }}
      >
        {view.layers.map((l, i) => (
          <option key={l.id} value={l.id}>
            {i + 1}. {l.title.trim() || 'Untitled layer'}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-field`}>Field</label>
      <select
        id={`${id}-field`}
        ref={choice}
        value={shownChoice}
        onChange={(e) => setKey(e.target.value)}
      >
        {fields.map((f) => (
          <option key={f.key} value={f.key}>
            {f.label}
          </option>
        ))}
        <option value={NEW_ROW}>New commitment row</option>
        <option value={NEW_TRIGGER_CHOICE}>New trigger</option>
        {layer?.commitments.map((c, i) => (
          <option key={c.id} value={removalChoice(c.id)}>
            Remove commitment {i + 1} ({partyName(parties, c.party)},{' '}
            {COMMITMENT_TYPE_LABELS[c.type]})
          </option>
        ))}
        {layer?.triggers.map((t, i) => (
          <option key={t.id} value={removalChoice(t.id, 'trigger')}>
            Remove trigger {i + 1}
          </option>
        ))}
        {removedId && removed === null && <option value={key}>Remove a row no longer there</option>}
      </select>
      {adding ? (
        <NewRowFields row={row} onChange={setRow} parties={parties} />
      ) : addingTrigger ? (
        <NewTriggerFields row={trigger} onChange={setTrigger} parties={parties} />
      ) : removedId ? (
        <RemovalSummary current={removed} item={removal?.item} />
      ) : (
        <FieldValue field={field!} value={value} onChange={setValue} parties={parties} />
      )}
      <JustificationField id={`${id}-why`} value={justification} onChange={setJustification} />
      <div className="am-actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          Table amendment
        </button>
        <button type="button" className="button button-quiet" onClick={onCancel}>
          Cancel
        </button>
      </div>
      {error && (
        <p className="rv-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

const NEW_ROW = NEW_COMMITMENT_CHOICE;
const EMPTY_ROW: ProposedCommitment = {
  type: COMMITMENT_TYPES[0],
  party: '',
  quantity: null,
  unit: '',
  conditions: '',
  period: '',
};

/** The current value of a field and the value proposed for it. */
function FieldValue({
  field,
  value,
  onChange: setValue,
  parties,
}: {
  field: FieldChoice;
  value: string;
  onChange: (v: string) => void;
  parties: Party[];
}) {
  const id = useId();
  return (
    <>
      <p className="am-label">Now: {shownValue(field.target, field.current, parties)}</p>
      <label htmlFor={`${id}-value`}>Proposed value</label>
      {isPartyField(field.target) ? (
        <select id={`${id}-value`} value={value} onChange={(e) => setValue(e.target.value)}>
          <option value="">None</option>
          {parties.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      ) : (
        <input
          id={`${id}-value`}
          value={value}
          maxLength={MAX_PROPOSED_TEXT_LENGTH}
          inputMode={
            field.key.endsWith('quantity') || field.key.endsWith('deadlineHours')
              ? 'numeric'
              : undefined
          }
          onChange={(e) => setValue(e.target.value)}
        />
      )}
    </>
  );
}

/** The commitment row an amendment proposes to add. */
function NewRowFields({
  row,
  onChange,
  parties,
}: {
  row: ProposedCommitment;
  onChange: (row: ProposedCommitment) => void;
  parties: Party[];
}) {
  const id = useId();
  const set = (patch: Partial<ProposedCommitment>) => onChange({ ...row, ...patch });
  return (
    <fieldset className="am-new-row">
      <legend>Proposed commitment</legend>
      <label htmlFor={`${id}-party`}>Party</label>
      <select id={`${id}-party`} value={row.party} onChange={(e) => set({ party: e.target.value })}>
        <option value="">None yet</option>
        {parties.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-type`}>Type</label>
      <select
        id={`${id}-type`}
        value={row.type}
        onChange={(e) => set({ type: e.target.value as CommitmentType })}
      >
        {COMMITMENT_TYPES.map((t) => (
          <option key={t} value={t}>
            {COMMITMENT_TYPE_LABELS[t]}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-quantity`}>Quantity</label>
      <input
        id={`${id}-quantity`}
        inputMode="numeric"
        value={row.quantity === null ? '' : String(row.quantity)}
        onChange={(e) => {
          const text = e.target.value.trim();
          const n = Number(text);
          if (text === '') set({ quantity: null });
          else if (Number.isFinite(n) && n >= 0) set({ quantity: n });
        }}
      />
      <label htmlFor={`${id}-unit`}>Unit</label>
      <input
        id={`${id}-unit`}
        value={row.unit}
        maxLength={100}
        onChange={(e) => set({ unit: e.target.value })}
      />
      <label htmlFor={`${id}-period`}>Period</label>
      <input
        id={`${id}-period`}
        value={row.period}
        maxLength={200}
        onChange={(e) => set({ period: e.target.value })}
      />
      <label htmlFor={`${id}-conditions`}>Conditions</label>
      <input
        id={`${id}-conditions`}
        value={row.conditions}
        maxLength={2000}
        onChange={(e) => set({ conditions: e.target.value })}
      />
    </fieldset>
  );
}

/** The chair merges the checked amendments into one compromise wording. */
function CompromiseForm({
  sources,
  base,
  onDone,
}: {
  sources: number[];
  base: string;
  onDone: () => void;
}) {
  const [text, setText] = useState(base);
  const [justification, setJustification] = useState('');
  const id = useId();
  const { post, busy, error } = useAmendmentPost('/compromise', onDone);
  const sorted = [...sources].sort((a, b) => a - b);
  return (
    <form
      className="am-composer am-compromise"
      aria-label="Chair's compromise"
      onSubmit={(e) => {
        e.preventDefault();
        void post({ sources: sorted, proposedText: text, justification });
      }}
    >
      <p className="am-label">Compromise merging amendments {sorted.join(', ')}</p>
      <label htmlFor={`${id}-text`}>Compromise wording</label>
      <textarea
        id={`${id}-text`}
        rows={3}
        value={text}
        maxLength={MAX_PROPOSED_TEXT_LENGTH}
        onChange={(e) => setText(e.target.value)}
      />
      <JustificationField id={`${id}-why`} value={justification} onChange={setJustification} />
      <button type="submit" className="button button-primary" disabled={busy}>
        Table compromise
      </button>
      {error && (
        <p className="rv-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
