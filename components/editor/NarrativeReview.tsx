'use client';

import type { Editor } from '@tiptap/react';
import { useEffect, useId, useMemo, useState } from 'react';
import type * as Y from 'yjs';
import { useReview } from '@/components/review/ReviewContext';
import { BRACKET_MARK, partyIdOf, readBrackets, type Bracket } from '@/lib/framework';
import { newBracketId } from './bracket-id';
import { anchorOfSelection } from './review-extensions';
import { useEditorContext } from './EditorContext';

/** Comment on the selected passage (or the layer), and bracket the selection with alternatives. */
export function ReviewToolbar({
  editor,
  label,
  layerId,
  readOnly,
}: {
  editor: Editor;
  label: string;
  layerId: string;
  readOnly: boolean;
}) {
  const review = useReview();
  const id = useId();
  const [bracketing, setBracketing] = useState(false);
  const [alternatives, setAlternatives] = useState('');

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
    editor
      .chain()
      .focus()
      .setMark(BRACKET_MARK, {
        id: newBracketId(),
        party: review.me.delegation ? partyIdOf(review.me.delegation) : '',
        alternatives: alts,
      })
      .run();
    setBracketing(false);
    setAlternatives('');
  };

  // A viewer can neither comment nor bracket: no empty toolbar for them.
  if (!review.canComment && readOnly) return null;
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

/** Open brackets of the narrative, alternatives side by side: accept one, or remove brackets. */
export function BracketList({
  editor,
  fragment,
  readOnly,
}: {
  editor: Editor;
  fragment: Y.XmlFragment;
  readOnly: boolean;
}) {
  const brackets = useBrackets(fragment);
  const { parties } = useEditorContext();
  if (brackets.length === 0) return null;
  const partyName = (id: string) => parties.find((p) => p.id === id)?.name ?? id;

  const accept = (bracket: Bracket, text: string) => {
    const range = rangeOf(editor, bracket.id);
    if (!range) return;
    const { tr, schema } = editor.state;
    editor.view.dispatch(tr.replaceWith(range.from, range.to, schema.text(text)));
  };
  const unbracket = (bracket: Bracket) => {
    const range = rangeOf(editor, bracket.id);
    const type = editor.schema.marks[BRACKET_MARK];
    if (!range || !type) return;
    editor.view.dispatch(editor.state.tr.removeMark(range.from, range.to, type));
  };

  return (
    <ul className="rv-brackets-list" aria-label="Open brackets">
      {brackets.map((bracket, i) => (
        <li key={`${bracket.id}-${i}`} className="rv-bracket-item">
          <div className="rv-bracket-options">
            <span className="rv-bracket-option rv-bracket-current">
              <span className="rv-bracket-text">[{bracket.text}]</span>
              {bracket.party && <span className="rv-party">{partyName(bracket.party)}</span>}
            </span>
            {bracket.alternatives.map((alt, j) => (
              <span key={j} className="rv-bracket-option">
                <span className="rv-bracket-text">[{alt}]</span>
                {!readOnly && (
                  <button
                    type="button"
                    className="button button-quiet"
                    aria-label={`Accept alternative: ${alt}`}
                    onClick={() => accept(bracket, alt)}
                  >
                    Accept
                  </button>
                )}
              </span>
            ))}
          </div>
          {!readOnly && (
            <button
              type="button"
              className="button button-quiet"
              aria-label={`Remove brackets: ${bracket.text}`}
              onClick={() => unbracket(bracket)}
            >
              Remove brackets
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}
