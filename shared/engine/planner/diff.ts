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

/** Attributes whose desired value differs from the observed one: [before, after]. */
export function diffAttributes(
  desired: Readonly<Record<string, JsonValue>>,
  observed: Readonly<Record<string, JsonValue>>,
): { before: Record<string, JsonValue>; after: Record<string, JsonValue> } {
  const before: Record<string, JsonValue> = {};
  const after: Record<string, JsonValue> = {};
  for (const key of Object.keys(desired).sort()) {
    if (sameValue(desired[key], observed[key])) continue;
    before[key] = observed[key] ?? null;
    after[key] = desired[key];
  }
  return { before, after };
}
