'use client';

import type { Editor } from '@tiptap/react';
import { useEffect, useId, useMemo, useState } from 'react';
import type * as Y from 'yjs';
import { useOptionalAmendments } from '@/components/review/AmendmentsContext';
import { useOptionalReview, useReview } from '@/components/review/ReviewContext';
import { useReviewAction } from '@/components/review/useReviewAction';
import {
  BRACKET_MARK,
  bracketAttrsJson,
  readBrackets,
  type Bracket,
  type BracketAttrs,
} from '@/lib/framework';
import { can } from '@/lib/permissions';
import { amendmentSpeakerOf } from '@/lib/write-rules';
import { newBracketId } from './bracket-id';
import { anchorOfSelection } from './review-extensions';
import { useEditorContext } from './EditorContext';

/** Comment on the selected passage (or the layer), and bracket the selection with alternatives. */
export function ReviewToolbar({
  editor,
  label,
  layerId,
  readOnly,
  proposeOnly = false,
}: {
  editor: Editor;
  label: string;
  layerId: string;
  readOnly: boolean;
  /** A commenter of a delegation: proposing is their only way to change the text. */
  proposeOnly?: boolean;
}) {
  const review = useReview();
  const amendments = useOptionalAmendments();
  const { parties } = useEditorContext();
  const id = useId();
  const [bracketing, setBracketing] = useState(false);
  const [alternatives, setAlternatives] = useState('');
  const mine = review.actor.delegation ?? '';
  // The chair may enter a bracket on behalf of the delegation that proposed it (recorded).
  const chairs = can(review.me.role, 'delegation.chair');
  const [proposer, setProposer] = useState(mine);

  const speaker = amendmentSpeakerOf(review.actor);
  const propose = () => {
    const anchor = anchorOfSelection(editor.state);
    review.propose({
      layerId,
      anchor: anchor ? { start: anchor.start, end: anchor.end } : null,
      quote: anchor?.quote ?? null,
    });
  };
  const comment = () => {
    const anchor = anchorOfSelection(editor.state);
    review.startThread({
      layerId,
      anchor: anchor ? { start: anchor.start, end: anchor.end } : null,
      quote: anchor?.quote ?? null,
    });
  };
  const addBracket = () => {
    const alts = alternatives
      .split('\n')
      .map((a) => a.trim())
      .filter(Boolean)
      .slice(0, 5);
    const party = chairs ? proposer : mine;
    const attrs: BracketAttrs = {
      id: newBracketId(),
      party,
      alternatives: alts.map((text) => ({ text, party })),
      chair: chairs && party !== mine,
    };
    editor.chain().focus().setMark(BRACKET_MARK, bracketAttrsJson(attrs)).run();
    setBracketing(false);
    setAlternatives('');
  };

  // A viewer can neither comment, propose nor bracket: no empty toolbar for them.
  if (!review.canComment && !speaker && readOnly) return null;
  return (
    <div role="toolbar" aria-label={`Review: ${label}`} className="ed-toolbar rv-toolbar">
      {review.canComment && (
        <button
          type="button"
          className="ed-tool"
          onMouseDown={(event) => event.preventDefault()}
          onClick={comment}
        >
          Comment
        </button>
      )}
      {speaker?.as === 'member' && amendments && (
        <button
          type="button"
          className="ed-tool ed-tool-propose-mode"
          aria-pressed={proposeOnly || amendments.proposeMode}
          disabled={proposeOnly}
          title={
            proposeOnly
              ? 'As a commenter you change the text by proposing amendments'
              : 'Edits become amendments of your delegation, not changes to the common text'
          }
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => amendments.setProposeMode(!amendments.proposeMode)}
        >
          Propose changes
        </button>
      )}
      {speaker && (
        <button
          type="button"
          className="ed-tool"
          onMouseDown={(event) => event.preventDefault()}
          onClick={propose}
        >
          Propose change
        </button>
      )}
      {!readOnly && (
        <button
          type="button"
          className="ed-tool"
          aria-expanded={bracketing}
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => setBracketing((b) => !b)}
        >
          [ Bracket ]
        </button>
      )}
      {bracketing && (
        <div className="rv-bracket-form">
          {chairs && (
            <>
              <label htmlFor={`${id}-for`}>Proposed by</label>
              <select
                id={`${id}-for`}
                value={proposer}
                onChange={(e) => setProposer(e.target.value)}
              >
                <option value="">No delegation</option>
                {parties.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                    {p.id === mine ? '' : ' (entered by the chair)'}
                  </option>
                ))}
              </select>
            </>
          )}
          <label htmlFor={`${id}-alts`}>Alternative wordings (one per line)</label>
          <textarea
            id={`${id}-alts`}
            rows={2}
            value={alternatives}
            maxLength={2000}
            onChange={(e) => setAlternatives(e.target.value)}
          />
          <button
            type="button"
            className="button"
            onMouseDown={(event) => event.preventDefault()}
            onClick={addBracket}
            disabled={editor.state.selection.empty}
          >
            Bracket selection
          </button>
        </div>
      )}
    </div>
  );
}

