import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addLayer,
  addParty,
  agreementBlockers,
  checkTransition,
  consensusOf,
  createFrameworkDoc,
  frameworkConsensus,
  getNarrativeFragment,
  layerChangesOf,
  openBracketCounts,
  readBrackets,
  readLayerReviewState,
  removeLayer,
  revertReviewWrite,
  runReviewCommand,
  setLayerTitle,
  setNarrative,
  setPosition,
  silenceExpired,
  silenceRunning,
  writeLayerStatus,
} from './index';

const editor = { canEdit: true, canAgree: false };
const owner = { canEdit: true, canAgree: true };

function docWithLayer() {
  const doc = createFrameworkDoc('blank');
  addParty(doc, 'France');
  addParty(doc, 'Poland');
  const id = addLayer(doc, 'air', { title: 'Air' });
  setNarrative(doc, id, [
    { type: 'paragraph', content: [{ type: 'text', text: 'Agreed text ', marks: [] }] },
  ]);
  return { doc, id };
}

/** Appends bracketed text the way y-prosemirror stores a mark: a text attribute. */
function addBracket(doc: Y.Doc, layerId: string, text: string, attrs: Record<string, unknown>) {
  const fragment = getNarrativeFragment(doc, layerId)!;
  const paragraph = fragment.get(0) as Y.XmlElement;
  const xmlText = paragraph.get(0) as Y.XmlText;
  xmlText.insert(xmlText.length, text, { bracket: attrs });
}

describe('status transitions', () => {
  it('lets editors move up to in review and no further', () => {
    expect(checkTransition('draft', 'proposed', editor).ok).toBe(true);
    expect(checkTransition('proposed', 'in_review', editor).ok).toBe(true);
    expect(checkTransition('in_review', 'agreed', editor)).toMatchObject({ code: 'forbidden' });
    expect(checkTransition('in_review', 'agreed_ad_ref', editor)).toMatchObject({
      code: 'forbidden',
    });
    expect(checkTransition('agreed', 'in_review', editor)).toMatchObject({ code: 'forbidden' });
  });

  it('lets owners agree (ad ref, then final) and reopen', () => {
    expect(checkTransition('in_review', 'agreed_ad_ref', owner).ok).toBe(true);
    expect(checkTransition('agreed_ad_ref', 'agreed', owner).ok).toBe(true);
    expect(checkTransition('agreed', 'in_review', owner).ok).toBe(true);
  });

  it('refuses moves not in the table and no-op moves', () => {
    expect(checkTransition('agreed', 'draft', owner)).toMatchObject({ code: 'not_allowed' });
    expect(checkTransition('draft', 'draft', owner)).toMatchObject({ code: 'not_allowed' });
    expect(checkTransition('draft', 'in_review', editor)).toMatchObject({ code: 'not_allowed' });
  });

  it('keeps editors off a layer under silence', () => {
    const detail = { silence: { until: '2030-01-01T00:00:00Z', startedBy: 'u', startedAt: 'x' } };
    expect(checkTransition('in_review', 'proposed', editor, detail)).toMatchObject({
      code: 'under_silence',
    });
    expect(checkTransition('in_review', 'agreed', owner, detail).ok).toBe(true);
  });
});

describe('silence', () => {
  const silence = { until: '2030-01-01T00:00:00.000Z', startedBy: 'u', startedAt: 'x' };
  it('runs until broken and expires at its deadline', () => {
    expect(silenceRunning({ silence })).toBe(true);
    expect(silenceExpired({ silence }, new Date('2029-12-31T23:59:59Z'))).toBe(false);
    expect(silenceExpired({ silence }, new Date('2030-01-01T00:00:00Z'))).toBe(true);
    const broken = { ...silence, broken: { by: 'v', party: 'poland', reason: 'No', at: 'y' } };
    expect(silenceRunning({ silence: broken })).toBe(false);
    expect(silenceExpired({ silence: broken }, new Date('2031-01-01'))).toBe(false);
    expect(silenceRunning({})).toBe(false);
  });
});

describe('consensus and blockers', () => {
  it('derives consensus per layer and for the framework', () => {
    expect(consensusOf({})).toBe('none');
    expect(consensusOf({ france: { stance: 'support', note: '' } })).toBe('consensus');
    const reserved = {
      france: { stance: 'support' as const, note: '' },
      poland: { stance: 'reserve' as const, note: '' },
    };
    expect(consensusOf(reserved)).toBe('reserved');
    const opposed = { poland: { stance: 'oppose' as const, note: '' } };
    expect(consensusOf(opposed)).toBe('blocked');
    expect(frameworkConsensus([{ positions: reserved }, { positions: opposed }])).toBe('blocked');
    expect(frameworkConsensus([{ positions: {} }])).toBe('none');
  });

  it('blocks agreement on open brackets and on an oppose without override', () => {
    const positions = { poland: { stance: 'oppose' as const, note: '' } };
    const codes = (o: boolean, n: number) =>
      agreementBlockers({ positions, openBrackets: n }, o).map((b) => b.code);
    expect(codes(false, 2)).toEqual(['open_brackets', 'opposed']);
    expect(codes(true, 0)).toEqual([]);
    expect(codes(true, 1)).toEqual(['open_brackets']);
  });
});

