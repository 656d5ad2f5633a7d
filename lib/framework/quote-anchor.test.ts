import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  anchorOfQuote,
  quoteOfAnchor,
  createFrameworkDoc,
  getNarrativeFragment,
  readFramework,
} from '.';

const fromBase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

/** The text an anchor covers now, read back through Yjs. */
function covered(doc: Y.Doc, anchor: { start: string; end: string }): string {
  const start = Y.createAbsolutePositionFromRelativePosition(
    Y.decodeRelativePosition(fromBase64(anchor.start)),
    doc,
  );
  const end = Y.createAbsolutePositionFromRelativePosition(
    Y.decodeRelativePosition(fromBase64(anchor.end)),
    doc,
  );
  if (!start || !end || start.type !== end.type || !(start.type instanceof Y.XmlText)) return '';
  return start.type.toString().slice(start.index, end.index);
}

describe('anchorOfQuote (read mode comments on a selected passage)', () => {
  it('anchors the passage with relative positions that follow an edit before it', () => {
    const doc = createFrameworkDoc('five-layer');
    const layerId = readFramework(doc).layers[0]!.id;
    const anchor = anchorOfQuote(doc, layerId, 'Publish a weekly public report');
    expect(anchor).not.toBeNull();
    expect(covered(doc, anchor!)).toBe('Publish a weekly public report');

    // Someone types at the start of that list item: the anchor still covers the passage.
    const fragment = getNarrativeFragment(doc, layerId)!;
    const texts: Y.XmlText[] = [];
    const walk = (el: Y.XmlFragment | Y.XmlElement) =>
      el.toArray().forEach((c) => {
        if (c instanceof Y.XmlText) texts.push(c);
        else if (c instanceof Y.XmlElement) walk(c);
      });
    walk(fragment);
    const item = texts.find((t) => t.toString().startsWith('Publish a weekly'))!;
    item.insert(0, 'Each mission: ');
    expect(covered(doc, anchor!)).toBe('Publish a weekly public report');
  });

  it('picks the n-th occurrence, and gives null for text the narrative does not hold', () => {
    const doc = createFrameworkDoc('five-layer');
    const layerId = readFramework(doc).layers[0]!.id;
    const second = anchorOfQuote(doc, layerId, 'line of contact', 1);
    const first = anchorOfQuote(doc, layerId, 'line of contact', 0);
    expect(second).not.toBeNull();
    expect(second).not.toEqual(first);
    expect(covered(doc, second!)).toBe('line of contact');
    expect(anchorOfQuote(doc, layerId, 'line of contact', 9)).toBeNull();
    expect(anchorOfQuote(doc, layerId, '(proposed by France)')).toBeNull();
  });
});

describe('quoteOfAnchor (read mode amendment markers)', () => {
  it('reads back the passage and its occurrence, following edits before it', () => {
    const doc = createFrameworkDoc('five-layer');
    const layerId = readFramework(doc).layers[0]!.id;
    const quote = 'Publish a weekly public report';
    const anchor = anchorOfQuote(doc, layerId, quote)!;
    expect(quoteOfAnchor(doc, layerId, anchor)).toEqual({ quote, occurrence: 0 });
    // "a" appears often: its second appearance anchors as occurrence 1 and reads back so.
    const second = anchorOfQuote(doc, layerId, 'a', 1)!;
    expect(quoteOfAnchor(doc, layerId, second)).toEqual({ quote: 'a', occurrence: 1 });
    expect(quoteOfAnchor(doc, 'no-such-layer', anchor)).toBeNull();
  });
});