/** The ProseMirror range of a bracket (its id may span several text nodes). */
function rangeOf(editor: Editor, bracketId: string): { from: number; to: number } | null {
  let from = -1;
  let to = -1;
  editor.state.doc.descendants((node, pos) => {
    if (!node.isText) return;
    const mark = node.marks.find(
      (m) => m.type.name === BRACKET_MARK && (m.attrs as { id: string }).id === bracketId,
    );
    if (!mark) return;
    if (from < 0) from = pos;
    to = pos + node.nodeSize;
  });
  return from < 0 ? null : { from, to };
}

function useBrackets(fragment: Y.XmlFragment): Bracket[] {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const bump = () => setVersion((v) => v + 1);
    fragment.observeDeep(bump);
    return () => fragment.unobserveDeep(bump);
  }, [fragment]);
  // Recomputed on each observed change; a narrative holds few brackets.
  return useMemo(() => (version >= 0 ? readBrackets(fragment) : []), [fragment, version]);
}

/**
 * Open brackets of the narrative, alternatives side by side, each with its proposer: add an
 * alternative, or resolve the bracket (through the server, which records who chose what).
 */
export function BracketList({
  editor,
  layerId,
  fragment,
  readOnly,
}: {
  editor: Editor;
  layerId: string;
  fragment: Y.XmlFragment;
  readOnly: boolean;
}) {
  const brackets = useBrackets(fragment);
  const { parties } = useEditorContext();
  const review = useOptionalReview();
  const { post, busy, error } = useReviewAction();
  if (brackets.length === 0) return null;
  const partyName = (id: string) => parties.find((p) => p.id === id)?.name ?? id;

  const resolve = (bracket: Bracket, alternative: number | null) =>
    void post({ action: 'bracket.resolve', layerId, bracketId: bracket.id, alternative });
  const addAlternative = (bracket: Bracket, text: string) => {
    const range = rangeOf(editor, bracket.id);
    if (!range || !text.trim()) return;
    const { text: _text, ...attrs } = bracket;
    const party = review?.actor.delegation ?? '';
    editor
      .chain()
      .setTextSelection(range)
      .setMark(
        BRACKET_MARK,
        bracketAttrsJson({ ...attrs, alternatives: [...attrs.alternatives, { text, party }] }),
      )
      .run();
  };

  return (
    <>
      <ul className="rv-brackets-list" aria-label="Open brackets">
        {brackets.map((bracket, i) => (
          <li key={`${bracket.id}-${i}`} className="rv-bracket-item">
            <div className="rv-bracket-options">
              <span className="rv-bracket-option rv-bracket-current">
                <span className="rv-bracket-text">[{bracket.text}]</span>
                {bracket.party && (
                  <span className="rv-party">
                    {partyName(bracket.party)}
                    {bracket.chair ? ', entered by the chair' : ''}
                  </span>
                )}
              </span>
              {bracket.alternatives.map((alt, j) => (
                <span key={j} className="rv-bracket-option">
                  <span className="rv-bracket-text">[{alt.text}]</span>
                  {alt.party && <span className="rv-party">{partyName(alt.party)}</span>}
                  {!readOnly && (
                    <button
                      type="button"
                      className="button button-quiet"
                      aria-label={`Accept alternative: ${alt.text}`}
                      disabled={busy}
                      onClick={() => resolve(bracket, j)}
                    >
                      Accept
                    </button>
                  )}
                </span>
              ))}
            </div>
            {!readOnly && (
              <div className="rv-bracket-actions">
                <AddAlternative
                  label={bracket.text}
                  onAdd={(text) => addAlternative(bracket, text)}
                />
                <button
                  type="button"
                  className="button button-quiet"
                  aria-label={`Remove brackets: ${bracket.text}`}
                  disabled={busy}
                  onClick={() => resolve(bracket, null)}
                >
                  Keep this wording
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
      {error && (
        <p className="rv-error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}

function AddAlternative({ label, onAdd }: { label: string; onAdd: (text: string) => void }) {
  const id = useId();
  const [text, setText] = useState('');
  return (
    <span className="rv-add-alternative">
      <label className="visually-hidden" htmlFor={id}>
        New alternative to {label}
      </label>
      <input
        id={id}
        value={text}
        maxLength={500}
        placeholder="Another wording"
        onChange={(e) => setText(e.target.value)}
      />
      <button
        type="button"
        className="button button-quiet"
        disabled={!text.trim()}
        onClick={() => {
          onAdd(text.trim());
          setText('');
        }}
      >
        Add alternative
      </button>
    </span>
  );
}
