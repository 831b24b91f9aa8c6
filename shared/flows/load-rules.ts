/** Loading of conditions (scoping-filter form) and of group / licence rules. */
import { isMap, isSeq } from 'yaml';
import type {
  Condition,
  ConditionOperator,
  ConditionStatement,
  EntitlementRule,
  EntitlementRules,
  ExclusiveSet,
} from './model';
import {
  readMap,
  readNumber,
  readScalarText,
  readSeq,
  readString,
  readStringList,
  required,
  type Located,
  type YamlContext,
} from './yaml-reader';

export const CONDITION_OPERATORS: readonly ConditionOperator[] = [
  'EQUALS',
  'NOT EQUALS',
  'IS TRUE',
  'IS FALSE',
  'IS NULL',
  'IS NOT NULL',
  'REGEX MATCH',
  'NOT REGEX MATCH',
  'GREATER_THAN',
  'GREATER_THAN_OR_EQUALS',
  'LESS_THAN',
  'LESS_THAN_OR_EQUALS',
  'INCLUDES',
  'NOT INCLUDES',
];

const UNARY: readonly ConditionOperator[] = ['IS TRUE', 'IS FALSE', 'IS NULL', 'IS NOT NULL'];

function readStatement(
  ctx: YamlContext,
  at: Located,
  fields: ReadonlySet<string>,
): ConditionStatement | undefined {
  const m = readMap(ctx, at, ['attribute', 'operator', 'value']);
  if (!m) return undefined;
  const attrAt = required(ctx, m, at, 'attribute');
  const opAt = required(ctx, m, at, 'operator');
  const attribute = attrAt && readString(ctx, attrAt);
  if (attrAt && attribute !== undefined && !fields.has(attribute)) {
    ctx.report(attrAt, `unknown HR field "${attribute}" (not in hr.fields)`);
  }
  let operator: ConditionOperator | undefined;
  if (opAt) {
    const raw = readString(ctx, opAt);
    // Accept Entra's spellings with spaces or underscores, any case.
    const norm = raw?.trim().toUpperCase().replace(/\s+/g, ' ');
    operator = CONDITION_OPERATORS.find(
      (o) => o === norm || o.replace(/ /g, '_') === norm?.replace(/ /g, '_'),
    );
    if (raw !== undefined && !operator)
      ctx.report(opAt, `unknown operator "${raw}" (one of: ${CONDITION_OPERATORS.join(', ')})`);
  }
  const valueAt = m.get('value');
  let value: string | undefined;
  if (operator && UNARY.includes(operator)) {
    if (valueAt) ctx.report(valueAt, `operator ${operator} takes no value`);
  } else if (operator) {
    if (!valueAt) ctx.report(at, `operator ${operator} needs a "value"`);
    else {
      value = readScalarText(ctx, valueAt);
      if (value !== undefined && (operator === 'REGEX MATCH' || operator === 'NOT REGEX MATCH')) {
        try {
          new RegExp(value, 'u');
        } catch {
          ctx.report(valueAt, 'invalid regular expression');
        }
      }
      if (value !== undefined && /^(GREATER|LESS)/.test(operator) && !/^-?\d+$/.test(value.trim())) {
        ctx.report(valueAt, `operator ${operator} compares integers; "${value}" is not an integer`);
      }
    }
  }
  if (attribute === undefined || !operator) return undefined;
  return value === undefined ? { attribute, operator } : { attribute, operator, value };
}

function readClause(
  ctx: YamlContext,
  at: Located,
  fields: ReadonlySet<string>,
): ConditionStatement[] | undefined {
  if (isSeq(at.node)) {
    const items = readSeq(ctx, at) ?? [];
    const out = items.map((i) => readStatement(ctx, i, fields));
    return out.every((s) => s) ? (out as ConditionStatement[]) : undefined;
  }
  if (isMap(at.node) && at.node.items.some((p) => (p.key as { value?: unknown })?.value === 'allOf')) {
    const m = readMap(ctx, at, ['allOf']);
    const inner = m?.get('allOf');
    return inner ? readClause(ctx, inner, fields) : undefined;
  }
  const s = readStatement(ctx, at, fields);
  return s ? [s] : undefined;
}

