import { describe, expect, it } from 'vitest';
import {
  anchorOfQuote,
  applyAmendment,
  addCommitment,
  addTrigger,
  describeProposedCommitment,
  createFrameworkDoc,
  updateCommitment,
  updateTrigger,
  readAmendmentTarget,
  readFramework,
  readLayerView,
  setNarrative,
  type AmendmentTarget,
} from '.';
import { passageRuns } from './passage';
import type { ProposalRun } from './proposal-runs';

/** A layer whose narrative reads "Respond **within 7 days** of a violation." */
function layerWithBoldPassage() {
  const doc = createFrameworkDoc('five-layer');
  const layerId = readFramework(doc).layers[1]!.id;
  setNarrative(doc, layerId, [
    {
      type: 'paragraph',
      content: [
        { type: 'text', text: 'Respond ', marks: [] },
        { type: 'text', text: 'within 7 days', marks: [{ type: 'bold' }] },
        { type: 'text', text: ' of a violation.', marks: [] },
      ],
    },
  ]);
  const passage = (quote: string): AmendmentTarget => ({
    kind: 'passage',
    anchor: anchorOfQuote(doc, layerId, quote)!,
  });
  return { doc, layerId, passage };
}

const apply = (
  doc: ReturnType<typeof createFrameworkDoc>,
  layerId: string,
  target: AmendmentTarget,
  base: string,
  proposed: string,
  proposedRuns: ProposalRun[] | null = null,
  origin: unknown = null,
) =>
  applyAmendment(
    doc,
    { kind: 'amendment.apply', layerId, target, base, proposed, proposedRuns, overCurrent: false },
    origin,
  );

describe('applyAmendment', () => {
  it('replaces the passage, keeping the formatting it starts with', () => {
    const { doc, layerId, passage } = layerWithBoldPassage();
    const target = passage('within 7 days');
    expect(readAmendmentTarget(doc, layerId, target)).toBe('within 7 days');
    expect(apply(doc, layerId, target, 'within 7 days', 'within 72 hours')).toEqual({ ok: true });
    const [paragraph] = readLayerView(doc, layerId)!.narrative.blocks;
    expect(paragraph).toMatchObject({
      content: [
        { text: 'Respond ' },
        { text: 'within 72 hours', marks: [{ type: 'bold' }] },
        { text: ' of a violation.' },
      ],
    });
  });

  it('replaces the passage by formatted wording with its own marks, and reads a passage back as runs', () => {
    const { doc, layerId, passage } = layerWithBoldPassage();
    const target = passage('Respond within 7 days');
    expect(target.kind === 'passage' && passageRuns(doc, layerId, target.anchor)).toEqual([
      { text: 'Respond ', marks: [] },
      { text: 'within 7 days', marks: [{ type: 'bold' }] },
    ]);
    const runs: ProposalRun[] = [
      { text: 'Respond ', marks: [{ type: 'italic' }] },
      { text: 'within 72 hours', marks: [] },
      { text: ' (see', marks: [] },
      { text: ' annex', marks: [{ type: 'link', href: 'https://example.org/annex' }] },
      { text: ')', marks: [] },
    ];
    const proposed = 'Respond within 72 hours (see annex)';
    expect(apply(doc, layerId, target, 'Respond within 7 days', proposed, runs)).toEqual({
      ok: true,
    });
    const [paragraph] = readLayerView(doc, layerId)!.narrative.blocks;
    expect(paragraph).toMatchObject({
      content: [
        { text: 'Respond ', marks: [{ type: 'italic' }] },
        { text: 'within 72 hours (see', marks: [] },
        { text: ' annex', marks: [{ type: 'link', href: 'https://example.org/annex' }] },
        { text: ') of a violation.', marks: [] },
      ],
    });
  });

  it('refuses a passage that moved on or is gone, and a value that does not fit the field', () => {
    const { doc, layerId, passage } = layerWithBoldPassage();
    const target = passage('of a violation');
    expect(apply(doc, layerId, target, 'of any violation', 'x')).toMatchObject({
      ok: false,
      reason: 'moved_on',
      current: 'of a violation',
    });
    const lead: AmendmentTarget = { kind: 'field', item: 'layer', field: 'lead' };
    expect(
      apply(doc, layerId, lead, readAmendmentTarget(doc, layerId, lead)!, 'atlantis'),
    ).toMatchObject({ ok: false, reason: 'invalid' });
  });
});

