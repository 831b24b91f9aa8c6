// Graph's dateTimeTimeZone values ({dateTime, timeZone}) to UTC and back. Time zones may be Windows names (what
// Outlook uses) or IANA names; the Windows names below cover the common zones, others are refused as Graph does.
const WINDOWS_TO_IANA: Record<string, string> = {
  UTC: 'UTC',
  'Coordinated Universal Time': 'UTC',
  'Pacific Standard Time': 'America/Los_Angeles',
  'Mountain Standard Time': 'America/Denver',
  'Central Standard Time': 'America/Chicago',
  'Eastern Standard Time': 'America/New_York',
  'GMT Standard Time': 'Europe/London',
  'Greenwich Standard Time': 'Atlantic/Reykjavik',
  'W. Europe Standard Time': 'Europe/Berlin',
  'Romance Standard Time': 'Europe/Paris',
  'Central Europe Standard Time': 'Europe/Budapest',
  'E. Europe Standard Time': 'Europe/Chisinau',
  'FLE Standard Time': 'Europe/Kiev',
  'India Standard Time': 'Asia/Kolkata',
  'China Standard Time': 'Asia/Shanghai',
  'Tokyo Standard Time': 'Asia/Tokyo',
  'Singapore Standard Time': 'Asia/Singapore',
  'AUS Eastern Standard Time': 'Australia/Sydney',
  'New Zealand Standard Time': 'Pacific/Auckland',
};

/** The IANA zone for a Graph timeZone value, or undefined when it is not a zone Graph would accept. */
export function ianaZone(timeZone: string): string | undefined {
  const windows = Object.entries(WINDOWS_TO_IANA).find(([k]) => k.toLowerCase() === timeZone.toLowerCase());
  if (windows) return windows[1];
  if (!timeZone.includes('/')) return undefined;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return timeZone;
  } catch {
    return undefined;
  }
}

function offsetMs(utcMs: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(utcMs));
  const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/** A wall-clock dateTime ("2026-03-20T18:00:00.0000000") in a zone → epoch ms; NaN when unparseable. */
export function zonedToUtc(dateTime: string, zone: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/.exec(dateTime.trim());
  if (!m) return Number.NaN;
  const wall = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0));
  if (zone === 'UTC') return wall;
  let utc = wall - offsetMs(wall, zone);
  utc = wall - offsetMs(utc, zone);
  return utc;
}

/** Epoch ms → Graph's {dateTime, timeZone:"UTC"}. */
export function utcDateTimeTimeZone(ms: number): { dateTime: string; timeZone: string } {
  return { dateTime: `${new Date(ms).toISOString().slice(0, 19)}.0000000`, timeZone: 'UTC' };
}
