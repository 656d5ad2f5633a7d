import { describe, expect, it } from 'vitest';
import {
  anchorOfQuote,
  applyAmendment,
  describeProposedCommitment,
  createFrameworkDoc,
  readAmendmentTarget,
  readFramework,
  readLayerView,
  setNarrative,
  type AmendmentTarget,
} from '.';

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
) =>
  applyAmendment(
    doc,
    { kind: 'amendment.apply', layerId, target, base, proposed, overCurrent: false },
    null,
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