describe('brackets', () => {
  it('reads bracket marks with party and alternatives and counts them per layer', () => {
    const { doc, id } = docWithLayer();
    addBracket(doc, id, 'within 24 hours', {
      id: 'b1',
      party: 'poland',
      alternatives: ['within 72 hours', 'promptly'],
    });
    const brackets = readBrackets(getNarrativeFragment(doc, id));
    expect(brackets).toEqual([
      {
        id: 'b1',
        text: 'within 24 hours',
        party: 'poland',
        alternatives: ['within 72 hours', 'promptly'],
      },
    ]);
    expect(openBracketCounts(doc)).toEqual({ [id]: 1 });
    expect(readLayerReviewState(doc, id)?.openBrackets).toBe(1);
  });

  it('ignores malformed attributes instead of throwing', () => {
    const { doc, id } = docWithLayer();
    addBracket(doc, id, 'x', { alternatives: [1, 'ok'] });
    expect(readBrackets(getNarrativeFragment(doc, id))).toEqual([
      { id: '', text: 'x', party: '', alternatives: ['ok'] },
    ]);
  });
});

describe('review state and change detection', () => {
  it('writes status with detail and reads it back with positions', () => {
    const { doc, id } = docWithLayer();
    setPosition(doc, id, 'poland', { stance: 'oppose', note: 'Too fast' });
    writeLayerStatus(doc, id, 'agreed_ad_ref', { confirmBy: '2030-01-01' });
    expect(readLayerReviewState(doc, id)).toMatchObject({
      status: 'agreed_ad_ref',
      statusDetail: { confirmBy: '2030-01-01' },
      positions: { poland: { stance: 'oppose', note: 'Too fast' } },
    });
  });

  it('finds the layer of a deep change, status writes and removals', () => {
    const { doc, id } = docWithLayer();
    const other = addLayer(doc, 'legal', { title: 'Legal' });
    const seen: ReturnType<typeof layerChangesOf>[] = [];
    const capture = (fn: () => void) =>
      doc.transact((tr) => {
        fn();
        seen.push(layerChangesOf(doc, tr));
      });
    capture(() => addBracket(doc, id, 'deep', { id: 'b' }));
    capture(() => writeLayerStatus(doc, other, 'proposed', {}));
    capture(() => setLayerTitle(doc, id, 'Air policing'));
    capture(() => removeLayer(doc, other));
    expect([...seen[0]!.changed]).toEqual([id]);
    expect([...seen[1]!.statusWritten]).toEqual([other]);
    expect([...seen[2]!.changed]).toEqual([id]);
    expect(seen[2]!.statusWritten.size).toBe(0);
    expect([...seen[3]!.removed]).toEqual([other]);
  });
});

describe('review commands: revert', () => {
  const actor = { ...owner, userId: 'u-owner' };
  const now = '2026-01-01T00:00:00.000Z';

  it('takes back exactly what a command wrote', () => {
    const { doc, id } = docWithLayer();
    const done = runReviewCommand(
      doc,
      { kind: 'status', layerId: id, to: 'agreed_ad_ref', actor, confirmBy: now, now },
      'server',
    );
    expect(done).toMatchObject({ ok: true, written: { before: { status: 'draft' } } });
    expect(readLayerReviewState(doc, id)?.statusDetail).toEqual({ confirmBy: now });
    if (!done.ok || !done.written) throw new Error('expected a write');
    const reverted = revertReviewWrite(doc, id, done.written, 'server');
    expect(reverted.ok).toBe(true);
    expect(readLayerReviewState(doc, id)).toMatchObject({ status: 'draft', statusDetail: {} });
  });

  it('refuses to revert once the layer changed again, and changes nothing', () => {
    const { doc, id } = docWithLayer();
    const first = runReviewCommand(
      doc,
      { kind: 'status', layerId: id, to: 'proposed', actor, now },
      'server',
    );
    runReviewCommand(doc, { kind: 'status', layerId: id, to: 'in_review', actor, now }, 'server');
    if (!first.ok || !first.written) throw new Error('expected a write');
    const reverted = revertReviewWrite(doc, id, first.written, 'server');
    expect(reverted).toMatchObject({ ok: false, error: 'conflict' });
    expect(readLayerReviewState(doc, id)?.status).toBe('in_review');
  });
});
