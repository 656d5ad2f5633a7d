'use client';

import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { TableKit } from '@tiptap/extension-table';
import { EditorContent, useEditor, useEditorState, type Editor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { useCallback, useEffect, useMemo, useRef, type RefObject } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { useOptionalReview } from '@/components/review/ReviewContext';
import { useProposeMode } from '@/components/review/useProposeMode';
import { safeHref } from '@/lib/framework/links';
import { changedPassage } from '@/lib/framework';
import { useMarkedAmendments, useOptionalAmendments } from '@/components/review/AmendmentsContext';
import { delegationColour } from '@/lib/amendments/colours';
import { amendmentTitle } from '@/lib/amendments/wire';
import { PassageComposer } from '@/components/review/AmendmentsPanel';
import { AmendmentMarkers, setAmendmentMarkers, type AmendmentMarker } from './amendment-markers';
import { TrackedDraftExtension, setTrackedDraft, type TrackedDraft } from './tracked-draft';
import { ProposeTyping, setProposeTyping, type TypedEdit } from './propose-typing';
import { BracketList, ReviewToolbar } from './NarrativeReview';
import { useEditorContext } from './EditorContext';
import { presenceColors, usualColor } from './presence-colors';
import {
  anchorOfRange,
  BracketMark,
  CommentHighlights,
  setHighlightAnchors,
  type HighlightAnchor,
} from './review-extensions';

type Props = {
  fragment: Y.XmlFragment;
  label: string;
  path: string;
  user: { id: string; name: string };
  onReady?: () => void;
  /** The layer, for review: comment anchors and brackets. */
  layerId?: string;
  /** Set when the narrative was clicked before the editor was there: focus it once it is. */
  focusWhenReadyRef?: RefObject<boolean>;
};

type CaretUser = Record<string, unknown>;

function colorOfCaret(user: CaretUser, awareness: Awareness): string {
  const id = typeof user.id === 'string' ? user.id : '';
  return presenceColors(awareness).get(id) ?? '#5a6575';
}

/** Someone else's caret: a coloured bar with their name above it. */
function caretElement(user: CaretUser, awareness: Awareness): HTMLElement {
  const color = colorOfCaret(user, awareness);
  const caret = document.createElement('span');
  caret.classList.add('collaboration-carets__caret');
  caret.style.borderColor = color;
  const label = document.createElement('div');
  label.classList.add('collaboration-carets__label');
  label.style.backgroundColor = color;
  label.textContent = typeof user.name === 'string' ? user.name : 'Someone';
  caret.append(label);
  return caret;
}

/** Rich narrative text of one layer, bound to the layer's own Y.XmlFragment. */
export function NarrativeEditor({
  fragment,
  label,
  path,
  user,
  onReady,
  layerId,
  focusWhenReadyRef,
}: Props) {
  const { provider, readOnly, parties } = useEditorContext();
  const review = useOptionalReview();
  const editor = useEditor(
    {
      immediatelyRender: true,
      // The toolbar subscribes to what it shows; re-rendering on each keystroke is not needed.
      shouldRerenderOnTransaction: false,
      editable: !readOnly,
      extensions: [
        StarterKit.configure({
          // Collaboration brings its own Yjs undo: ProseMirror history would undo others' text.
          undoRedo: false,
          // Only what lib/framework's narrative format stores (export renders the same set).
          code: false,
          codeBlock: false,
          strike: false,
          underline: false,
          horizontalRule: false,
          heading: { levels: [2, 3] },
          // The one link rule of the editor and every export (lib/framework/links.ts): Tiptap's
          // own would also let ftp:, tel: and relative addresses through.
          link: {
            openOnClick: false,
            autolink: true,
            defaultProtocol: 'https',
            isAllowedUri: (url) => safeHref(url) !== null,
          },
        }),
        TableKit.configure({ table: { resizable: false } }),
        Collaboration.configure({ fragment }),
        BracketMark,
        CommentHighlights,
        AmendmentMarkers,
        TrackedDraftExtension,
        ProposeTyping,
        CollaborationCaret.configure({
          provider,
          user: { id: user.id, name: user.name, color: usualColor(user.id) },
          // Colours by order of arrival, as the avatars show them (presence-colors.ts).
          render: (caretUser) => caretElement(caretUser, provider.awareness),
          selectionRender: (caretUser) => ({
            class: 'ProseMirror-yjs-selection',
            style: `background-color: ${colorOfCaret(caretUser, provider.awareness)}33`,
          }),
        }),
      ],
      editorProps: {
        attributes: {
          'aria-label': label,
          'aria-multiline': 'true',
          role: 'textbox',
          'data-field-path': path,
          class: 'ed-prose',
        },
      },
      onCreate: ({ editor: created }) => {
        if (focusWhenReadyRef?.current) {
          focusWhenReadyRef.current = false;
          created.commands.focus();
        }
        onReady?.();
      },
    },
    [fragment],
  );

  // "Propose changes": the common text is not edited from here; edits become drafted amendments.
  const amendments = useOptionalAmendments();
  const propose = useProposeMode();
  const { speaker, proposeOnly } = propose;
  const proposeMode = Boolean(layerId && propose.proposeMode);
  // In "Propose changes" the text takes typing, but hands it to the draft (propose-typing.ts):
  // the common text is never changed from here, and the formatting toolbar is gone.
  const formatting = !readOnly && !proposeMode;
  const editable = formatting || proposeMode;
  useEffect(() => {
    if (editor && editor.isEditable !== editable) editor.setEditable(editable);
  }, [editor, editable]);

  // The label names the layer's position, which changes on reorder; the editor keeps its DOM.
  useEffect(() => {
    if (editor && !editor.isDestroyed) editor.view.dom.setAttribute('aria-label', label);
  }, [editor, label]);

  // Open threads anchored in this layer, highlighted in the text (the focused one stronger).
  const threads = review?.threads;
  const focused = review?.focusedThread ?? null;
  const anchorsKey = useMemo(
    () =>
      JSON.stringify(
        (threads ?? [])
          .filter((t) => t.layerId === layerId && t.anchor && !t.resolved)
          .map((t) => ({ id: t.id, ...t.anchor!, focused: t.id === focused })),
      ),
    [threads, layerId, focused],
  );
  useEffect(() => {
    if (!editor || editor.isDestroyed) return;
    setHighlightAnchors(editor, JSON.parse(anchorsKey) as HighlightAnchor[]);
    if (focused) {
      const el = editor.view.dom.querySelector(`[data-thread="${CSS.escape(focused)}"]`);
      el?.scrollIntoView({ block: 'center', behavior: 'smooth' });
    }
  }, [editor, anchorsKey, focused]);

  // Tabled amendments to passages of this layer, numbered in the text.
  const marked = useMarkedAmendments(layerId);
  const openAmendment = amendments?.open;
  const markersKey = useMemo(() => {
    const ids = parties.map((p) => p.id);
    return JSON.stringify(
      marked.map((a) => ({
        id: a.id,
        number: a.number,
        title: amendmentTitle(a),
        colour: delegationColour(ids, a.party),
        ...(a.target.kind === 'passage' ? a.target.anchor : { start: '', end: '' }),
        focused: a.id === amendments?.focused,
      })),
    );
  }, [marked, parties, amendments?.focused]);
  useEffect(() => {
    if (!editor || editor.isDestroyed) return;
    setAmendmentMarkers(
      editor,
      JSON.parse(markersKey) as AmendmentMarker[],
      openAmendment ?? (() => undefined),
    );
  }, [editor, markersKey, openAmendment]);

  // The passage being reworded here, shown as tracked changes in my delegation's colour.
  const proposing = review?.proposing ?? null;
  const picked = proposeMode && proposing?.layerId === layerId ? proposing : null;
  const draftText = amendments?.draftText ?? '';
  const draftRuns = amendments?.draftRuns;
  const myColour = delegationColour(
    parties.map((p) => p.id),
    speaker?.as === 'member' ? speaker.party : null,
  );
  const draftKey = picked?.anchor
    ? JSON.stringify({
        ...picked.anchor,
        base: picked.quote ?? '',
        proposed: draftText,
        runs: draftRuns ?? [],
        colour: myColour,
      })
    : '';
  useEffect(() => {
    if (!editor || editor.isDestroyed) return;
    setTrackedDraft(editor, draftKey ? (JSON.parse(draftKey) as TrackedDraft) : null);
  }, [editor, draftKey]);

  // Typing in the text in "Propose changes" drafts an amendment to the words typed over: the
  // draft opens under the text with what was typed, and the typing goes on in its field.
  const composerBox = useRef<HTMLDivElement>(null);
  const caretAfterOpen = useRef<number | null>(null);
  const proposeWith = amendments?.proposeWith;
  const onEdit = useCallback(
    (edit: TypedEdit) => {
      if (!editor || !layerId || !proposeWith) return;
      // A draft already reworded (here or in another layer) is not replaced by a stray
      // keystroke: the typing goes on in its field.
      if (proposing && draftText !== (proposing.quote ?? '')) {
        document
          .querySelector<HTMLTextAreaElement>('form[aria-label="New amendment"] textarea')
          ?.focus();
        return;
      }
      const state = editor.state;
      const $from = state.doc.resolve(edit.from);
      const $to = state.doc.resolve(edit.to);
      if (!$from.sameParent($to) || !$from.parent.isTextblock) return;
      const block = $from.parent;
      const text = block.textBetween(0, block.content.size, undefined, '\uFFFC');
      const at = $from.parentOffset;
      const typed = text.slice(0, at) + edit.text + text.slice($to.parentOffset);
      const passage = changedPassage(text, typed);
      if (!passage) return;
      const start = $from.start();
      const anchor = anchorOfRange(state, start + passage.start, start + passage.end);
      if (!anchor) return;
      caretAfterOpen.current = Math.min(
        Math.max(at - passage.start + edit.text.length, 0),
        passage.proposed.length,
      );
      proposeWith(
        { layerId, anchor: { start: anchor.start, end: anchor.end }, quote: anchor.quote },
        passage.proposed,
      );
    },
    [editor, layerId, proposeWith, proposing, draftText],
  );
  useEffect(() => {
    if (!editor || editor.isDestroyed) return;
    setProposeTyping(editor, proposeMode ? onEdit : null);
  }, [editor, proposeMode, onEdit]);
  useEffect(() => {
    const caret = caretAfterOpen.current;
    const field = composerBox.current?.querySelector('textarea');
    if (!picked || caret === null || !field) return;
    caretAfterOpen.current = null;
    field.focus();
    field.setSelectionRange(caret, caret);
  }, [picked]);

  return (
    <div className={`ed-narrative${proposeMode ? ' ed-proposing' : ''}`}>
      {formatting && editor && <Toolbar editor={editor} label={label} />}
      {editor && review && layerId && (
        <ReviewToolbar
          editor={editor}
          label={label}
          layerId={layerId}
          readOnly={!formatting}
          proposeOnly={proposeOnly}
        />
      )}
      <EditorContent editor={editor} />
      {picked && amendments && (
        <div ref={composerBox}>
          <PassageComposer onDone={amendments.refresh} />
        </div>
      )}
      {editor && layerId && (
        <BracketList editor={editor} layerId={layerId} fragment={fragment} readOnly={readOnly} />
      )}
    </div>
  );
}

function Toolbar({ editor, label }: { editor: Editor; label: string }) {
  const state = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      h2: e.isActive('heading', { level: 2 }),
      h3: e.isActive('heading', { level: 3 }),
      bullet: e.isActive('bulletList'),
      ordered: e.isActive('orderedList'),
      bold: e.isActive('bold'),
      italic: e.isActive('italic'),
      link: e.isActive('link'),
      table: e.isActive('table'),
    }),
  });
  const chain = () => editor.chain().focus();
  const toggleLink = () => {
    if (state.link) {
      chain().extendMarkRange('link').unsetLink().run();
      return;
    }
    const typed = window.prompt('Link address (URL)')?.trim();
    if (!typed) return;
    // "example.org" means a web address; any other scheme is refused by the link rule.
    const href = /^[a-z][a-z0-9+.-]*:/i.test(typed) ? typed : `https://${typed}`;
    if (safeHref(href)) chain().extendMarkRange('link').setLink({ href }).run();
    else window.alert('Only web (http, https) and mail (mailto) links are allowed.');
  };
  const buttons: Array<{
    key: string;
    label: string;
    text: string;
    pressed?: boolean;
    run: () => void;
  }> = [
    {
      key: 'h2',
      // The accessible name contains the visible label (WCAG 2.5.3, label in name).
      label: 'H2 heading',
      text: 'H2',
      pressed: state.h2,
      run: () => chain().toggleHeading({ level: 2 }).run(),
    },
    {
      key: 'h3',
      label: 'H3 subheading',
      text: 'H3',
      pressed: state.h3,
      run: () => chain().toggleHeading({ level: 3 }).run(),
    },
    {
      key: 'bold',
      label: 'Bold',
      text: 'B',
      pressed: state.bold,
      run: () => chain().toggleBold().run(),
    },
    {
      key: 'italic',
      label: 'Italic',
      text: 'I',
      pressed: state.italic,
      run: () => chain().toggleItalic().run(),
    },
    {
      key: 'bullet',
      label: 'Bulleted list',
      text: '•',
      pressed: state.bullet,
      run: () => chain().toggleBulletList().run(),
    },
    {
      key: 'ordered',
      label: '1. Numbered list',
      text: '1.',
      pressed: state.ordered,
      run: () => chain().toggleOrderedList().run(),
    },
    { key: 'link', label: 'Link', text: 'Link', pressed: state.link, run: toggleLink },
    {
      key: 'table',
      label: state.table ? 'Add table row' : 'Insert table',
      text: state.table ? '+ Row' : 'Table',
      run: () =>
        state.table
          ? chain().addRowAfter().run()
          : chain().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run(),
    },
  ];
  return (
    <div role="toolbar" aria-label={`Formatting: ${label}`} className="ed-toolbar">
      {buttons.map((b) => (
        <button
          key={b.key}
          type="button"
          className={`ed-tool ed-tool-${b.key}`}
          aria-label={b.label}
          aria-pressed={b.pressed}
          title={b.label}
          onMouseDown={(event) => event.preventDefault()}
          onClick={b.run}
        >
          {b.text}
        </button>
      ))}
    </div>
  );
}
