// Attribute comparison with Graph's semantics: absent, null and '' are all "no value"; arrays compare as sets
// of values only where Graph treats them as sets (businessPhones keeps order, so compare in order).
import type { JsonValue } from '../plan/model';

function isEmpty(v: JsonValue | undefined): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

export function sameValue(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (isEmpty(a) && isEmpty(b)) return true;
  if (isEmpty(a) || isEmpty(b)) return false;
  if (typeof a === 'object' || typeof b === 'object') return JSON.stringify(a) === JSON.stringify(b);
  // Entra compares strings case-sensitively except the naming attributes, handled by the caller.
  return a === b;
}

/** Graph's DateTimeOffset attributes a flow may map; Graph answers them in UTC, to the second. */
const DATE_TIME_ATTRIBUTES: ReadonlySet<string> = new Set(['employeeHireDate', 'employeeLeaveDateTime']);

/** Whole seconds since the epoch, or undefined when the text is not a date-time with a zone. */
function instantSeconds(v: JsonValue | undefined): number | undefined {
  if (typeof v !== 'string' || !/T.*(Z|[+-]\d{2}:?\d{2})$/i.test(v.trim())) return undefined;
  const ms = Date.parse(v.trim());
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

/**
 * sameValue, plus instants for DateTimeOffset attributes: `2022-10-01T01:59:59.000+02:00` (a flow's form) equals
 * `2022-09-30T23:59:59Z` (Graph's). Compared to the second because Graph keeps no fractions.
 */
export function sameAttributeValue(
  attribute: string,
  a: JsonValue | undefined,
  b: JsonValue | undefined,
): boolean {
  if (DATE_TIME_ATTRIBUTES.has(attribute)) {
    const [x, y] = [instantSeconds(a), instantSeconds(b)];
    if (x !== undefined && y !== undefined) return x === y;
  }
  return sameValue(a, b);
}

/** Attributes whose desired value differs from the observed one: [before, after]. */
export function diffAttributes(
  desired: Readonly<Record<string, JsonValue>>,
  observed: Readonly<Record<string, JsonValue>>,
): { before: Record<string, JsonValue>; after: Record<string, JsonValue> } {
  const before: Record<string, JsonValue> = {};
  const after: Record<string, JsonValue> = {};
  for (const key of Object.keys(desired).sort()) {
    if (sameAttributeValue(key, desired[key], observed[key])) continue;
    before[key] = observed[key] ?? null;
    after[key] = desired[key];
  }
  return { before, after };
}
