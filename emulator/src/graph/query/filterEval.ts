// Evaluates a parsed $filter against a Graph object view. Directory string comparisons are case-insensitive;
// DateTimeOffsets compare as instants.
import type { FilterNode, Literal } from './filterParser';

function getPath(obj: Record<string, unknown>, path: string[]): unknown {
  let cur: unknown = obj;
  for (const part of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    const rec = cur as Record<string, unknown>;
    const key = Object.keys(rec).find((k) => k.toLowerCase() === part.toLowerCase());
    cur = key === undefined ? undefined : rec[key];
  }
  return cur;
}

function isDateLike(v: unknown): v is string {
  return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}(T|$)/.test(v) && !Number.isNaN(Date.parse(v));
}

function compare(a: unknown, b: Literal): number | undefined {
  if (a === undefined || a === null || b === null) return undefined;
  if (isDateLike(a) && isDateLike(b)) return Date.parse(a) - Date.parse(b);
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  const sa = String(a).toLowerCase();
  const sb = String(b).toLowerCase();
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

function equals(a: unknown, b: Literal): boolean {
  if (b === null) return a === null || a === undefined || (Array.isArray(a) && a.length === 0);
  return compare(a, b) === 0;
}

export function evaluateFilter(
  node: FilterNode,
  obj: Record<string, unknown>,
  scope: Record<string, unknown> = {},
): boolean {
  const value = (path: string[]): unknown => {
    const head = path[0]!;
    if (head in scope)
      return path.length === 1 ? scope[head] : getPath(scope[head] as Record<string, unknown>, path.slice(1));
    return getPath(obj, path);
  };
  switch (node.kind) {
    case 'and':
      return evaluateFilter(node.left, obj, scope) && evaluateFilter(node.right, obj, scope);
    case 'or':
      return evaluateFilter(node.left, obj, scope) || evaluateFilter(node.right, obj, scope);
    case 'not':
      return !evaluateFilter(node.expr, obj, scope);
    case 'in': {
      const v = value(node.path);
      return node.values.some((x) => equals(v, x));
    }
    case 'fn': {
      const v = value(node.path);
      if (typeof v !== 'string') return false;
      const a = v.toLowerCase();
      const b = node.value.toLowerCase();
      return node.name === 'startswith' ? a.startsWith(b) : a.endsWith(b);
    }
    case 'any': {
      const coll = value(node.path);
      if (!Array.isArray(coll)) return false;
      return coll.some((item) => evaluateFilter(node.body, obj, { ...scope, [node.variable]: item }));
    }
    case 'cmp': {
      const v = value(node.path);
      if (node.op === 'eq') return equals(v, node.value);
      if (node.op === 'ne') return !equals(v, node.value);
      const c = compare(v, node.value);
      if (c === undefined) return false;
      if (node.op === 'ge') return c >= 0;
      if (node.op === 'le') return c <= 0;
      if (node.op === 'gt') return c > 0;
      return c < 0;
    }
  }
}
