/**
 * Condition evaluation with Entra scoping-filter semantics: statements in a clause are ANDed, clauses ORed.
 * EQUALS / NOT EQUALS / INCLUDES are case-sensitive; GREATER_THAN & co. compare integers (a non-integer
 * attribute never satisfies them); IS NULL holds for absent or empty values. On a multi-valued attribute a
 * positive operator holds when any value satisfies it, and its negation when none does.
 */
import type { Condition, ConditionStatement } from './model';

function values(raw: unknown): string[] {
  if (raw === null || raw === undefined) return [];
  const list = Array.isArray(raw) ? raw : [raw];
  return list
    .filter((v) => v !== null && v !== undefined && v !== '')
    .map((v) => (typeof v === 'boolean' ? (v ? 'true' : 'false') : String(v)));
}

const INTEGER = /^-?\d+$/;
const regexCache = new Map<string, RegExp>();

function regex(pattern: string): RegExp {
  let re = regexCache.get(pattern);
  if (!re) {
    re = new RegExp(pattern, 'u');
    regexCache.set(pattern, re);
  }
  return re;
}

function compareInt(vals: string[], target: string, ok: (a: number, b: number) => boolean): boolean {
  const b = Number(target);
  return vals.some((v) => INTEGER.test(v.trim()) && ok(Number(v), b));
}

export function evaluateStatement(s: ConditionStatement, record: Readonly<Record<string, unknown>>): boolean {
  const vals = values(record[s.attribute]);
  const target = s.value ?? '';
  switch (s.operator) {
    case 'EQUALS':
      return vals.some((v) => v === target);
    case 'NOT EQUALS':
      return !vals.some((v) => v === target);
    case 'IS TRUE':
      return vals.some((v) => v.toLowerCase() === 'true');
    case 'IS FALSE':
      return vals.some((v) => v.toLowerCase() === 'false');
    case 'IS NULL':
      return vals.length === 0;
    case 'IS NOT NULL':
      return vals.length > 0;
    case 'REGEX MATCH':
      return vals.some((v) => regex(target).test(v));
    case 'NOT REGEX MATCH':
      return !vals.some((v) => regex(target).test(v));
    case 'GREATER_THAN':
      return compareInt(vals, target, (a, b) => a > b);
    case 'GREATER_THAN_OR_EQUALS':
      return compareInt(vals, target, (a, b) => a >= b);
    case 'LESS_THAN':
      return compareInt(vals, target, (a, b) => a < b);
    case 'LESS_THAN_OR_EQUALS':
      return compareInt(vals, target, (a, b) => a <= b);
    case 'INCLUDES':
      return vals.some((v) => v.includes(target));
    case 'NOT INCLUDES':
      return !vals.some((v) => v.includes(target));
  }
}

/** True when any clause has all of its statements true for the record (HR field values). */
export function evaluateCondition(condition: Condition, record: Readonly<Record<string, unknown>>): boolean {
  return condition.anyOf.some((clause) => clause.allOf.every((s) => evaluateStatement(s, record)));
}