describe('a new commitment row as a target', () => {
  it('reads empty before, adds the row when applied, and names it in words', () => {
    const { doc, layerId } = layerWithBoldPassage();
    const party = readFramework(doc).parties[0]!;
    const row = {
      type: 'aircraft' as const,
      party: party.id,
      quantity: 12,
      unit: 'jets',
      conditions: '',
      period: 'From 2027',
    };
    const target: AmendmentTarget = { kind: 'row', item: 'commitment', row };
    const before = readLayerView(doc, layerId)!.commitments.length;
    expect(readAmendmentTarget(doc, layerId, target)).toBe('');
    expect(readAmendmentTarget(doc, 'no-such-layer', target)).toBeNull();
    expect(describeProposedCommitment(row, () => party.name)).toBe(
      `${party.name}: 12 jets (Aircraft), From 2027`,
    );
    expect(apply(doc, layerId, target, '', 'summary')).toEqual({ ok: true });
    const rows = readLayerView(doc, layerId)!.commitments;
    expect(rows).toHaveLength(before + 1);
    expect(rows[rows.length - 1]).toMatchObject(row);
    const unknown = { ...target, row: { ...row, party: 'atlantis' } };
    expect(apply(doc, layerId, unknown, '', 'x')).toMatchObject({ ok: false, reason: 'invalid' });
  });
});

describe('removing a commitment row as a target', () => {
  function layerWithRow() {
    const { doc, layerId } = layerWithBoldPassage();
    const party = readFramework(doc).parties[0]!;
    const id = addCommitment(doc, layerId, {
      party: party.id,
      type: 'troops',
      quantity: 2000,
      unit: 'personnel',
      period: 'Two years',
    })!;
    const target: AmendmentTarget = { kind: 'remove', item: 'commitment', id };
    return { doc, layerId, id, target, party };
  }

  it('reads as the row in words, and applying deletes exactly that row in one transaction', () => {
    const { doc, layerId, id, target, party } = layerWithRow();
    const base = readAmendmentTarget(doc, layerId, target);
    expect(base).toBe(`${party.name}: 2000 personnel (Troops), Two years`);
    const others = readLayerView(doc, layerId)!.commitments.filter((c) => c.id !== id);
    const origins: unknown[] = [];
    doc.on('afterTransaction', (tr) => origins.push(tr.origin));
    const origin = { amendment: 7 };
    expect(apply(doc, layerId, target, base!, '', null, origin)).toEqual({ ok: true });
    expect(origins).toEqual([origin]);
    expect(readLayerView(doc, layerId)!.commitments).toEqual(others);
    // Gone now: a second apply is refused and changes nothing.
    expect(readAmendmentTarget(doc, layerId, target)).toBeNull();
    expect(apply(doc, layerId, target, base!, '')).toMatchObject({
      ok: false,
      reason: 'gone',
      message: expect.stringMatching(/resolve it by hand/),
    });
    expect(readLayerView(doc, layerId)!.commitments).toEqual(others);
  });

  it('shows as moved on when any field of the row changed since tabling', () => {
    const { doc, layerId, id, target, party } = layerWithRow();
    const base = readAmendmentTarget(doc, layerId, target)!;
    updateCommitment(doc, layerId, id, { conditions: 'if the ceasefire holds' });
    const current = `${party.name}: 2000 personnel (Troops), Two years; if the ceasefire holds`;
    expect(readAmendmentTarget(doc, layerId, target)).toBe(current);
    expect(apply(doc, layerId, target, base, '')).toMatchObject({
      ok: false,
      reason: 'moved_on',
      current,
    });
    expect(readLayerView(doc, layerId)!.commitments.some((c) => c.id === id)).toBe(true);
  });
});

