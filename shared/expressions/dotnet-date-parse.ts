/**
 * Parsing of date/time text: exactly by a .NET custom format (FormatDateTime, HR date formats), or leniently as
 * .NET's DateTime.Parse accepts ISO 8601 and US dates (CDate). Offsets are converted to UTC.
 */
import { DAYS, MONTHS, tokenizeDateFormat } from './dotnet-datetime';

/** Result of parsing: the UTC instant, and whether the text carried its own offset. */
export interface ParsedDate {
  readonly ms: number;
  readonly hadOffset: boolean;
  /** Offset written in (or assumed for) the text, in minutes east of UTC; `ms + offset` is the wall time. */
  readonly offsetMinutes: number;
}

/**
 * Parses `text` exactly by a .NET custom format (leading/trailing white space allowed, as with Microsoft's
 * default DateTimeStyles). Returns undefined when the text does not match. Text without an offset is taken
 * as UTC unless `assumeOffsetMinutes` says otherwise.
 */
export function parseDateExact(
  text: string,
  format: string,
  assumeOffsetMinutes?: (wallMs: number) => number,
): ParsedDate | undefined {
  const tokens = tokenizeDateFormat(format);
  const s = text.trim();
  let i = 0;
  let year = 1;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let fraction = 0;
  let pm: boolean | undefined;
  let hour12 = false;
  let offset: number | undefined;
  const digits = (min: number, max: number): number | undefined => {
    const m = new RegExp(`^\\d{${min},${max}}`).exec(s.slice(i));
    if (!m) return undefined;
    i += m[0].length;
    return Number(m[0]);
  };
  const name = (names: string[], abbreviated: boolean): number | undefined => {
    const rest = s.slice(i).toLowerCase();
    const idx = names.findIndex((nm) => rest.startsWith((abbreviated ? nm.slice(0, 3) : nm).toLowerCase()));
    if (idx < 0) return undefined;
    i += abbreviated ? 3 : names[idx].length;
    return idx;
  };
  const parseOffset = (
    withMinutes: 'required' | 'optional' | 'none',
    twoDigits: boolean,
  ): number | undefined => {
    const m = (twoDigits ? /^([+-])(\d{2})(?::?(\d{2}))?/ : /^([+-])(\d{1,2})(?::?(\d{2}))?/).exec(
      s.slice(i),
    );
    if (!m) return undefined;
    if (withMinutes === 'required' && m[3] === undefined) return undefined;
    const mins = withMinutes === 'none' ? 0 : Number(m[3] ?? 0);
    i += withMinutes === 'none' ? 1 + m[2].length : m[0].length;
    return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + mins);
  };
  for (const t of tokens) {
    if (t.kind === 'literal') {
      for (const ch of t.text) {
        if (ch === ' ' && /\s/.test(s[i] ?? '')) {
          while (/\s/.test(s[i] ?? '')) i++;
        } else if (s[i] === ch) i++;
        else return undefined;
      }
      continue;
    }
    const n = t.count;
    let v: number | undefined;
    switch (t.letter) {
      case 'y':
        v = n === 1 ? digits(1, 4) : n === 2 ? digits(2, 2) : digits(n, Math.max(n, 4));
        if (v !== undefined && n <= 2) v = v < 50 ? 2000 + v : v < 100 ? 1900 + v : v; // .NET TwoDigitYearMax 2049
        if (v !== undefined) year = v;
        break;
      case 'M':
        v = n <= 2 ? digits(n, 2) : name(MONTHS, n === 3);
        if (v !== undefined) month = n <= 2 ? v : v + 1;
        break;
      case 'd':
        v = n <= 2 ? digits(n, 2) : name(DAYS, n === 3);
        if (v !== undefined && n <= 2) day = v;
        break;
      case 'H':
      case 'h':
        v = digits(n, 2);
        if (v !== undefined) hour = v;
        hour12 ||= t.letter === 'h';
        break;
      case 'm':
        v = digits(n, 2);
        if (v !== undefined) minute = v;
        break;
      case 's':
        v = digits(n, 2);
        if (v !== undefined) second = v;
        break;
      case 'f':
      case 'F': {
        const m = (t.letter === 'f' ? new RegExp(`^\\d{${n}}`) : new RegExp(`^\\d{0,${n}}`)).exec(s.slice(i));
        if (!m) return undefined;
        i += m[0].length;
        fraction = m[0] === '' ? 0 : Number(`0.${m[0]}`);
        v = 0;
        break;
      }
      case 't': {
        const m = (n === 1 ? /^[AaPp]/ : /^[AaPp][Mm]/).exec(s.slice(i));
        if (!m) return undefined;
        i += m[0].length;
        pm = m[0][0].toLowerCase() === 'p';
        v = 0;
        break;
      }
      case 'g': {
        const m = /^(A\.D\.|AD)/i.exec(s.slice(i));
        if (!m) return undefined;
        i += m[0].length;
        v = 0;
        break;
      }
      case 'z':
        v = offset = n === 3 ? parseOffset('required', true) : parseOffset('none', n === 2);
        break;
      case 'K':
        if (s[i] === 'Z' || s[i] === 'z') {
          i++;
          offset = 0;
        } else if (s[i] === '+' || s[i] === '-') {
          offset = parseOffset('required', true);
          if (offset === undefined) return undefined;
        }
        v = 0;
        break;
    }
    if (v === undefined) return undefined;
  }
  if (i !== s.length) return undefined;
  if (hour12) {
    if (hour < 1 || hour > 12) return undefined;
    if (pm !== undefined) hour = (hour % 12) + (pm ? 12 : 0);
  } else if (pm !== undefined && hour < 12 && pm) {
    hour += 12;
  }
  return buildInstant(year, month, day, hour, minute, second, fraction, offset, assumeOffsetMinutes);
}

