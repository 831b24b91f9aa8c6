/** Multi-valued functions: Count, Item, Join, RemoveDuplicates, SingleAppRoleAssignment, Split. */
import { EvaluationFault } from '../errors';
import type { FunctionImpl } from '../runtime';
import { scalarText, toInteger, toText, type ScalarValue, type Value } from '../values';

function asList(v: Value): readonly ScalarValue[] {
  if (v === null) return [];
  return Array.isArray(v) ? v : [v as ScalarValue];
}

export const MULTI_FUNCTIONS: Record<string, FunctionImpl> = {
  Count: (a) => asList(a.value(0)).length,
  Item: (a) => {
    const index = toInteger(a.value(1), 'Item index');
    if (index < 1) throw new EvaluationFault('Item index starts at 1');
    return asList(a.value(0))[index - 1] ?? null;
  },
  // Null and empty sources are left out, so `Join(", ", "", [surname], [givenName])` gives "Doe, John".
  Join: (a) => {
    const sep = toText(a.value(0), 'Join separator') ?? '';
    const parts: string[] = [];
    for (let i = 1; i < a.count; i++) {
      for (const v of asList(a.value(i))) {
        const s = scalarText(v);
        if (s !== '') parts.push(s);
      }
    }
    return parts.length === 0 ? null : parts.join(sep);
  },
  RemoveDuplicates: (a) => {
    const v = a.value(0);
    if (!Array.isArray(v)) return v;
    const seen = new Set<string>();
    return v.filter((x) => {
      const k = scalarText(x);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  },
  SingleAppRoleAssignment: (a) => {
    const list = asList(a.value(0));
    if (list.length > 1)
      throw new EvaluationFault('SingleAppRoleAssignment: more than one app role assignment');
    return list[0] ?? null;
  },
  // Items are trimmed, as Microsoft's example shows ("PermissionSetOne, PermissionSetTwo" → two clean values).
  Split: (a) => {
    const s = toText(a.value(0), 'Split source');
    const d = toText(a.value(1), 'Split delimiter');
    if (s === null) return null;
    if (!d) throw new EvaluationFault('Split delimiter must not be empty');
    return s.split(d).map((x) => x.trim());
  },
};