/**
 * Reads a condition. Forms: one statement `{attribute, operator, value}`; a list of statements or
 * `{allOf: [...]}` (all must hold); `{anyOf: [clause, …]}` (any clause holds; AND within, OR across).
 */
export function readCondition(
  ctx: YamlContext,
  at: Located,
  fields: ReadonlySet<string>,
): Condition | undefined {
  if (isMap(at.node) && at.node.items.some((p) => (p.key as { value?: unknown })?.value === 'anyOf')) {
    const m = readMap(ctx, at, ['anyOf']);
    const list = m?.get('anyOf');
    const clauses = list ? readSeq(ctx, list) : undefined;
    if (!clauses) return undefined;
    if (clauses.length === 0) return void ctx.report(list!, 'anyOf needs at least one clause');
    const out = clauses.map((c) => readClause(ctx, c, fields));
    return out.every((c) => c) ? { anyOf: out.map((c) => ({ allOf: c! })) } : undefined;
  }
  const clause = readClause(ctx, at, fields);
  if (clause && clause.length === 0) return void ctx.report(at, 'a condition needs at least one statement');
  return clause ? { anyOf: [{ allOf: clause }] } : undefined;
}

const EMPTY_RULES: EntitlementRules = { defaults: [], rules: [], exclusive: [] };

/** Reads `groups:` or `licenses:` (refs are GUIDs or names the engine resolves). */
export function readEntitlements(
  ctx: YamlContext,
  at: Located | undefined,
  fields: ReadonlySet<string>,
): EntitlementRules {
  if (!at) return EMPTY_RULES;
  const m = readMap(ctx, at, ['default', 'rules', 'exclusive']);
  if (!m) return EMPTY_RULES;
  const defAt = m.get('default');
  const defaults = (defAt && readStringList(ctx, defAt)) ?? [];
  const rules: EntitlementRule[] = [];
  const rulesAt = m.get('rules');
  for (const r of (rulesAt && readSeq(ctx, rulesAt)) ?? []) {
    const rm = readMap(ctx, r, ['when', 'grant']);
    if (!rm) continue;
    const whenAt = required(ctx, rm, r, 'when');
    const grantAt = required(ctx, rm, r, 'grant');
    const when = whenAt && readCondition(ctx, whenAt, fields);
    const grant = grantAt && readStringList(ctx, grantAt);
    if (grantAt && grant && grant.length === 0) ctx.report(grantAt, 'grant needs at least one entry');
    if (when && grant) rules.push({ when, grant });
  }
  const exclusive: ExclusiveSet[] = [];
  const exAt = m.get('exclusive');
  for (const e of (exAt && readSeq(ctx, exAt)) ?? []) {
    const em = readMap(ctx, e, ['name', 'members']);
    if (!em) continue;
    const nameAt = required(ctx, em, e, 'name');
    const membersAt = required(ctx, em, e, 'members');
    const name = nameAt && readString(ctx, nameAt);
    const members: { ref: string; priority: number }[] = [];
    for (const mem of (membersAt && readSeq(ctx, membersAt)) ?? []) {
      const mm = readMap(ctx, mem, ['ref', 'priority']);
      if (!mm) continue;
      const refAt = required(ctx, mm, mem, 'ref');
      const prAt = required(ctx, mm, mem, 'priority');
      const ref = refAt && readString(ctx, refAt);
      const priority = prAt && readNumber(ctx, prAt, { integer: true, min: 0 });
      if (ref !== undefined && priority !== undefined) {
        if (members.some((x) => x.priority === priority))
          ctx.report(prAt!, `priority ${priority} is used twice in this set`);
        members.push({ ref, priority });
      }
    }
    if (membersAt && members.length < 2 && isSeq(membersAt.node))
      ctx.report(membersAt, 'an exclusive set needs at least two members');
    if (name !== undefined) exclusive.push({ name, members });
  }
  return { defaults, rules, exclusive };
}
