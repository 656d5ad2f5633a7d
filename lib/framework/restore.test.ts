import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { compareFrameworks } from './compare';
import {
  addLayer,
  getNarrativeFragment,
  moveLayer,
  readFramework,
  removeLayer,
  setLayerField,
  setNarrative,
  setPosition,
  updateCommitment,
} from './doc';
import { restoreFramework } from './restore';
import { createFrameworkDoc } from './templates';

function copyOf(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

function exchange(a: Y.Doc, b: Y.Doc) {
  const toB = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b));
  const toA = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a));
  Y.applyUpdate(b, toB);
  Y.applyUpdate(a, toA);
}

/** Types at the start of a layer's first paragraph, as an editor would. */
function typeInto(doc: Y.Doc, layerId: string, text: string) {
  const paragraph = getNarrativeFragment(doc, layerId)!.get(0) as Y.XmlElement;
  (paragraph.get(0) as Y.XmlText).insert(0, text);
}

describe('restoreFramework', () => {
  it('brings back the version: layers removed, added and moved, fields and narrative', () => {
    const doc = createFrameworkDoc('five-layer');
    const version = readFramework(doc);
    const [l1, l2, , l4, , , l7] = version.layers;
    removeLayer(doc, l4!.id);
    addLayer(doc, 'economic', { title: 'Snap-back sanctions' });
    moveLayer(doc, l7!.id, { before: l1!.id });
    updateCommitment(doc, l2!.id, l2!.commitments[0]!.id, { quantity: 1 });
    setPosition(doc, l2!.id, 'ukraine', { stance: 'oppose', note: 'No' });
    setNarrative(doc, l1!.id, [
      { type: 'paragraph', content: [{ type: 'text', text: 'Rewritten.', marks: [] }] },
    ]);
    expect(compareFrameworks(version, readFramework(doc)).same).toBe(false);

    expect(restoreFramework(doc, version)).toEqual({ skippedLocked: [] });
    const after = compareFrameworks(version, readFramework(doc));
    expect(after).toMatchObject({ added: [], removed: [], moved: [], changed: [] });
    expect(after.same).toBe(true);
  });

  it("keeps a concurrent editor's new text and converges on both replicas", () => {
    const server = createFrameworkDoc('five-layer');
    const client = copyOf(server);
    const version = readFramework(server);
    const [l1, , l3] = version.layers;
    setNarrative(server, l1!.id, [
      { type: 'paragraph', content: [{ type: 'text', text: 'To be undone.', marks: [] }] },
    ]);
    exchange(server, client);

    // At the same moment: the client types in layer 3, the server restores the version.
    typeInto(client, l3!.id, 'Concurrent words. ');
    restoreFramework(server, version);
    exchange(server, client);

    expect(Y.encodeStateVector(server)).toEqual(Y.encodeStateVector(client));
    const a = readFramework(server);
    expect(a).toEqual(readFramework(client));
    expect(a.layers[0]!.narrative.blocks).toEqual(l1!.narrative.blocks);
    expect(a.layers[2]!.narrative.text).toContain('Concurrent words. ');
    expect(a.layers[2]!.narrative.text).toBe(`Concurrent words. ${l3!.narrative.text}`);
  });

  it('leaves agreed layers as they are and reports them', () => {
    const doc = createFrameworkDoc('five-layer');
    const version = readFramework(doc);
    const l1 = version.layers[0]!;
    setNarrative(doc, l1.id, [
      { type: 'paragraph', content: [{ type: 'text', text: 'Agreed wording.', marks: [] }] },
    ]);
    setLayerField(doc, l1.id, 'status', 'agreed');
    expect(restoreFramework(doc, version)).toEqual({ skippedLocked: [l1.id] });
    expect(readFramework(doc).layers[0]!.narrative.text).toBe('Agreed wording.');
  });
});
