import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { buildExportModel } from '../export/model';
import { filledFramework } from '../export/fixtures';
import { canonicalJson, canonicalSerialise, contentHash, fromCanonical } from './canonical';
import {
  addLayer,
  addNote,
  addParty,
  createFrameworkDoc,
  moveLayer,
  readFramework,
  setFrameworkTitle,
  setLayerField,
  setLayerTitle,
  setNarrative,
  setPosition,
  type FrameworkView,
} from './index';

/** The same object with its keys in reverse insertion order, all the way down. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([k, v]) => [k, reverseKeys(v)]),
  );
}

/** Every string in NFD (decomposed). */
function decompose<T>(value: T): T {
  if (typeof value === 'string') return value.normalize('NFD') as T;
  if (Array.isArray(value)) return value.map(decompose) as T;
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k.normalize('NFD'), decompose(v)]),
  ) as T;
}

/** Two layers and a Polish party, built in the order given. */
function build(order: 'forward' | 'backward'): Y.Doc {
  const doc = createFrameworkDoc('blank');
  setFrameworkTitle(doc, 'Gwarancje bezpieczeństwa');
  addParty(doc, 'Polska');
  addParty(doc, 'Türkiye');
  const ids =
    order === 'forward'
      ? [addLayer(doc, 'air'), addLayer(doc, 'maritime')]
      : (() => {
          const second = addLayer(doc, 'maritime');
          const first = addLayer(doc, 'air');
          moveLayer(doc, first, { before: second });
          return [first, second];
        })();
  const [air, sea] = ids as [string, string];
  setLayerTitle(doc, air, 'Żelazna kopuła');
  setLayerTitle(doc, sea, 'Black Sea de-mining');
  setNarrative(doc, air, [
    { type: 'paragraph', content: [{ type: 'text', text: 'Patrols from Rzeszów.', marks: [] }] },
  ]);
  addNote(doc, sea, 'risks', 'Mines drift in winter storms.');
  setPosition(doc, sea, 'türkiye', { stance: 'support', note: 'Montreux applies.' });
  return doc;
}

describe('canonical serialisation', () => {
  it('encodes keys sorted, strings in NFC, no whitespace', () => {
    expect(canonicalJson({ b: 1, a: ['x', null, true], é: 'e\u0301' })).toBe(
      '{"a":["x",null,true],"b":1,"é":"é"}',
    );
    expect(canonicalJson({ 'e\u0301': 1 })).toBe(canonicalJson({ é: 1 }));
  });

  it('gives the same hash whatever the key order', () => {
    const view = readFramework(filledFramework());
    const shuffled = reverseKeys(view) as FrameworkView;
    expect(JSON.stringify(shuffled)).not.toBe(JSON.stringify(view));
    expect(contentHash(shuffled)).toBe(contentHash(view));
  });

  it('gives the same hash for NFC and NFD input', () => {
    const view = readFramework(build('forward'));
    const nfd = decompose(view);
    expect(JSON.stringify(nfd)).not.toBe(JSON.stringify(view));
    expect(contentHash(nfd)).toBe(contentHash(view));
  });

  it('gives the same hash for two documents built differently with the same content', () => {
    const a = readFramework(build('forward'));
    const b = readFramework(build('backward'));
    // Different ids and order keys, same text.
    expect(a.layers[0]!.id).not.toBe(b.layers[0]!.id);
    expect(contentHash(a)).toBe(contentHash(b));
    // And through a stored state, as another instance reads it after a restart.
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(build('forward')));
    expect(contentHash(readFramework(copy))).toBe(contentHash(a));
  });

  it('changes with any content change', () => {
    const base = contentHash(readFramework(build('forward')));
    const changed = (edit: (doc: Y.Doc, view: FrameworkView) => void) => {
      const doc = build('forward');
      edit(doc, readFramework(doc));
      return contentHash(readFramework(doc));
    };
    const hashes = [
      // One word of the narrative.
      changed((doc, v) =>
        setNarrative(doc, v.layers[0]!.id, [
          {
            type: 'paragraph',
            content: [{ type: 'text', text: 'Patrols from Kraków.', marks: [] }],
          },
        ]),
      ),
      changed((doc) => addParty(doc, 'Eesti')),
      changed((doc, v) => setLayerField(doc, v.layers[1]!.id, 'status', 'agreed')),
      changed((doc, v) => setLayerTitle(doc, v.layers[1]!.id, 'Black Sea demining')),
      changed((doc, v) =>
        setPosition(doc, v.layers[1]!.id, 'türkiye', {
          stance: 'reserve',
          note: 'Montreux applies.',
        }),
      ),
      changed((doc, v) => moveLayer(doc, v.layers[1]!.id, { before: v.layers[0]!.id })),
    ];
    for (const h of hashes) expect(h).not.toBe(base);
    expect(new Set(hashes).size).toBe(hashes.length);
  });

  it('rebuilds a view whose export prints what the original prints', () => {
    const view = readFramework(filledFramework());
    const options = { agreedOnly: false, versionName: 'v1', date: new Date(0), comments: null };
    const rebuilt = fromCanonical(JSON.parse(canonicalSerialise(view)));
    expect(contentHash(rebuilt)).toBe(contentHash(view));
    const strip = (m: ReturnType<typeof buildExportModel>) => ({
      ...m,
      layers: m.layers.map(({ id: _id, ...l }) => l),
    });
    expect(strip(buildExportModel(rebuilt, options))).toEqual(
      strip(buildExportModel(view, options)),
    );
  });
});
