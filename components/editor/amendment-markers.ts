import { Extension } from '@tiptap/core';
import { Plugin, PluginKey, type EditorState } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import { resolveAnchor } from './review-extensions';

/** A tabled amendment to a passage, as the narrative marks it. */
export type AmendmentMarker = {
  id: string;
  number: number;
  /** "Amendment 3 (France, Poland)". */
  title: string;
  colour: string;
  start: string;
  end: string;
  focused: boolean;
};

type Storage = { markers: AmendmentMarker[]; onOpen: (id: string) => void };

const markersKey = new PluginKey<DecorationSet>('amendmentMarkers');

/** The numbered button after a marked passage: a real button, so Tab and Enter reach it. */
function markerButton(marker: AmendmentMarker, storage: Storage): HTMLElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'ed-amend-marker';
  button.contentEditable = 'false';
  button.style.setProperty('--am-colour', marker.colour);
  button.textContent = String(marker.number);
  button.setAttribute('aria-label', `${marker.title}: open in the amendments panel`);
  button.title = marker.title;
  button.dataset.amendment = marker.id;
  // mousedown would move the editor's selection into the widget.
  button.addEventListener('mousedown', (event) => event.preventDefault());
  button.addEventListener('click', () => storage.onOpen(marker.id));
  return button;
}

/**
 * Marks the passages of tabled amendments in a narrative: the passage underlined in its
 * delegation's colour and the amendment's number after it, which opens the amendment in the
 * panel. Positions come from the stored Yjs relative positions on every remote change, so a
 * marker follows its text through anyone's edits (as comment highlights do).
 */
export const AmendmentMarkers = Extension.create<object, Storage>({
  name: 'amendmentMarkers',
  addStorage() {
    return { markers: [], onOpen: () => undefined };
  },
  addProseMirrorPlugins() {
    const storage = this.storage;
    const build = (state: EditorState) => {
      const decorations: Decoration[] = [];
      for (const marker of storage.markers) {
        const range = resolveAnchor(state, marker);
        if (!range) continue;
        decorations.push(
          Decoration.inline(range.from, range.to, {
            class: `ed-amend-anchor${marker.focused ? ' ed-amend-anchor-focused' : ''}`,
            style: `--am-colour: ${marker.colour}`,
            'data-amendment-anchor': marker.id,
          }),
          Decoration.widget(range.to, () => markerButton(marker, storage), {
            side: 1,
            key: `${marker.id}:${marker.number}:${marker.colour}:${marker.title}`,
            ignoreSelection: true,
            stopEvent: () => true,
          }),
        );
      }
      return DecorationSet.create(state.doc, decorations);
    };
    return [
      new Plugin<DecorationSet>({
        key: markersKey,
        state: {
          init: (_config, state) => build(state),
          apply: (tr, old, _oldState, newState) => {
            const fromYjs = (tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined)
              ?.isChangeOrigin;
            if (fromYjs || tr.getMeta(markersKey)) return build(newState);
            return tr.docChanged ? old.map(tr.mapping, tr.doc) : old;
          },
        },
        props: { decorations: (state) => markersKey.getState(state) },
      }),
    ];
  },
});

/** Gives an editor's marker plugin new markers (and what a click opens) and redraws them. */
export function setAmendmentMarkers(
  editor: {
    storage: unknown;
    state: EditorState;
    view: { dispatch: (tr: EditorState['tr']) => void };
  },
  markers: AmendmentMarker[],
  onOpen: (id: string) => void,
): void {
  const storage = (editor.storage as { amendmentMarkers: Storage }).amendmentMarkers;
  storage.markers = markers;
  storage.onOpen = onOpen;
  editor.view.dispatch(editor.state.tr.setMeta(markersKey, true));
}
