import { describe, expect, it } from 'vitest';
import { formatInstant, instantToWallTime, isTimeZone, timeZones, wallTimeToInstant } from './time';

describe('one clock', () => {
  const deadline = new Date('2026-12-01T16:00:00Z');

  it('shows one instant in each reader’s zone, always naming the zone', () => {
    const kyiv = formatInstant(deadline, 'Europe/Kyiv');
    const brussels = formatInstant(deadline, 'Europe/Brussels');
    const utc = formatInstant(deadline, 'UTC');
    expect(kyiv).toMatch(/18:00 (EET|GMT\+2)$/);
    expect(brussels).toMatch(/17:00 (CET|GMT\+1)$/);
    expect(utc).toBe('1 Dec 2026, 16:00 UTC');
    expect(formatInstant(deadline.toISOString(), 'UTC', 'date')).toBe('1 Dec 2026');
  });

  it('never hides a time behind a bad zone or value', () => {
    expect(formatInstant(deadline, 'Mars/Olympus')).toBe('1 Dec 2026, 16:00 UTC');
    expect(formatInstant('not a date', 'UTC')).toBe('unknown time');
    expect(isTimeZone('Europe/Warsaw')).toBe(true);
    expect(isTimeZone('Europe/Nowhere')).toBe(false);
    expect(isTimeZone('')).toBe(false);
    // Asked again (the answers are remembered): the same answers, a bad zone still refused.
    expect(isTimeZone('Europe/Warsaw')).toBe(true);
    expect(isTimeZone('Europe/Nowhere')).toBe(false);
    expect(isTimeZone({ toString: () => 'UTC' })).toBe(false);
    expect(formatInstant(deadline, 'Mars/Olympus')).toBe('1 Dec 2026, 16:00 UTC');
    expect(timeZones()[0]).toBe('UTC');
    expect(timeZones()).toContain('Europe/Warsaw');
  });

  it('reads a deadline typed in the user’s zone as the right UTC instant, both ways', () => {
    expect(wallTimeToInstant('2026-12-01T18:00', 'Europe/Kyiv')?.toISOString()).toBe(
      '2026-12-01T16:00:00.000Z',
    );
    expect(wallTimeToInstant('2026-12-01T17:00', 'Europe/Brussels')?.toISOString()).toBe(
      '2026-12-01T16:00:00.000Z',
    );
    expect(wallTimeToInstant('2026-07-01T12:00', 'America/New_York')?.toISOString()).toBe(
      '2026-07-01T16:00:00.000Z',
    );
    expect(wallTimeToInstant('2026-12-01', 'Asia/Tokyo')?.toISOString()).toBe(
      '2026-11-30T15:00:00.000Z',
    );
    expect(instantToWallTime(deadline, 'Europe/Kyiv')).toBe('2026-12-01T18:00');
    expect(wallTimeToInstant('1 Dec', 'UTC')).toBeNull();
    expect(wallTimeToInstant('2026-12-01T18:00', 'Nowhere/Zone')).toBeNull();
  });

  it('handles the daylight-saving changes', () => {
    // Brussels springs forward at 02:00 on 29 March 2026: 01:30 is CET, 03:30 is CEST.
    expect(wallTimeToInstant('2026-03-29T01:30', 'Europe/Brussels')?.toISOString()).toBe(
      '2026-03-29T00:30:00.000Z',
    );
    expect(wallTimeToInstant('2026-03-29T03:30', 'Europe/Brussels')?.toISOString()).toBe(
      '2026-03-29T01:30:00.000Z',
    );
    expect(formatInstant('2026-03-29T01:30:00Z', 'Europe/Brussels')).toMatch(/03:30 (CEST|GMT\+2)/);
  });
});
