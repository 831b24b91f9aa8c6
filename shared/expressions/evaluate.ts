/**
 * Evaluates a compiled expression against one record. Pure: the clock, the random source and the directory's
 * used values are all injected, so the same inputs always give the same result.
 */
import type { ComparisonOperator, ExprNode } from './ast';
import type { CompiledExpression } from './compiler';
import { EvaluationFault, ExpressionError } from './errors';
import { IMPLEMENTATIONS } from './functions/index';
import { SkipAttribute, type Args, type Runtime } from './runtime';
import { isDateTime, scalarText, toJsonValue, type ScalarValue, type Value } from './values';

export interface EvaluationContext {
  /** Attribute (HR field) values; absent or null means no value. Lists are multi-valued attributes. */
  readonly attributes: Readonly<Record<string, unknown>>;
  /** The frozen "now" (Now(), DateDiff against Now()). */
  readonly now: Date;
  /** Uniform random numbers in [0, 1) (Guid, RandomString). Use `seededRandom` for reproducible runs. */
  readonly random: () => number;
  /** Values already used in the directory; SelectUniqueValue returns the first candidate not taken. */
  readonly taken?: (value: string) => boolean;
}

export type JsonValue = string | number | boolean | null | (string | number | boolean)[];

interface ResultMeta {
  /** True when Redact was applied: print "[Redact]" instead of the value in logs and plans. */
  readonly redacted: boolean;
  /** SelectUniqueValue's candidates in order (for the reconciler's uniqueness step). */
  readonly candidates?: readonly string[];
}

/** `skip`: the attribute is left out of the flow (null result, or IgnoreFlowIfNullOrEmpty on an empty value). */
export type EvaluationResult = (
  { readonly kind: 'value'; readonly value: JsonValue } | { readonly kind: 'skip' }
) &
  ResultMeta;

function attributeValue(raw: unknown, name: string): Value {
  if (raw === undefined || raw === null) return null;
  if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') return raw;
  if (raw instanceof Date) return { kind: 'datetime', ms: raw.getTime() };
  if (Array.isArray(raw)) {
    return raw
      .filter((x) => x !== null && x !== undefined)
      .map((x) => {
        if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') return x;
        throw new EvaluationFault(`attribute [${name}] holds a value of an unsupported type`);
      });
  }
  throw new EvaluationFault(`attribute [${name}] holds a value of an unsupported type`);
}

function compareScalars(op: ComparisonOperator, l: Value, r: Value): boolean {
  const single = (v: Value): ScalarValue | null =>
    Array.isArray(v) ? ((v[0] as ScalarValue | undefined) ?? null) : (v as ScalarValue | null);
  const a = single(l);
  const b = single(r);
  if (op === '=' || op === '<>') {
    const eq =
      isDateTime(a) && isDateTime(b)
        ? a.ms === b.ms
        : typeof a === 'number' && typeof b === 'number'
          ? a === b
          : (a === null ? '' : scalarText(a)) === (b === null ? '' : scalarText(b));
    return op === '=' ? eq : !eq;
  }
  if (a === null || b === null) return false;
  let cmp: number;
  const na = typeof a === 'number' ? a : Number(scalarText(a));
  const nb = typeof b === 'number' ? b : Number(scalarText(b));
  if (isDateTime(a) && isDateTime(b)) cmp = a.ms - b.ms;
  else if (
    Number.isFinite(na) &&
    Number.isFinite(nb) &&
    scalarText(a).trim() !== '' &&
    scalarText(b).trim() !== ''
  )
    cmp = na - nb;
  else cmp = scalarText(a) < scalarText(b) ? -1 : scalarText(a) > scalarText(b) ? 1 : 0;
  switch (op) {
    case '>':
      return cmp > 0;
    case '>=':
      return cmp >= 0;
    case '<':
      return cmp < 0;
    default:
      return cmp <= 0;
  }
}

function exactIntegerText(raw: string): string {
  return /^&h/i.test(raw) ? BigInt(`0x${raw.slice(2)}`).toString() : raw;
}

export function evaluateExpression(expr: CompiledExpression, ctx: EvaluationContext): EvaluationResult {
  let redacted = false;
  let candidates: readonly string[] | undefined;
  const rt: Runtime = {
    nowMs: ctx.now.getTime(),
    random: ctx.random,
    ...(ctx.taken ? { taken: ctx.taken } : {}),
    markRedacted: () => {
      redacted = true;
    },
    recordCandidates: (c) => {
      candidates = c;
    },
  };

  const evalNode = (node: ExprNode): Value => {
    switch (node.kind) {
      case 'string':
        return node.value;
      case 'number':
        // Integers beyond 2^53 (AD FILETIME values) stay exact as text.
        return Number.isSafeInteger(node.value) || !Number.isInteger(node.value)
          ? node.value
          : exactIntegerText(expr.source.slice(node.span.start, node.span.end));
      case 'attribute':
        return attributeValue(ctx.attributes[node.name], node.name);
      case 'identifier':
        return node.name;
      case 'empty':
        return null;
      case 'compare':
        return compareScalars(node.op, evalNode(node.left), evalNode(node.right));
      case 'call': {
        const impl = IMPLEMENTATIONS.get(node.name)!;
        const cache = new Map<number, Value>();
        const args: Args = {
          count: node.args.length,
          provided: (i) => i < node.args.length && node.args[i].kind !== 'empty',
          node: (i) => node.args[i],
          value: (i) => {
            if (i >= node.args.length) return null;
            if (!cache.has(i)) cache.set(i, evalNode(node.args[i]));
            return cache.get(i)!;
          },
        };
        try {
          return impl(args, rt);
        } catch (err) {
          if (err instanceof EvaluationFault) {
            throw new ExpressionError('TENURE_EXPR_EVALUATION', err.message, expr.source, node.span, {
              cause: err,
            });
          }
          throw err;
        }
      }
    }
  };

  let value: Value;
  try {
    value = evalNode(expr.ast);
  } catch (err) {
    if (err instanceof SkipAttribute)
      return { kind: 'skip', redacted, ...(candidates ? { candidates } : {}) };
    if (err instanceof EvaluationFault) {
      throw new ExpressionError('TENURE_EXPR_EVALUATION', err.message, expr.source, expr.ast.span, {
        cause: err,
      });
    }
    throw err;
  }
  const meta = { redacted, ...(candidates ? { candidates } : {}) };
  if (value === null) return { kind: 'skip', ...meta };
  return { kind: 'value', value: toJsonValue(value), ...meta };
}

/** Deterministic [0, 1) generator (mulberry32) for tests, `tenure test` and `tenure expr`. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
