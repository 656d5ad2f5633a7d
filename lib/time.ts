/**
 * One clock for the whole product: every time is stored in UTC and shown in the reader's time
 * zone with the zone's name (a silence deadline typed in Kyiv reads "18:00 EET" there and
 * "17:00 CET" in Brussels, never a bare "18:00"). Pure functions over Intl, used by browser and
 * server alike.
 */

/**
 * Zones found valid so far. Building an Intl.DateTimeFormat to ask costs tens of microseconds,
 * and every time shown asks: with 200 amendments in view that was seconds of an editor's open.
 * Only valid zones are kept (a few hundred exist), so arbitrary input cannot grow the set.
 */
const knownZones = new Set<string>();

/** Whether `zone` is an IANA time zone this runtime knows ("Europe/Kyiv", "UTC"). */
export function isTimeZone(zone: unknown): zone is string {
  if (typeof zone !== 'string' || zone === '' || zone.length > 64) return false;
  if (knownZones.has(zone)) return true;
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
  } catch {
    return false;
  }
  knownZones.add(zone);
  return true;
}

/** The zones to choose from (the runtime's list, UTC first). */
export function timeZones(): string[] {
  const supported = (Intl as { supportedValuesOf?: (key: 'timeZone') => string[] })
    .supportedValuesOf;
  const all = supported ? supported('timeZone') : [];
  return ['UTC', ...all.filter((z) => z !== 'UTC')];
}

export type TimeStyle = 'datetime' | 'date';

/**
 * Formats by what they are for (`zone|use`), built once: building an Intl.DateTimeFormat costs
 * tens of microseconds, and every time shown needs one.
 */
const formats = new Map<string, Intl.DateTimeFormat>();

function rememberedFormat(
  key: string,
  locale: string,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    formats.set(key, format);
  }
  return format;
}

function formatOf(zone: string, style: TimeStyle): Intl.DateTimeFormat {
  // Fields, not dateStyle/timeStyle: those cannot be combined with the zone's name.
  return rememberedFormat(`${zone}|${style}`, 'en-GB', {
    timeZone: zone,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    ...(style === 'datetime' && {
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    }),
  });
}

/**
 * An instant as people read it in `zone`: "1 Dec 2026, 18:00 GMT+2". Dates alone ("1 Dec
 * 2026") name no zone. An unknown zone falls back to UTC, so a bad setting never hides a time.
 */
export function formatInstant(
  instant: Date | string | number,
  zone: string,
  style: TimeStyle = 'datetime',
): string {
  const date = instant instanceof Date ? instant : new Date(instant);
  if (Number.isNaN(date.getTime())) return 'unknown time';
  const known = isTimeZone(zone) ? zone : 'UTC';
  return formatOf(known, style).format(date);
}

/** The offset of `zone` (a valid zone) from UTC at `instant`, in minutes (east positive). */
function offsetMinutes(instant: Date, zone: string): number {
  const wallClock = rememberedFormat(`${zone}|wall-clock`, 'en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const parts = wallClock.formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/**
 * The UTC instant of a wall-clock time in `zone` ("2026-12-01T18:00", as a datetime-local or
 * date input gives it), or null when it does not read as one. A wall time that a daylight-saving
 * change skips is taken as the instant after the gap.
 */
export function wallTimeToInstant(wall: string, zone: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/.exec(wall);
  if (!m || !isTimeZone(zone)) return null;
  const [, y, mo, d, h = '00', mi = '00'] = m;
  const asUtc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi));
  if (Number.isNaN(asUtc)) return null;
  // Two passes: the offset at the guess, then at the corrected instant (DST boundaries).
  let instant = asUtc - offsetMinutes(new Date(asUtc), zone) * 60_000;
  instant = asUtc - offsetMinutes(new Date(instant), zone) * 60_000;
  return new Date(instant);
}

/** The wall-clock value for a datetime-local input showing `instant` in `zone`. */
export function instantToWallTime(instant: Date, zone: string): string {
  const shifted = new Date(instant.getTime() + offsetMinutes(instant, zone) * 60_000);
  return shifted.toISOString().slice(0, 16);
}
