/**
 * Documents for export tests and the benchmark: the five-layer template with one layer agreed,
 * an open bracket in another, and a document where everything is agreed.
 */
import * as Y from 'yjs';
import {
  addCommitment,
  addParty,
  createFrameworkDoc,
  readFramework,
  setFrameworkTitle,
  setLayerField,
  setLayerTitle,
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

/** Names and text in the languages of the capitals the drafts go to (plus Greek). */
export const UNICODE_WORDS = [
  'Україна',
  'Łódź',
  'Erdoğan',
  'Nausėda',
  'Šárka',
  'ґ є і ї',
  'Ελλάδα',
  'București',
] as const;

/** A framework titled in Ukrainian whose parties, narrative (bold, italic) and tables use every
 * word of UNICODE_WORDS. */
export function unicodeFramework(): Y.Doc {
  const doc = createFrameworkDoc('five-layer');
  setFrameworkTitle(doc, 'Рамкова угода про гарантії безпеки');
  const ukraine = addParty(doc, 'Україна');
  addParty(doc, 'Polska (Łódź)');
  addParty(doc, 'Türkiye (Erdoğan)');
  addParty(doc, 'Lietuva (Nausėda)');
  addParty(doc, 'Ελλάδα');
  const [first] = readFramework(doc).layers;
  setLayerTitle(doc, first!.id, 'Рівень перший: ґ є і ї');
  setNarrative(doc, first!.id, [
    {
      type: 'paragraph',
      content: [
        { type: 'text', text: 'Šárka ', marks: [] },
        { type: 'text', text: 'București', marks: [{ type: 'bold' }] },
        { type: 'text', text: ' Ελλάδα', marks: [{ type: 'italic' }] },
        { type: 'text', text: ' ґ є і ї', marks: [{ type: 'bold' }, { type: 'italic' }] },
      ],
    },
  ]);
  addCommitment(doc, first!.id, { party: ukraine, conditions: 'Nausėda', period: 'Łódź' });
  return doc;
}

const para = (text: string): NarrativeBlock => ({
  type: 'paragraph',
  content: [{ type: 'text', text, marks: [] }],
});

/** Narrative lists: bullets holding a numbered list holding bullets, an item of two paragraphs,
 * then two numbered lists apart (each must start at 1). */
export const LIST_NARRATIVE: NarrativeBlock[] = [
  para('Before the lists'),
  {
    type: 'list',
    ordered: false,
    items: [
      [para('Alpha Łódź')],
      [
        para('Beta'),
        {
          type: 'list',
          ordered: true,
          items: [
            [para('One')],
            [para('Two'), { type: 'list', ordered: false, items: [[para('Deep Україна')]] }],
          ],
        },
      ],
      [para('Gamma')],
    ],
  },
  { type: 'list', ordered: true, items: [[para('First')], [para('Second')]] },
  para('Between'),
  { type: 'list', ordered: true, items: [[para('Again first')]] },
];
