import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addLayer,
  addParty,
  agreementBlockers,
  checkTransition,
  consensusCount,
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
  frozenBecause,
  gateOf,
  readLayerView,
  resolveBracket,
  type Consensus,
  type LayerChanges,
  type LayerStatus,
  type Stance,
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
  const P = (stance: Stance) => ({ stance, note: '' });
  const parties = ['france', 'poland', 'estonia'];
  // Every stance combination that decides the outcome, over three participating parties.
  it.each<[string, Record<string, ReturnType<typeof P>>, Consensus, string, string[]]>([
    ['nobody has stated', {}, 'incomplete', '0 of 3 stated', ['france', 'poland', 'estonia']],
    [
      'one support of three',
      { france: P('support') },
      'incomplete',
      '1 of 3 stated',
      ['poland', 'estonia'],
    ],
    [
      'all support',
      { france: P('support'), poland: P('support'), estonia: P('support') },
      'consensus',
      '3 of 3 stated',
      [],
    ],
    [
      'support, no objection and a reserve',
      { france: P('support'), poland: P('no_objection'), estonia: P('reserve') },
      'consensus',
      '3 of 3 stated, 1 reserve',
      [],
    ],
    [
      'all no objection',
      { france: P('no_objection'), poland: P('no_objection'), estonia: P('no_objection') },
      'consensus',
      '3 of 3 stated',
      [],
    ],
    [
      'one oppose among supports',
      { france: P('support'), poland: P('oppose'), estonia: P('support') },
      'blocked',
      '3 of 3 stated, 1 oppose',
      [],
    ],
    [
      'an oppose while others are silent',
      { poland: P('oppose') },
      'blocked',
      '1 of 3 stated, 1 oppose',
      ['france', 'estonia'],
    ],
    [
      'reserves and a silent party',
      { france: P('reserve'), poland: P('reserve') },
      'incomplete',
      '2 of 3 stated, 2 reserve',
      ['estonia'],
    ],
    [
      'a position of a party no longer participating does not count',
      { france: P('support'), poland: P('support'), estonia: P('support'), russia: P('oppose') },
      'consensus',
      '3 of 3 stated',
      [],
    ],
  ])('%s', (_case, positions, state, count, missing) => {
    const report = consensusOf(positions, parties);
    expect(report.state).toBe(state);
    expect(consensusCount(report)).toBe(count);
    expect(report.missing).toEqual(missing);
  });

  it('has no consensus to speak of without parties, and takes the worst layer for the framework', () => {
    expect(consensusOf({ france: P('support') }, []).state).toBe('none');
    const all = { france: P('support'), poland: P('support'), estonia: P('support') };
    expect(frameworkConsensus([{ positions: all }], parties)).toBe('consensus');
    expect(frameworkConsensus([{ positions: all }, { positions: {} }], parties)).toBe('incomplete');
    expect(
      frameworkConsensus([{ positions: {} }, { positions: { poland: P('oppose') } }], parties),
    ).toBe('blocked');
    expect(frameworkConsensus([], parties)).toBe('none');
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
      // One alternative as stored before proposers were kept, one with its proposer.
      alternatives: ['within 72 hours', { text: 'promptly', party: 'france' }],
      chair: true,
    });
    const brackets = readBrackets(getNarrativeFragment(doc, id));
    expect(brackets).toEqual([
      {
        id: 'b1',
        text: 'within 24 hours',
        party: 'poland',
        alternatives: [
          { text: 'within 72 hours', party: '' },
          { text: 'promptly', party: 'france' },
        ],
        chair: true,
      },
    ]);
    expect(openBracketCounts(doc)).toEqual({ [id]: 1 });
    expect(readLayerReviewState(doc, id)?.openBrackets).toBe(1);
  });

  it('ignores malformed attributes instead of throwing', () => {
    const { doc, id } = docWithLayer();
    addBracket(doc, id, 'x', { alternatives: [1, 'ok'] });
    expect(readBrackets(getNarrativeFragment(doc, id))).toEqual([
      { id: '', text: 'x', party: '', alternatives: [{ text: 'ok', party: '' }], chair: false },
    ]);
  });
});

