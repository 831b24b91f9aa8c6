/** IANA time-zone arithmetic with Intl only (Node ships full ICU): offsets, and wall time → instant. */
import type { Flow } from './model';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Offset of `zone` from UTC at the instant `utcMs`, in minutes east of UTC. */
export function zoneOffsetMinutes(zone: string, utcMs: number): number {
  const parts = Object.fromEntries(
    formatter(zone)
      .formatToParts(new Date(utcMs))
      .map((p) => [p.type, p.value]),
  );
  const wall = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second);
  return Math.round((wall - Math.floor(utcMs / 1000) * 1000) / 60_000);
}

/**
 * Offset to apply to a wall-clock time (given as if it were UTC) in `zone`. In a DST gap the later offset is
 * used; in an overlap, the earlier instant.
 */
export function wallOffsetMinutes(zone: string, wallMs: number): number {
  const first = zoneOffsetMinutes(zone, wallMs);
  const second = zoneOffsetMinutes(zone, wallMs - first * 60_000);
  return second;
}

/** The instant at which the calendar day `yyyy-MM-dd` starts in `zone`. */
export function startOfDayInZone(date: string, zone: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  const wall = Date.UTC(y, m - 1, d);
  return new Date(wall - wallOffsetMinutes(zone, wall) * 60_000);
}

/**
 * The worker's time zone for a record: the fixed zone, or the zone named by the HR field (its fallback when
 * the field is empty or not a valid IANA zone).
 */
export function workerTimeZone(flow: Pick<Flow, 'hr'>, record: Readonly<Record<string, unknown>>): string {
  const tz = flow.hr.timeZone;
  if (tz.kind === 'fixed') return tz.zone;
  const v = record[tz.field];
  if (typeof v === 'string' && v.trim() !== '' && isIanaZone(v.trim())) return v.trim();
  return tz.fallback;
}

export function isIanaZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}
