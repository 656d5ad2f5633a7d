/**
 * Documents for export tests and the benchmark: the five-layer template with one layer agreed,
 * an open bracket in another, and a document where everything is agreed.
 */
import * as Y from 'yjs';
import {
  createFrameworkDoc,
  readFramework,
  setLayerField,
  setNarrative,
  type NarrativeBlock,
} from '@/lib/framework';

export const BRACKET_TEXT = 'within 72 hours';

/** The five-layer template: first layer agreed, second with an open bracket (proposed by France). */
export function filledFramework(): Y.Doc {
  const doc = createFrameworkDoc('five-layer');
  const [first, second] = readFramework(doc).layers;
  setLayerField(doc, first!.id, 'status', 'agreed');
  const narrative: NarrativeBlock[] = [
    ...second!.narrative.blocks,
    {
      type: 'paragraph',
      content: [
        { type: 'text', text: 'The force deploys ', marks: [] },
        {
          type: 'text',
          text: BRACKET_TEXT,
          marks: [
            {
              type: 'bracket',
              id: 'b1',
              party: 'france',
              alternatives: [{ text: 'within 7 days', party: 'poland' }],
              chair: false,
            },
          ],
        },
        { type: 'text', text: ' of a confirmed violation.', marks: [] },
      ],
    },
  ];
  setNarrative(doc, second!.id, narrative);
  return doc;
}

/** The five-layer template with every layer agreed and no brackets. */
export function agreedFramework(): Y.Doc {
  const doc = createFrameworkDoc('five-layer');
  for (const layer of readFramework(doc).layers) setLayerField(doc, layer.id, 'status', 'agreed');
  return doc;
}
