// Calendar-day arithmetic in a worker's IANA time zone with Intl only: the instant a local day starts.
// The zone offset is the flows module's: one Intl-based implementation for the whole product.
import { zoneOffsetMinutes as offsetMinutesAt } from '../../flows/time-zone';
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLocalDate(text: string): boolean {
  return DATE.test(text);
}

/** The UTC instant (ms) at which local calendar day `yyyy-MM-dd` starts in `zone` (DST gaps: first valid time). */
export function startOfLocalDay(date: string, zone: string): number {
  const m = DATE.exec(date);
  if (!m) throw new RangeError('expected yyyy-MM-dd');
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const guess = wall - offsetMinutesAt(zone, wall) * 60_000;
  const exact = wall - offsetMinutesAt(zone, guess) * 60_000;
  // In a spring-forward gap at midnight the wall time does not exist; the day starts at the later offset.
  return Math.min(guess, exact);
}

/** `yyyy-MM-dd` shifted by whole calendar days. */
export function addDays(date: string, days: number): string {
  const m = DATE.exec(date);
  if (!m) throw new RangeError('expected yyyy-MM-dd');
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days));
  return d.toISOString().slice(0, 10);
}

/** The local calendar date of an instant in `zone`. */
export function localDateOf(utcMs: number, zone: string): string {
  return new Date(utcMs + offsetMinutesAt(zone, utcMs) * 60_000).toISOString().slice(0, 10);
}
