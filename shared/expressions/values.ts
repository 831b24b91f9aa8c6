/**
 * Run-time values of the expression language and the conversions Microsoft's functions apply. Strings are the
 * native type; booleans print as "True"/"False" (as .NET does) and DateTime values as `M/d/yyyy h:mm:ss tt`
 * in UTC.
 */
import { parseDateLoose } from './dotnet-date-parse';
import { formatDisplayDate } from './dotnet-datetime';
import { EvaluationFault } from './errors';

/** A DateTime (UTC instant in milliseconds), as CDate, DateAdd, DateFromNum and Now return. */
export interface DateTimeValue {
  readonly kind: 'datetime';
  readonly ms: number;
}

export type ScalarValue = string | number | boolean | DateTimeValue;
/** `null` is absence; an array is a multi-valued attribute. */
export type Value = null | ScalarValue | readonly ScalarValue[];

export function dateTime(ms: number): DateTimeValue {
  return { kind: 'datetime', ms };
}

export function isDateTime(v: unknown): v is DateTimeValue {
  return typeof v === 'object' && v !== null && (v as DateTimeValue).kind === 'datetime';
}

export function scalarText(v: ScalarValue): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return formatDisplayDate(v.ms);
}

/** Text of a single value; null stays null. A multi-valued value is an error for functions that need one string. */
export function toText(v: Value, what: string): string | null {
  if (v === null) return null;
  if (Array.isArray(v)) {
    if (v.length === 0) return null;
    if (v.length === 1) return scalarText(v[0]);
    throw new EvaluationFault(`${what} expects a single value, got a multi-valued attribute`);
  }
  return scalarText(v as ScalarValue);
}

export function isNullOrEmpty(v: Value): boolean {
  return v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

/** Integer argument; strings holding integers are accepted. */
export function toInteger(v: Value, what: string): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n)) throw new EvaluationFault(`${what} must be a whole number`);
  return n;
}

export function toNumber(v: Value, what: string): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n)) throw new EvaluationFault(`${what} must be a number`);
  return n;
}

/** DateTime argument: a DateTime value, or a string .NET's DateTime.Parse would accept. */
export function toDateTime(v: Value, what: string): DateTimeValue | null {
  if (v === null) return null;
  if (isDateTime(v)) return v;
  const text = toText(v, what);
  if (text === null || text.trim() === '') return null;
  const p = parseDateLoose(text);
  if (!p) throw new EvaluationFault(`${what} is not a recognised date/time`);
  return dateTime(p.ms);
}

/** Boolean meaning as CBool and IIF conditions use it: booleans, "True"/"False", and non-zero numbers. */
export function toBoolean(v: Value, what: string): boolean {
  if (v === null) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  const t = toText(v, what);
  if (t === null || t === '') return false;
  if (/^true$/i.test(t.trim())) return true;
  if (/^false$/i.test(t.trim())) return false;
  const n = Number(t);
  if (Number.isFinite(n)) return n !== 0;
  throw new EvaluationFault(`${what} cannot be read as True or False`);
}

/** Applies a string function to each value of a multi-valued value; null passes through. */
export function mapText(v: Value, fn: (s: string) => string): Value {
  if (v === null) return null;
  if (Array.isArray(v)) return v.map((x) => fn(scalarText(x)));
  return fn(scalarText(v as ScalarValue));
}

/** Plain JSON form of a value for output (DateTime values become their display text). */
export function toJsonValue(v: Value): string | number | boolean | null | (string | number | boolean)[] {
  if (v === null) return null;
  if (Array.isArray(v))
    return v.map((x) => (isDateTime(x) ? scalarText(x) : (x as string | number | boolean)));
  return isDateTime(v) ? scalarText(v) : (v as string | number | boolean);
}
