// $select: the default property set when absent; Graph's 400 for a property the type does not have.
import { GraphError } from '../kernel/errors';

export function selectProperties(
  view: Record<string, unknown>,
  selected: string[] | undefined,
  defaults: readonly string[],
  selectable: readonly string[],
  typeName: string,
): Record<string, unknown> {
  const names = selected ?? defaults;
  const out: Record<string, unknown> = {};
  for (const n of names) {
    if (n === '*') {
      for (const d of defaults) out[d] = view[d] ?? null;
      continue;
    }
    const known = selectable.find((s) => s.toLowerCase() === n.toLowerCase());
    if (!known)
      throw new GraphError(
        400,
        'BadRequest',
        `Parsing OData Select and Expand failed: Could not find a property named '${n}' on type '${typeName}'.`,
      );
    out[known] = view[known] ?? null;
  }
  return out;
}