describe('resolving a bracket', () => {
  function bracketed() {
    const { doc, id } = docWithLayer();
    const text = (getNarrativeFragment(doc, id)!.get(0) as Y.XmlElement).get(0) as Y.XmlText;
    const attrs = {
      id: 'b1',
      party: 'poland',
      alternatives: [{ text: '72 hours', party: 'france' }],
    };
    // One bracket in two runs (the second also bold), then plain text after it.
    text.insert(text.length, 'within ', { bracket: attrs });
    text.insert(text.length, '24 hours', { bracket: attrs, bold: {} });
    text.insert(text.length, ' of a violation.', {});
    return { doc, id };
  }
  const narrativeOf = (doc: Y.Doc, id: string) => readLayerView(doc, id)!.narrative;

  it('replaces the whole bracket by the chosen alternative and removes the brackets', () => {
    const { doc, id } = bracketed();
    const done = resolveBracket(doc, id, 'b1', { alternative: 0 });
    expect(done).toMatchObject({ chosen: '72 hours', bracket: { text: 'within 24 hours' } });
    expect(narrativeOf(doc, id).text).toBe('Agreed text 72 hours of a violation.');
    expect(readBrackets(getNarrativeFragment(doc, id))).toEqual([]);
  });

  it('keeps the bracketed wording, with its other marks, without the brackets', () => {
    const { doc, id } = bracketed();
    expect(resolveBracket(doc, id, 'b1', { keep: true })?.chosen).toBe('within 24 hours');
    expect(narrativeOf(doc, id).text).toBe('Agreed text within 24 hours of a violation.');
    expect(readBrackets(getNarrativeFragment(doc, id))).toEqual([]);
  });

  it('refuses an unknown bracket or alternative, and a frozen layer through the command', () => {
    const { doc, id } = bracketed();
    expect(resolveBracket(doc, id, 'nope', { keep: true })).toBeNull();
    expect(resolveBracket(doc, id, 'b1', { alternative: 5 })).toBeNull();
    writeLayerStatus(doc, id, 'agreed', {});
    const command = {
      kind: 'bracket.resolve' as const,
      layerId: id,
      bracketId: 'b1',
      choice: { keep: true as const },
    };
    expect(runReviewCommand(doc, { ...command, actor: owner }, 's')).toMatchObject({
      ok: false,
      error: 'conflict',
    });
    writeLayerStatus(doc, id, 'in_review', {});
    expect(
      runReviewCommand(doc, { ...command, actor: { canEdit: false, canAgree: false } }, 's'),
    ).toMatchObject({ ok: false, error: 'forbidden' });
    expect(runReviewCommand(doc, { ...command, actor: editor }, 's')).toMatchObject({ ok: true });
    expect(readBrackets(getNarrativeFragment(doc, id))).toEqual([]);
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
    expect(readLayerReviewState(doc, id)?.statusDetail).toEqual({
      confirmBy: now,
      adReferendum: { required: ['france', 'poland'], confirmed: {} },
    });
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

describe('delegation acts', () => {
  const actor = { ...owner, userId: 'u-owner' };
  const now = '2026-01-01T00:00:00.000Z';
  const act = (by: string, chair = false) => ({ by, name: by.toUpperCase(), chair, at: now });
  const status = (doc: Y.Doc, id: string, to: LayerStatus, extra: object = {}) =>
    runReviewCommand(doc, { kind: 'status', layerId: id, to, actor, now, ...extra }, 'server');
  const position = (doc: Y.Doc, id: string, party: string, stance: Stance | null) =>
    runReviewCommand(
      doc,
      { kind: 'position', layerId: id, party, stance, note: 'n', act: act('u1') },
      'server',
    );

  it('states a stance with who stated it, and withdraws it', () => {
    const { doc, id } = docWithLayer();
    expect(position(doc, id, 'france', 'no_objection')).toMatchObject({ ok: true, previous: null });
    expect(readLayerView(doc, id)?.positions.france).toEqual({
      stance: 'no_objection',
      note: 'n',
      statedBy: act('u1'),
    });
    expect(position(doc, id, 'france', null)).toMatchObject({
      ok: true,
      previous: { stance: 'no_objection' },
    });
    expect(readLayerView(doc, id)?.positions.france).toBeUndefined();
  });

  it('refuses a stance for a party not in the framework, on agreed text and under silence', () => {
    const { doc, id } = docWithLayer();
    expect(position(doc, id, 'russia', 'support')).toMatchObject({ ok: false, error: 'forbidden' });
    runReviewCommand(
      doc,
      { kind: 'silence.start', layerId: id, userId: 'u-owner', until: '2030-01-01T00:00:00Z', now },
      'server',
    );
    expect(position(doc, id, 'france', 'support')).toMatchObject({
      ok: false,
      error: 'conflict',
      message: expect.stringContaining('under silence') as unknown,
    });
    const other = addLayer(doc, 'air', { title: 'Other' });
    expect(status(doc, other, 'agreed').ok).toBe(true);
    expect(position(doc, other, 'france', 'support')).toMatchObject({
      ok: false,
      error: 'conflict',
    });
    expect(readLayerView(doc, id)?.positions).toEqual({});
  });

  it('confirms ad referendum capital by capital, once each, then agrees', () => {
    const { doc, id } = docWithLayer();
    expect(
      status(doc, id, 'agreed_ad_ref', { confirmBy: now, confirmers: ['poland', 'estonia'] }),
    ).toMatchObject({ ok: false, error: 'conflict' });
    expect(status(doc, id, 'agreed_ad_ref', { confirmBy: now }).ok).toBe(true);
    // The chair cannot declare it agreed while capitals are pending.
    expect(status(doc, id, 'agreed')).toMatchObject({
      ok: false,
      message: expect.stringContaining('france, poland') as unknown,
    });
    const confirm = (party: string) =>
      runReviewCommand(doc, { kind: 'adref.confirm', layerId: id, party, act: act(party) }, 's');
    expect(confirm('poland')).toMatchObject({ ok: true, agreed: false, pending: ['france'] });
    expect(confirm('poland')).toMatchObject({ ok: false, error: 'conflict' });
    expect(confirm('estonia')).toMatchObject({ ok: false, error: 'forbidden' });
    expect(confirm('france')).toMatchObject({ ok: true, agreed: true, pending: [] });
    const state = readLayerReviewState(doc, id)!;
    expect(state.status).toBe('agreed');
    expect(Object.keys(state.statusDetail.adReferendum!.confirmed).sort()).toEqual([
      'france',
      'poland',
    ]);
    expect(confirm('france')).toMatchObject({ ok: false, error: 'conflict' });
  });

  it('freezes agreed text and text under silence for everyone', () => {
    expect(frozenBecause(gateOf('agreed', {}))).toMatchObject({ code: 'locked' });
    expect(frozenBecause(gateOf('agreed_ad_ref', {}))).toMatchObject({ code: 'locked' });
    const silence = { until: '2030-01-01T00:00:00Z', startedBy: 'o', startedAt: now };
    expect(frozenBecause(gateOf('in_review', { silence }))).toMatchObject({
      code: 'under_silence',
    });
    const broken = { ...silence, broken: { by: 'p', party: 'poland', reason: 'No', at: now } };
    expect(frozenBecause(gateOf('in_review', { silence: broken }))).toBeNull();
    expect(frozenBecause(gateOf('draft', {}))).toBeNull();
  });

  it('sees a write into positions, however deep, as a positions write', () => {
    const { doc, id } = docWithLayer();
    const seen: LayerChanges[] = [];
    doc.on('beforeObserverCalls', (tr: Y.Transaction) => seen.push(layerChangesOf(doc, tr)));
    setPosition(doc, id, 'france', { stance: 'support' });
    setPosition(doc, id, 'france', { stance: 'reserve' });
    setLayerTitle(doc, id, 'Renamed');
    expect(seen.map((c) => c.positionsWritten.has(id))).toEqual([true, true, false]);
  });
});