function buildInstant(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  fraction: number,
  offset: number | undefined,
  assumeOffsetMinutes?: (wallMs: number) => number,
): ParsedDate | undefined {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59 || year < 1)
    return undefined;
  const wall = Date.UTC(year, month - 1, day, hour, minute, second) + Math.round(fraction * 1000);
  const check = new Date(wall);
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return undefined; // e.g. 31 February
  if (offset !== undefined) return { ms: wall - offset * 60_000, hadOffset: true, offsetMinutes: offset };
  const assumed = assumeOffsetMinutes ? assumeOffsetMinutes(wall) : 0;
  return { ms: wall - assumed * 60_000, hadOffset: false, offsetMinutes: assumed };
}

const ISO =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,7}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const US =
  /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AaPp][Mm]))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/;

function offsetOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (text.toUpperCase() === 'Z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(text)!;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

/**
 * Lenient parse of the date/time strings .NET's DateTime.Parse accepts in the invariant culture and HR systems
 * send: ISO 8601 (date alone, date with offset such as Workday's `2020-03-16-07:00`, date-time with or without
 * offset) and US `M/d/yyyy h:mm:ss tt` (the format Now/CDate produce). No offset means UTC.
 */
export function parseDateLoose(
  text: string,
  assumeOffsetMinutes?: (wallMs: number) => number,
): ParsedDate | undefined {
  const s = text.trim();
  // Workday sends a date with a bare offset (2020-03-16-07:00); take it as midnight at that offset.
  const dateOffset = /^(\d{4})-(\d{2})-(\d{2})([+-]\d{2}:\d{2})$/.exec(s);
  if (dateOffset) {
    const [, y, mo, d, off] = dateOffset;
    return buildInstant(+y, +mo, +d, 0, 0, 0, 0, offsetOf(off), assumeOffsetMinutes);
  }
  let m = ISO.exec(s);
  if (m) {
    return buildInstant(
      +m[1],
      +m[2],
      +m[3],
      +(m[4] ?? 0),
      +(m[5] ?? 0),
      +(m[6] ?? 0),
      m[7] ? Number(`0.${m[7]}`) : 0,
      offsetOf(m[8]),
      assumeOffsetMinutes,
    );
  }
  m = US.exec(s);
  if (m) {
    let hour = +(m[4] ?? 0);
    if (m[7]) {
      if (hour < 1 || hour > 12) return undefined;
      hour = (hour % 12) + (m[7].toLowerCase() === 'pm' ? 12 : 0);
    }
    return buildInstant(
      +m[3],
      +m[1],
      +m[2],
      hour,
      +(m[5] ?? 0),
      +(m[6] ?? 0),
      0,
      offsetOf(m[8]),
      assumeOffsetMinutes,
    );
  }
  return undefined;
}