describe('removing a trigger as a target', () => {
  function layerWithTrigger() {
    const { doc, layerId } = layerWithBoldPassage();
    const party = readFramework(doc).parties[0]!;
    const id = addTrigger(doc, layerId, {
      condition: 'Monitors are denied access',
      response: 'the guarantors convene',
      deadlineHours: 48,
      responsibleParties: [party.id],
    })!;
    const target: AmendmentTarget = { kind: 'remove', item: 'trigger', id };
    return { doc, layerId, id, target, party };
  }

  it('reads as the export sentence, and applying deletes exactly that trigger', () => {
    const { doc, layerId, id, target, party } = layerWithTrigger();
    const base = readAmendmentTarget(doc, layerId, target);
    expect(base).toBe(
      `If monitors are denied access, the guarantors convene within 2 days; responsible: ${party.name}.`,
    );
    const others = readLayerView(doc, layerId)!.triggers.filter((t) => t.id !== id);
    const commitments = readLayerView(doc, layerId)!.commitments;
    const origins: unknown[] = [];
    doc.on('afterTransaction', (tr) => origins.push(tr.origin));
    const origin = { amendment: 8 };
    expect(apply(doc, layerId, target, base!, '', null, origin)).toEqual({ ok: true });
    expect(origins).toEqual([origin]);
    expect(readLayerView(doc, layerId)!.triggers).toEqual(others);
    expect(readLayerView(doc, layerId)!.commitments).toEqual(commitments);
    // Gone now: a second apply is refused and changes nothing.
    expect(readAmendmentTarget(doc, layerId, target)).toBeNull();
    expect(apply(doc, layerId, target, base!, '')).toMatchObject({
      ok: false,
      reason: 'gone',
      message: expect.stringMatching(/trigger this amendment removes .*resolve it by hand/),
    });
    expect(readLayerView(doc, layerId)!.triggers).toEqual(others);
  });

  it('shows as moved on when the trigger was edited since tabling', () => {
    const { doc, layerId, id, target, party } = layerWithTrigger();
    const base = readAmendmentTarget(doc, layerId, target)!;
    updateTrigger(doc, layerId, id, { deadlineHours: 72 });
    const current = `If monitors are denied access, the guarantors convene within 3 days; responsible: ${party.name}.`;
    expect(readAmendmentTarget(doc, layerId, target)).toBe(current);
    expect(apply(doc, layerId, target, base, '')).toMatchObject({
      ok: false,
      reason: 'moved_on',
      current,
    });
    expect(readLayerView(doc, layerId)!.triggers.some((t) => t.id === id)).toBe(true);
  });

  it('is not a commitment removal: the same id names no commitment row', () => {
    const { doc, layerId, id } = layerWithTrigger();
    const asCommitment: AmendmentTarget = { kind: 'remove', item: 'commitment', id };
    expect(readAmendmentTarget(doc, layerId, asCommitment)).toBeNull();
  });
});

describe('a new trigger row as a target', () => {
  it('reads empty before, and adds the trigger when applied', () => {
    const { doc, layerId } = layerWithBoldPassage();
    const row = {
      condition: 'a ceasefire violation is confirmed',
      response: 'consultations of the guarantors',
      deadlineHours: 24,
    };
    const target: AmendmentTarget = { kind: 'row', item: 'trigger', row };
    const before = readLayerView(doc, layerId)!.triggers.length;
    expect(readAmendmentTarget(doc, layerId, target)).toBe('');
    expect(readAmendmentTarget(doc, 'no-such-layer', target)).toBeNull();
    expect(apply(doc, layerId, target, '', 'summary')).toEqual({ ok: true });
    const triggers = readLayerView(doc, layerId)!.triggers;
    expect(triggers).toHaveLength(before + 1);
    expect(triggers[triggers.length - 1]).toMatchObject({ ...row, responsibleParties: [] });
  });

  it('refuses a negative deadline and a trigger that says nothing', () => {
    const { doc, layerId } = layerWithBoldPassage();
    const before = readLayerView(doc, layerId)!.triggers;
    const trigger = (row: { condition: string; response: string; deadlineHours: number | null }) =>
      apply(doc, layerId, { kind: 'row', item: 'trigger', row }, '', '');
    expect(trigger({ condition: 'x', response: 'y', deadlineHours: -1 })).toMatchObject({
      ok: false,
      reason: 'invalid',
    });
    expect(trigger({ condition: ' ', response: '', deadlineHours: 12 })).toMatchObject({
      ok: false,
      reason: 'invalid',
    });
    expect(readLayerView(doc, layerId)!.triggers).toEqual(before);
  });

  it('adds the trigger with the responsible parties it names, and only parties of the framework', () => {
    const { doc, layerId } = layerWithBoldPassage();
    const [first, second] = readFramework(doc).parties;
    const row = {
      condition: 'an air attack on a monitored city',
      response: 'the air shield engages',
      deadlineHours: 2,
      responsibleParties: [first!.id, second!.id],
    };
    const target: AmendmentTarget = { kind: 'row', item: 'trigger', row };
    expect(apply(doc, layerId, target, '', 'summary')).toEqual({ ok: true });
    const triggers = readLayerView(doc, layerId)!.triggers;
    expect(triggers[triggers.length - 1]).toMatchObject(row);

    const before = readLayerView(doc, layerId)!.triggers;
    for (const responsibleParties of [['no-such-party'], [first!.id, first!.id]]) {
      expect(
        apply(doc, layerId, { ...target, row: { ...row, responsibleParties } }, '', ''),
      ).toMatchObject({ ok: false, reason: 'invalid' });
    }
    expect(readLayerView(doc, layerId)!.triggers).toEqual(before);
  });
});
