/** Date functions: CDate, DateAdd, DateDiff, DateFromNum, FormatDateTime, Now, NumFromDate. */
import { parseDateExact, parseDateLoose } from '../dotnet-date-parse';
import { DateFormatError, formatDate } from '../dotnet-datetime';
import { EvaluationFault } from '../errors';
import type { FunctionImpl } from '../runtime';
import {
  dateTime,
  isDateTime,
  toDateTime,
  toNumber,
  toText,
  type DateTimeValue,
  type Value,
} from '../values';

/** Windows FILETIME (AD large integer): 100-ns ticks since 1601-01-01 UTC. */
const EPOCH_DIFF_MS = 11_644_473_600_000n;

const INTERVALS = ['yyyy', 'm', 'd', 'ww', 'h', 'n', 's'] as const;
type Interval = (typeof INTERVALS)[number];

function interval(v: Value, fn: string): Interval {
  const t = toText(v, `${fn} interval`);
  const found = INTERVALS.find((i) => i === t);
  if (!found) throw new EvaluationFault(`${fn} interval must be one of ${INTERVALS.join(', ')}`);
  return found;
}

function requireDate(v: Value, what: string): DateTimeValue | null {
  return toDateTime(v, what);
}

/** .NET AddMonths: clamps the day to the end of the target month. */
function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const target = new Date(
    Date.UTC(y, m, 1, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()),
  );
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return target.getTime();
}

/** Round half to even, as .NET's Convert.ToInt64(double) does. */
function roundEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

const UNIT_MS: Record<'d' | 'ww' | 'h' | 'n' | 's', number> = {
  d: 86_400_000,
  ww: 604_800_000,
  h: 3_600_000,
  n: 60_000,
  s: 1000,
};

function formatOrFault(ms: number, format: string): string {
  try {
    return formatDate(ms, format);
  } catch (err) {
    if (err instanceof DateFormatError) throw new EvaluationFault(`FormatDateTime: ${err.message}`);
    throw err;
  }
}

const DATE_TIME_STYLES = [
  'None',
  'AllowLeadingWhite',
  'AllowTrailingWhite',
  'AllowInnerWhite',
  'AllowWhiteSpaces',
  'NoCurrentDateDefault',
  'AdjustToUniversal',
  'AssumeLocal',
  'AssumeUniversal',
  'RoundtripKind',
];

export const DATE_FUNCTIONS: Record<string, FunctionImpl> = {
  CDate: (a) => requireDate(a.value(0), 'CDate expression'),
  Now: (_a, rt) => dateTime(rt.nowMs),
  DateAdd: (a) => {
    const unit = interval(a.value(0), 'DateAdd');
    const n = toNumber(a.value(1), 'DateAdd value');
    const d = requireDate(a.value(2), 'DateAdd dateTime');
    if (d === null) return null;
    const whole = Math.trunc(n);
    switch (unit) {
      case 'yyyy':
        return dateTime(addMonths(d.ms, whole * 12));
      case 'm':
        return dateTime(addMonths(d.ms, whole));
      default:
        return dateTime(d.ms + n * UNIT_MS[unit]);
    }
  },
  // date2 - date1: calendar years/months for yyyy and m, rounded elapsed units otherwise (matches the
  // documented examples, e.g. 2012-03-16 vs 8/25/2021 → -3449 days, -493 weeks, -113 months, -9 years).
  DateDiff: (a) => {
    const unit = interval(a.value(0), 'DateDiff');
    const d1 = requireDate(a.value(1), 'DateDiff date1');
    const d2 = requireDate(a.value(2), 'DateDiff date2');
    if (d1 === null || d2 === null) return null;
    const x = new Date(d1.ms);
    const y = new Date(d2.ms);
    if (unit === 'yyyy') return y.getUTCFullYear() - x.getUTCFullYear();
    if (unit === 'm')
      return (y.getUTCFullYear() - x.getUTCFullYear()) * 12 + (y.getUTCMonth() - x.getUTCMonth());
    return roundEven((d2.ms - d1.ms) / UNIT_MS[unit]) + 0;
  },
  DateFromNum: (a) => {
    const v = a.value(0);
    if (v === null) return null;
    const text = toText(v, 'DateFromNum value');
    if (text === null || !/^\s*-?\d+\s*$/.test(text))
      throw new EvaluationFault('DateFromNum value must be a whole number');
    const ms = BigInt(text.trim()) / 10_000n - EPOCH_DIFF_MS;
    return dateTime(Number(ms));
  },
  NumFromDate: (a) => {
    const v = a.value(0);
    if (v === null) return null;
    let ms: number;
    if (isDateTime(v)) ms = v.ms;
    else {
      const text = toText(v, 'NumFromDate value');
      const p = text === null ? undefined : parseDateLoose(text);
      if (!p) throw new EvaluationFault('NumFromDate value is not an ISO 8601 date/time');
      ms = p.ms;
    }
    // Returned as text: FILETIME values exceed JavaScript's exact integer range.
    return ((BigInt(ms) + EPOCH_DIFF_MS) * 10_000n).toString();
  },
  FormatDateTime: (a) => {
    const four = a.count === 4;
    if (four && a.provided(1)) {
      const styles = (toText(a.value(1), 'FormatDateTime dateTimeStyles') ?? '')
        .split(/[,|]/)
        .map((s) => s.trim().replace(/^DateTimeStyles\./, ''));
      const bad = styles.find((s) => s !== '' && !DATE_TIME_STYLES.includes(s));
      if (bad !== undefined)
        throw new EvaluationFault(`FormatDateTime: "${bad}" is not a DateTimeStyles value`);
    }
    const inputFormat = toText(a.value(four ? 2 : 1), 'FormatDateTime inputFormat');
    const outputFormat = toText(a.value(four ? 3 : 2), 'FormatDateTime outputFormat');
    if (!inputFormat || !outputFormat)
      throw new EvaluationFault('FormatDateTime needs inputFormat and outputFormat');
    const src = a.value(0);
    if (src === null) return null;
    if (isDateTime(src)) return formatOrFault(src.ms, outputFormat);
    const text = toText(src, 'FormatDateTime source');
    if (text === null || text.trim() === '') return null;
    let parsed;
    try {
      parsed = parseDateExact(text, inputFormat);
    } catch (err) {
      if (err instanceof DateFormatError) throw new EvaluationFault(`FormatDateTime: ${err.message}`);
      throw err;
    }
    if (!parsed) throw new EvaluationFault('FormatDateTime: source does not match inputFormat');
    return formatOrFault(parsed.ms, outputFormat);
  },
};
