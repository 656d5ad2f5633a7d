import { Extension, Mark, mergeAttributes } from '@tiptap/core';
import { Plugin, PluginKey, type EditorState } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import {
  absolutePositionToRelativePosition,
  relativePositionToAbsolutePosition,
  ySyncPluginKey,
} from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { BRACKET_MARK } from '@/lib/framework';

/**
 * Bracketed (unagreed) language: a mark with the proposing party and alternative wordings. Stored
 * by y-prosemirror as the text attribute `bracket: { id, party, alternatives }`, which
 * lib/framework's readBrackets reads (counts, the server's agreement check, export).
 */
export const BracketMark = Mark.create({
  name: BRACKET_MARK,
  // Typing at the edge of a bracket does not extend it: new text is not automatically unagreed.
  inclusive: false,
  addAttributes() {
    return {
      id: { default: '' },
      party: { default: '' },
      alternatives: { default: [] },
    };
  },
  parseHTML() {
    return [{ tag: 'span[data-bracket]' }];
  },
  renderHTML({ HTMLAttributes, mark }) {
    const attrs = mark.attrs as { id: string; party: string };
    return [
      'span',
      mergeAttributes(
        { 'data-bracket': attrs.id, 'data-party': attrs.party, class: 'ed-bracket' },
        // id/party/alternatives are already rendered above; keep other attributes only.
        Object.fromEntries(
          Object.entries(HTMLAttributes).filter(
            ([k]) => !['id', 'party', 'alternatives'].includes(k),
          ),
        ),
      ),
      0,
    ];
  },
});

/** The Y.XmlFragment and position mapping of a collaborative editor, or null before sync. */
function bindingOf(
  state: EditorState,
): { fragment: Y.XmlFragment; mapping: Map<unknown, unknown> } | null {
  // y-tiptap types its plugin state loosely; it holds { type, binding: { mapping } }.
  const sync = ySyncPluginKey.getState(state) as
    { type?: Y.XmlFragment; binding?: { mapping: Map<unknown, unknown> } | null } | undefined;
  if (!sync?.type || !sync.binding) return null;
  return { fragment: sync.type, mapping: sync.binding.mapping };
}

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

/** The selection as Yjs relative positions (they follow the text through concurrent edits). */
export function anchorOfSelection(
  state: EditorState,
): { start: string; end: string; quote: string } | null {
  const { from, to, empty } = state.selection;
  return empty ? null : anchorOfRange(state, from, to);
}

/** Positions `from`..`to` of the document as Yjs relative positions, with the text between. */
export function anchorOfRange(
  state: EditorState,
  from: number,
  to: number,
): { start: string; end: string; quote: string } | null {
  const binding = bindingOf(state);
  if (from >= to || !binding) return null;
  // The mapping type of y-tiptap is ProsemirrorMapping; ours is the same map, typed loosely.
  const mapping = binding.mapping as Parameters<typeof absolutePositionToRelativePosition>[2];
  const start = absolutePositionToRelativePosition(
    from,
    binding.fragment,
    mapping,
  ) as Y.RelativePosition;
  const end = absolutePositionToRelativePosition(
    to,
    binding.fragment,
    mapping,
  ) as Y.RelativePosition;
  return {
    start: toBase64(Y.encodeRelativePosition(start)),
    end: toBase64(Y.encodeRelativePosition(end)),
    quote: state.doc.textBetween(from, to, ' ').slice(0, 500),
  };
}

export type HighlightAnchor = { id: string; start: string; end: string; focused: boolean };

/** Where an anchor is now, or null when its passage was deleted. */
export function resolveAnchor(
  state: EditorState,
  anchor: { start: string; end: string },
): { from: number; to: number } | null {
  const binding = bindingOf(state);
  const doc = binding?.fragment.doc;
  if (!binding || !doc) return null;
  const mapping = binding.mapping as Parameters<typeof relativePositionToAbsolutePosition>[3];
  try {
    const from = relativePositionToAbsolutePosition(
      doc,
      binding.fragment,
      Y.decodeRelativePosition(fromBase64(anchor.start)),
      mapping,
    );
    const to = relativePositionToAbsolutePosition(
      doc,
      binding.fragment,
      Y.decodeRelativePosition(fromBase64(anchor.end)),
      mapping,
    );
    if (from === null || to === null || to <= from) return null;
    return { from, to };
  } catch {
    // A malformed stored anchor shows the thread on its layer without a highlight.
    return null;
  }
}

const highlightKey = new PluginKey<DecorationSet>('commentHighlights');

/**
 * Highlights the passages of comment threads. Anchors arrive through `setAnchors` (a transaction
 * meta); positions are recomputed from the relative positions on every change, so a highlight
 * follows its text through anyone's edits.
 */
export const CommentHighlights = Extension.create<object, { anchors: HighlightAnchor[] }>({
  name: 'commentHighlights',
  addStorage() {
    return { anchors: [] };
  },
  addProseMirrorPlugins() {
    const storage = this.storage;
    const build = (state: EditorState) => {
      const decorations: Decoration[] = [];
      for (const anchor of storage.anchors) {
        const range = resolveAnchor(state, anchor);
        if (!range) continue;
        decorations.push(
          Decoration.inline(range.from, range.to, {
            class: `ed-comment-anchor${anchor.focused ? ' ed-comment-anchor-focused' : ''}`,
            'data-thread': anchor.id,
          }),
        );
      }
      return DecorationSet.create(state.doc, decorations);
    };
    return [
      new Plugin<DecorationSet>({
        key: highlightKey,
        state: {
          init: (_config, state) => build(state),
          apply: (tr, old, _oldState, newState) => {
            // Remote changes arrive from y-tiptap with the mapping already updated: recompute.
            // Local edits reach Yjs only after this, so map the old highlights through them.
            const fromYjs = (tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined)
              ?.isChangeOrigin;
            if (fromYjs || tr.getMeta(highlightKey)) return build(newState);
            return tr.docChanged ? old.map(tr.mapping, tr.doc) : old;
          },
        },
        props: {
          decorations: (state) => highlightKey.getState(state),
        },
      }),
    ];
  },
});

/** Marks the highlight plugin's anchors as changed (call after updating its storage). */
export const refreshHighlightsMeta = highlightKey;

/** Gives an editor's highlight plugin new anchors and redraws them. */
export function setHighlightAnchors(
  editor: {
    storage: unknown;
    state: EditorState;
    view: { dispatch: (tr: EditorState['tr']) => void };
  },
  anchors: HighlightAnchor[],
): void {
  (
    editor.storage as { commentHighlights: { anchors: HighlightAnchor[] } }
  ).commentHighlights.anchors = anchors;
  editor.view.dispatch(editor.state.tr.setMeta(highlightKey, true));
}
