'use client';

import { formatInstant, type TimeStyle } from '@/lib/time';
import { useTimeZone } from './TimeZoneContext';

/** An instant, shown in the reader's zone with the zone named (lib/time.ts). */
export function Time({ at, style = 'datetime' }: { at: Date | string; style?: TimeStyle }) {
  const zone = useTimeZone();
  const iso = at instanceof Date ? at.toISOString() : at;
  return <time dateTime={iso}>{formatInstant(iso, zone, style)}</time>;
}

/** The formatter for text that is not a <time> element (labels, sentences). */
export function useFormatInstant(): (at: Date | string, style?: TimeStyle) => string {
  const zone = useTimeZone();
  return (at, style = 'datetime') => formatInstant(at, zone, style);
}
