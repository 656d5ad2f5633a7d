import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import { addLayer, addNote, createFrameworkDoc, readFramework, type Layer } from '@/lib/framework';
import { EditorProvider, type EditorContextValue } from './EditorContext';
import { OpenQuestions, Risks } from './LayerSections';

/** The first server-rendered form of a notes section, bound to a real document. */
function render(section: typeof Risks, doc: Y.Doc, layer: Layer, readOnly: boolean): string {
  const value: EditorContextValue = {
    doc,
    // Sections never touch the provider; rendering needs no connection.
    provider: null as unknown as WebsocketProvider,
    origin: {},
    readOnly,
    parties: [],
    layers: [],
  };
  return renderToStaticMarkup(
    createElement(EditorProvider, { value }, createElement(section, { layer })),
  );
}

/** A document with one new layer, and that layer's id. */
function oneLayer() {
  const doc = createFrameworkDoc('blank');
  const id = addLayer(doc, 'monitoring', { title: 'Ceasefire monitoring' });
  return { doc, id };
}

const layerOf = (doc: Y.Doc, id: string) => readFramework(doc).layers.find((l) => l.id === id)!;

/** A layer with two risks and an open question. */
function layerWithNotes() {
  const { doc, id } = oneLayer();
  addNote(doc, id, 'risks', 'Host nation consent is withdrawn');
  addNote(doc, id, 'risks', 'Escalation at sea');
  addNote(doc, id, 'openQuestions', 'Who pays for the airlift?');
  return { doc, layer: layerOf(doc, id) };
}

describe('Risks section', () => {
  it('shows each risk as a labelled text field under a "Risks" heading, with add and remove', () => {
    const { doc, layer } = layerWithNotes();
    const html = render(Risks, doc, layer, false);
    expect(html).toContain(`<h4 id="risks-${layer.id}">Risks</h4>`);
    expect(html).toContain(`aria-labelledby="risks-${layer.id}"`);
    expect(html).toContain(`data-field-path="layer:${layer.id}/risks"`);
    expect(html).toMatch(
      /<textarea[^>]*aria-label="Risk 1"[^>]*>Host nation consent is withdrawn</,
    );
    expect(html).toMatch(/<textarea[^>]*aria-label="Risk 2"[^>]*>Escalation at sea</);
    expect(html).toContain('aria-label="Remove risk 2"');
    expect(html).toContain('>Add risk</button>');
    // Risks only: the open question stays in its own section.
    expect(html).not.toContain('Who pays for the airlift?');
  });

  it('is read-only for a reader: fields disabled, no add or remove', () => {
    const { doc, layer } = layerWithNotes();
    const html = render(Risks, doc, layer, true);
    expect(html).toMatch(/<textarea[^>]*aria-label="Risk 1"[^>]*disabled=""/);
    expect(html).not.toContain('Add risk');
    expect(html).not.toContain('Remove risk');
  });

  it('says so when a layer has no risks yet', () => {
    const { doc, id } = oneLayer();
    const layer = layerOf(doc, id);
    expect(layer.risks).toEqual([]);
    expect(render(Risks, doc, layer, false)).toContain('No risks noted');
  });
});

describe('Open questions section', () => {
  it('keeps its heading and labels, from the same notes section', () => {
    const { doc, layer } = layerWithNotes();
    const html = render(OpenQuestions, doc, layer, false);
    expect(html).toContain(`<h4 id="questions-${layer.id}">Open questions</h4>`);
    expect(html).toMatch(
      /<textarea[^>]*aria-label="Open question 1"[^>]*>Who pays for the airlift\?</,
    );
    expect(html).toContain('>Add open question</button>');
    expect(html).not.toContain('Escalation at sea');
  });
});
