import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addLayer, getNarrativeFragment, setNarrative } from './doc';
import { MAX_QUOTE_LENGTH, passageText } from './passage';
import { anchorOfQuote } from './quote-anchor';
import { initialiseFromTemplate } from './templates';
import type { NarrativeBlock } from './types';

const paragraph = (text: string): NarrativeBlock => ({
  type: 'paragraph',
  content: [{ type: 'text', text, marks: [] }],
});

const encode = (position: Y.RelativePosition) =>
  btoa(String.fromCharCode(...Y.encodeRelativePosition(position)));

function framework(...texts: string[]) {
  const doc = new Y.Doc();
  initialiseFromTemplate(doc, 'blank');
  const layerId = addLayer(doc, 'air', { title: 'Air' });
  setNarrative(doc, layerId, texts.map(paragraph));
  return { doc, layerId };
}

describe('passageText', () => {
  it('reads the text between positions inside text and at element boundaries', () => {
    const { doc, layerId } = framework('First paragraph.', 'Second one.');
    expect(passageText(doc, layerId, anchorOfQuote(doc, layerId, 'paragraph')!)).toBe('paragraph');
    // y-prosemirror anchors a selection of whole blocks between the fragment's children.
    const fragment = getNarrativeFragment(doc, layerId)!;
    const whole = {
      start: encode(Y.createRelativePositionFromTypeIndex(fragment, 0)),
      end: encode(Y.createRelativePositionFromTypeIndex(fragment, 2)),
    };
    expect(passageText(doc, layerId, whole)).toBe('First paragraph. Second one.');
  });

  it('follows the text through edits and gives null once the passage is deleted', () => {
    const { doc, layerId } = framework('Respond within 24 hours.');
    const anchor = anchorOfQuote(doc, layerId, 'within 24 hours')!;
    const text = getNarrativeFragment(doc, layerId)!.get(0) as Y.XmlElement;
    (text.get(0) as Y.XmlText).insert(0, 'Guarantors ');
    expect(passageText(doc, layerId, anchor)).toBe('within 24 hours');
    (text.get(0) as Y.XmlText).delete(0, 'Guarantors Respond within 24 hours.'.length);
    expect(passageText(doc, layerId, anchor)).toBeNull();
  });

  it('refuses garbage, foreign and root positions without touching the document', () => {
    const { doc, layerId } = framework('Text.');
    const before = Y.encodeStateAsUpdate(doc);
    const root = encode(Y.createRelativePositionFromTypeIndex(doc.getText('forged'), 0));
    const other = new Y.Doc();
    const foreign = encode(Y.createRelativePositionFromTypeIndex(other.getText('x'), 0));
    for (const anchor of [
      { start: 'not base64!', end: 'AA==' },
      { start: 'AAE=', end: 'AAI=' },
      { start: foreign, end: foreign },
    ]) {
      expect(passageText(doc, layerId, anchor)).toBeNull();
    }
    const fresh = new Y.Doc();
    initialiseFromTemplate(fresh, 'blank');
    expect(passageText(fresh, layerId, { start: root, end: root })).toBeNull();
    expect(fresh.share.has('forged')).toBe(false);
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
  });

  it('bounds the quote', () => {
    const long = 'word '.repeat(1000);
    const { doc, layerId } = framework(long);
    const quote = passageText(doc, layerId, anchorOfQuote(doc, layerId, long)!)!;
    expect(quote.length).toBeLessThanOrEqual(MAX_QUOTE_LENGTH);
    expect(quote.endsWith('…')).toBe(true);
  });
});
