import { Extension } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import type { EditorView } from '@tiptap/pm/view';
import { ySyncPluginKey } from '@tiptap/y-tiptap';

/** An edit the author made in the text: replace `from`..`to` by `text`. */
export type TypedEdit = { from: number; to: number; text: string };

type Storage = {
  /** Set in "Propose changes": every edit goes here instead of into the common text. */
  onEdit: ((edit: TypedEdit) => void) | null;
};

const typingKey = new PluginKey('proposeTyping');

/** The range Backspace or Delete would remove at the selection, within its paragraph. */
function deletion(view: EditorView, key: 'Backspace' | 'Delete'): TypedEdit | null {
  const { from, to, empty, $from } = view.state.selection;
  if (!empty) return { from, to, text: '' };
  if (key === 'Backspace') {
    return $from.parentOffset > 0 ? { from: from - 1, to: from, text: '' } : null;
  }
  return $from.parentOffset < $from.parent.content.size ? { from, to: from + 1, text: '' } : null;
}

/**
 * "Propose changes" by typing: with `onEdit` set, what the author types, deletes or pastes in
 * the narrative is handed to it (it drafts an amendment) and the common text is left as it is:
 * every local change to the document is filtered out, and only the sync of others' edits
 * (y-prosemirror's transactions) goes through. Without `onEdit` the editor is as ever.
 */
export const ProposeTyping = Extension.create<object, Storage>({
  name: 'proposeTyping',
  addStorage() {
    return { onEdit: null };
  },
  addProseMirrorPlugins() {
    const storage = this.storage;
    return [
      new Plugin({
        key: typingKey,
        filterTransaction: (tr) =>
          !storage.onEdit || !tr.docChanged || tr.getMeta(ySyncPluginKey) !== undefined,
        props: {
          handleTextInput: (_view, from, to, text) => {
            if (!storage.onEdit) return false;
            storage.onEdit({ from, to, text });
            return true;
          },
          handleKeyDown: (view, event) => {
            if (!storage.onEdit) return false;
            if (event.ctrlKey || event.metaKey) {
              // Undo and redo act on the shared document directly, past any filter: not here.
              return ['z', 'y'].includes(event.key.toLowerCase());
            }
            if (event.altKey) return false;
            if (event.key === 'Backspace' || event.key === 'Delete') {
              const edit = deletion(view, event.key);
              if (edit) storage.onEdit(edit);
              return true;
            }
            // A new paragraph is no part of a passage: nothing happens.
            return event.key === 'Enter';
          },
          handlePaste: (view, event) => {
            if (!storage.onEdit) return false;
            const text = event.clipboardData?.getData('text/plain') ?? '';
            const { from, to } = view.state.selection;
            if (text) storage.onEdit({ from, to, text: text.replace(/\s*\n\s*/g, ' ') });
            return true;
          },
          handleDrop: () => Boolean(storage.onEdit),
        },
      }),
    ];
  },
});

/** Hands the editor's typing to `onEdit` ("Propose changes"), or back to the text (null). */
export function setProposeTyping(
  editor: { storage: unknown },
  onEdit: ((edit: TypedEdit) => void) | null,
): void {
  (editor.storage as { proposeTyping: Storage }).proposeTyping.onEdit = onEdit;
}
