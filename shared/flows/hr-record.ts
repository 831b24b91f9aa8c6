/**
 * Validates and coerces one raw HR record against the flow's HR data definition. Shared by HR ingestion
 * (CSV, SCIM/API) and the example runner, so both accept exactly the same input.
 *
 * Normal forms: string → string; number → number; boolean → boolean; date → `yyyy-MM-dd` (the calendar
 * date as written, offsets ignored); datetime → ISO 8601 UTC `yyyy-MM-ddTHH:mm:ssZ` (text without an offset
 * is read in the worker's time zone). Empty strings, null and absent fields are all "absent" (null).
 * Reasons name the problem, never the value (values may be personal data).
 */
import { parseDateExact, parseDateLoose, type ParsedDate } from '../expressions/dotnet-date-parse';
import { formatDate } from '../expressions/dotnet-datetime';
import type { Flow, HrField } from './model';
import { isIanaZone, wallOffsetMinutes, workerTimeZone } from './time-zone';

export type HrValue = string | number | boolean | null | readonly string[];
export type HrRecord = Readonly<Record<string, HrValue>>;

export interface HrFieldError {
  readonly field: string;
  readonly reason: string;
}

export type HrRecordResult =
  | { readonly ok: true; readonly record: HrRecord }
  | { readonly ok: false; readonly errors: readonly HrFieldError[] };

const TRUE_WORDS = ['true', 'yes', 'y', '1'];
const FALSE_WORDS = ['false', 'no', 'n', '0'];

function isAbsent(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
}

function parseDateText(
  text: string,
  field: HrField,
  assume?: (wallMs: number) => number,
): ParsedDate | undefined {
  if (field.formats.length === 0) return parseDateLoose(text, assume);
  for (const f of field.formats) {
    const p = parseDateExact(text, f, assume);
    if (p) return p;
  }
  return undefined;
}

type Coerced = { value: HrValue } | { reason: string };

function coerceScalar(field: HrField, v: unknown, zone: string): Coerced {
  switch (field.type) {
    case 'string':
      if (typeof v === 'string') return { value: v };
      if (typeof v === 'number' || typeof v === 'boolean') return { value: String(v) };
      return { reason: 'expected text' };
    case 'number': {
      const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v.trim()) : NaN;
      return Number.isFinite(n) ? { value: n } : { reason: 'expected a number' };
    }
    case 'boolean': {
      if (typeof v === 'boolean') return { value: v };
      const w = String(v).trim().toLowerCase();
      if (typeof v !== 'object' && TRUE_WORDS.includes(w)) return { value: true };
      if (typeof v !== 'object' && FALSE_WORDS.includes(w)) return { value: false };
      return { reason: 'expected true or false' };
    }
    case 'date': {
      if (typeof v !== 'string') return { reason: 'expected a date string' };
      const p = parseDateText(v, field);
      if (!p)
        return { reason: `not a date in an accepted format (${field.formats.join(', ') || 'ISO 8601'})` };
      return { value: formatDate(p.ms + p.offsetMinutes * 60_000, 'yyyy-MM-dd') };
    }
    case 'datetime': {
      if (typeof v !== 'string') return { reason: 'expected a date-time string' };
      const p = parseDateText(v, field, (wall) => wallOffsetMinutes(zone, wall));
      if (!p)
        return {
          reason: `not a date-time in an accepted format (${field.formats.join(', ') || 'ISO 8601'})`,
        };
      return { value: formatDate(p.ms, "yyyy-MM-dd'T'HH:mm:ss'Z'") };
    }
  }
}

/** Graph limits `employeeId` to 16 characters; a longer join key could never be written or matched. */
export const EMPLOYEE_ID_MAX_LENGTH = 16;

/**
 * Validates one raw record. Pass the whole flow (or at least `hr` and `matching`) so the join key is checked
 * against Entra's `employeeId` limit too.
 */
export function parseHrRecord(
  flow: Pick<Flow, 'hr'> & Partial<Pick<Flow, 'matching'>>,
  raw: Readonly<Record<string, unknown>>,
): HrRecordResult {
  const errors: HrFieldError[] = [];
  const byName = new Map(flow.hr.fields.map((f) => [f.name, f]));
  for (const key of Object.keys(raw)) {
    if (!byName.has(key)) errors.push({ field: key, reason: 'unknown field (not in hr.fields)' });
  }
  const tz = flow.hr.timeZone;
  if (
    tz.kind === 'field' &&
    !isAbsent(raw[tz.field]) &&
    !(typeof raw[tz.field] === 'string' && isIanaZone(String(raw[tz.field]).trim()))
  ) {
    errors.push({ field: tz.field, reason: 'not an IANA time zone' });
  }
  const zone = workerTimeZone(flow, raw);
  const record: Record<string, HrValue> = {};
  for (const field of flow.hr.fields) {
    const v = raw[field.name];
    if (isAbsent(v) || (Array.isArray(v) && v.length === 0)) {
      if (field.required) errors.push({ field: field.name, reason: 'required' });
      record[field.name] = null;
      continue;
    }
    if (field.multiValued) {
      const list = Array.isArray(v) ? v : [v];
      const bad = list.find((x) => typeof x !== 'string' && typeof x !== 'number');
      if (bad !== undefined) errors.push({ field: field.name, reason: 'expected a list of text values' });
      else record[field.name] = list.map(String).filter((x) => x.trim() !== '');
      continue;
    }
    if (Array.isArray(v)) {
      errors.push({ field: field.name, reason: 'expected a single value, got a list' });
      continue;
    }
    const c = coerceScalar(field, v, zone);
    if ('reason' in c) errors.push({ field: field.name, reason: c.reason });
    else record[field.name] = c.value;
  }
  const joinKey = flow.matching?.joinKey;
  const id = joinKey === undefined ? null : record[joinKey];
  if (
    joinKey !== undefined &&
    id !== null &&
    id !== undefined &&
    String(id).length > EMPLOYEE_ID_MAX_LENGTH
  ) {
    errors.push({
      field: joinKey,
      reason: `longer than ${EMPLOYEE_ID_MAX_LENGTH} characters (the Entra employeeId limit)`,
    });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, record };
}
