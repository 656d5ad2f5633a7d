import { describe, expect, it } from 'vitest';
import { acceptedBetween, acceptedPerVersion } from './accepted-between';

const a = (number: number, status: string, decidedAt: string | null) => ({
  number,
  partyName: 'France',
  sponsors: [],
  compromiseOf: [],
  status: status as 'accepted',
  decidedAt,
});

describe('accepted amendments per version', () => {
  const amendments = [
    a(2, 'accepted', '2026-12-01T10:00:00Z'),
    a(1, 'accepted', '2026-12-01T09:00:00Z'),
    a(3, 'rejected', '2026-12-01T09:30:00Z'),
    a(4, 'tabled', null),
    a(5, 'accepted', '2026-12-02T09:00:00Z'),
  ];
  it('lists the accepted ones in the window, by number, never rejected or open ones', () => {
    expect(acceptedBetween(amendments, null, new Date('2026-12-01T12:00:00Z'))).toEqual([
      'Amendment 1 (France)',
      'Amendment 2 (France)',
    ]);
    expect(acceptedBetween(amendments, new Date('2026-12-01T09:00:00Z'), null)).toEqual([
      'Amendment 2 (France)',
      'Amendment 5 (France)',
    ]);
  });
  it('gives each version (newest first) what came in since the previous one', () => {
    const versions = [
      { id: 'v2', createdAt: new Date('2026-12-02T10:00:00Z') },
      { id: 'v1', createdAt: new Date('2026-12-01T09:30:00Z') },
    ];
    expect(acceptedPerVersion(versions, amendments).map((v) => v.acceptedAmendments)).toEqual([
      ['Amendment 2 (France)', 'Amendment 5 (France)'],
      ['Amendment 1 (France)'],
    ]);
  });
});
