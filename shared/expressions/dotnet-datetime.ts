/**
 * .NET custom date/time format strings (invariant culture), as Microsoft's FormatDateTime and the flow's HR
 * date formats use them: parsing a string by a format and formatting an instant by a format. The provisioning
 * service runs in UTC, so "local" times are UTC and parsed offsets are converted to UTC.
 */

export const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
export const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

type FormatToken = { kind: 'field'; letter: string; count: number } | { kind: 'literal'; text: string };

const FIELD_LETTERS = 'dfFghHKmMstyz';
const MAX_COUNT: Record<string, number> = {
  d: 4,
  f: 7,
  F: 7,
  g: 2,
  h: 2,
  H: 2,
  K: 1,
  m: 2,
  M: 4,
  s: 2,
  t: 2,
  y: 5,
  z: 3,
};

export class DateFormatError extends Error {
  readonly code = 'TENURE_DATE_FORMAT';
}

/** Standard formats we accept besides custom ones ("o" round-trip, "s" sortable, "u" universal sortable). */
const STANDARD: Record<string, string> = {
  o: "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK",
  O: "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK",
  s: "yyyy'-'MM'-'dd'T'HH':'mm':'ss",
  u: "yyyy'-'MM'-'dd HH':'mm':'ss'Z'",
};

export function tokenizeDateFormat(format: string): FormatToken[] {
  if (format.length === 1) {
    if (STANDARD[format]) return tokenizeDateFormat(STANDARD[format]);
    throw new DateFormatError(
      `standard format "${format}" is not supported; use a custom format such as yyyy-MM-dd`,
    );
  }
  const tokens: FormatToken[] = [];
  const lit = (text: string): void => {
    const last = tokens[tokens.length - 1];
    if (last && last.kind === 'literal') last.text += text;
    else tokens.push({ kind: 'literal', text });
  };
  for (let i = 0; i < format.length;) {
    const c = format[i];
    if (c === "'" || c === '"') {
      const end = format.indexOf(c, i + 1);
      if (end < 0) throw new DateFormatError(`unterminated quoted text in date format "${format}"`);
      lit(format.slice(i + 1, end));
      i = end + 1;
    } else if (c === '\\') {
      if (i + 1 >= format.length) throw new DateFormatError(`date format "${format}" ends with "\\"`);
      lit(format[i + 1]);
      i += 2;
    } else if (c === '%') {
      i++;
    } else if (FIELD_LETTERS.includes(c)) {
      let n = 1;
      while (format[i + n] === c) n++;
      if (n > MAX_COUNT[c]) {
        if (c === 'y' || c === 'd' || c === 'M') n = Math.min(n, MAX_COUNT[c]);
        else throw new DateFormatError(`"${c.repeat(n)}" is not a valid date format specifier`);
      }
      tokens.push({ kind: 'field', letter: c, count: n });
      i += n;
    } else {
      lit(c);
      i++;
    }
  }
  return tokens;
}

const pad = (n: number, w: number): string => String(Math.abs(n)).padStart(w, '0');

/**
 * Formats an instant. `offsetMinutes` is the offset to show (and apply) for the value (0 = UTC).
 * `isUtc` makes `K` print `Z`.
 */
export function formatDate(ms: number, format: string, offsetMinutes = 0, isUtc = true): string {
  const d = new Date(ms + offsetMinutes * 60_000);
  const Y = d.getUTCFullYear();
  const Mo = d.getUTCMonth();
  const D = d.getUTCDate();
  const H = d.getUTCHours();
  const Mi = d.getUTCMinutes();
  const S = d.getUTCSeconds();
  const ticks = (((ms % 1000) + 1000) % 1000) * 10_000; // 100-ns units within the second
  const off = (full: boolean, minutes: boolean): string => {
    const sign = offsetMinutes < 0 ? '-' : '+';
    const a = Math.abs(offsetMinutes);
    const h = Math.floor(a / 60);
    return `${sign}${full ? pad(h, 2) : String(h)}${minutes ? `:${pad(a % 60, 2)}` : ''}`;
  };
  let out = '';
  for (const t of tokenizeDateFormat(format)) {
    if (t.kind === 'literal') {
      out += t.text;
      continue;
    }
    const n = t.count;
    switch (t.letter) {
      case 'y':
        out += n <= 2 ? pad(Y % 100, n) : pad(Y, n);
        break;
      case 'M':
        out += n <= 2 ? pad(Mo + 1, n) : n === 3 ? MONTHS[Mo].slice(0, 3) : MONTHS[Mo];
        break;
      case 'd':
        out += n <= 2 ? pad(D, n) : n === 3 ? DAYS[d.getUTCDay()].slice(0, 3) : DAYS[d.getUTCDay()];
        break;
      case 'H':
        out += pad(H, n);
        break;
      case 'h':
        out += pad(H % 12 === 0 ? 12 : H % 12, n);
        break;
      case 'm':
        out += pad(Mi, n);
        break;
      case 's':
        out += pad(S, n);
        break;
      case 'f':
        out += String(ticks).padStart(7, '0').slice(0, n);
        break;
      case 'F': {
        const digits = String(ticks).padStart(7, '0').slice(0, n).replace(/0+$/, '');
        // .NET drops the preceding "." too when F prints nothing.
        if (digits === '' && out.endsWith('.')) out = out.slice(0, -1);
        out += digits;
        break;
      }
      case 't':
        out += (H < 12 ? 'AM' : 'PM').slice(0, n);
        break;
      case 'g':
        out += 'A.D.';
        break;
      case 'z':
        out += n === 1 ? off(false, false) : n === 2 ? off(true, false) : off(true, true);
        break;
      case 'K':
        out += isUtc ? 'Z' : off(true, true);
        break;
    }
  }
  return out;
}

/** Microsoft's display format for DateTime values: `M/d/yyyy h:mm:ss tt`, in UTC. */
export function formatDisplayDate(ms: number): string {
  return formatDate(ms, 'M/d/yyyy h:mm:ss tt');
}
