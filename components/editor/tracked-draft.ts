import { Extension } from '@tiptap/core';
import { Plugin, PluginKey, type EditorState } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import { diffWords, plainRuns, sliceRuns, type ProposalRun } from '@/lib/framework';
import { resolveAnchor } from './review-extensions';

/** A passage being reworded in "Propose changes" mode: local to this browser, never in the Y.Doc. */
export type TrackedDraft = {
  start: string;
  end: string;
  /** The passage as picked. */
  base: string;
  proposed: string;
  /** The proposed wording with its formatting (its texts joined are `proposed`). */
  runs: ProposalRun[];
  colour: string;
};

type Storage = { draft: TrackedDraft | null };

const draftKey = new PluginKey<DecorationSet>('trackedDraft');

/** Inserted words as they would read, in their formatting (links shown, not followed). */
function insertion(runs: ProposalRun[], colour: string): HTMLElement {
  const ins = document.createElement('ins');
  ins.className = 'ed-track-ins';
  ins.style.setProperty('--am-colour', colour);
  for (const run of runs) {
    let node: Node = document.createTextNode(run.text);
    for (const mark of run.marks) {
      const wrap = document.createElement(
        mark.type === 'bold' ? 'strong' : mark.type === 'italic' ? 'em' : 'span',
      );
      if (mark.type === 'link') wrap.className = 'ed-track-link';
      wrap.appendChild(node);
      node = wrap;
    }
    ins.appendChild(node);
  }
  return ins;
}

/**
 * Shows the draft of an amendment in the text as tracked changes: deleted words struck through
 * and inserted words underlined, in the delegation's colour, as decorations over the common
 * text (which stays as it is until the chair accepts the amendment). The passage is one run of
 * text, so offsets in it are ProseMirror positions from its start.
 */
export const TrackedDraftExtension = Extension.create<object, Storage>({
  name: 'trackedDraft',
  addStorage() {
    return { draft: null };
  },
  addProseMirrorPlugins() {
    const storage = this.storage;
    const build = (state: EditorState) => {
      const draft = storage.draft;
      const range = draft && resolveAnchor(state, draft);
      if (!draft || !range) return DecorationSet.empty;
      // The passage may have changed under the draft: mark it whole rather than misplace words.
      const now = state.doc.textBetween(range.from, range.to);
      const ops =
        now === draft.base
          ? diffWords(draft.base, draft.proposed)
          : [
              { type: 'delete' as const, text: now, aStart: 0, bStart: 0 },
              { type: 'insert' as const, text: draft.proposed, aStart: now.length, bStart: 0 },
            ];
      const decorations: Decoration[] = [
        Decoration.inline(range.from, range.to, { class: 'ed-track-passage' }),
      ];
      ops.forEach((op, i) => {
        const at = range.from + op.aStart;
        if (op.type === 'delete' && op.text) {
          decorations.push(
            Decoration.inline(at, at + op.text.length, {
              class: 'ed-track-del',
              style: `--am-colour: ${draft.colour}`,
            }),
          );
        } else if (op.type === 'insert' && op.text) {
          const spaced = ops[i - 1]?.type === 'delete';
          const runs = [
            ...(spaced ? plainRuns(' ') : []),
            ...(now === draft.base
              ? sliceRuns(draft.runs, op.bStart, op.bStart + op.text.length)
              : draft.runs),
          ];
          decorations.push(
            Decoration.widget(at, () => insertion(runs, draft.colour), {
              side: 1,
              key: `ins:${i}:${JSON.stringify(runs)}`,
              ignoreSelection: true,
            }),
          );
        }
      });
      return DecorationSet.create(state.doc, decorations);
    };
    return [
      new Plugin<DecorationSet>({
        key: draftKey,
        state: {
          init: (_config, state) => build(state),
          apply: (tr, old, _oldState, newState) => {
            const fromYjs = (tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined)
              ?.isChangeOrigin;
            if (fromYjs || tr.getMeta(draftKey)) return build(newState);
            return tr.docChanged ? old.map(tr.mapping, tr.doc) : old;
          },
        },
        props: { decorations: (state) => draftKey.getState(state) },
      }),
    ];
  },
});

/** Shows (or clears, with null) the draft being proposed in an editor. */
export function setTrackedDraft(
  editor: {
    storage: unknown;
    state: EditorState;
    view: { dispatch: (tr: EditorState['tr']) => void };
  },
  draft: TrackedDraft | null,
): void {
  (editor.storage as { trackedDraft: Storage }).trackedDraft.draft = draft;
  editor.view.dispatch(editor.state.tr.setMeta(draftKey, true));
}
