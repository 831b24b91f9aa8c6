/** Shared helpers for expression tests: compile + evaluate with a frozen clock and seeded randomness. */
import { compileExpression } from '../../shared/expressions/compiler';
import { ExpressionError } from '../../shared/expressions/errors';
import {
  evaluateExpression,
  seededRandom,
  type EvaluationResult,
  type JsonValue,
} from '../../shared/expressions/evaluate';

export const FIXED_NOW = new Date('2021-08-25T17:41:18Z');

export interface RunOptions {
  readonly now?: Date;
  readonly seed?: number;
  readonly taken?: readonly string[];
}

export function evaluate(
  expr: string,
  attributes: Record<string, unknown> = {},
  opts: RunOptions = {},
): EvaluationResult {
  const taken = opts.taken;
  return evaluateExpression(compileExpression(expr), {
    attributes,
    now: opts.now ?? FIXED_NOW,
    random: seededRandom(opts.seed ?? 7),
    ...(taken ? { taken: (v: string) => taken.includes(v) } : {}),
  });
}

/** The value of an expression; fails the test when the attribute would be skipped. */
export function valueOf(
  expr: string,
  attributes: Record<string, unknown> = {},
  opts: RunOptions = {},
): JsonValue {
  const r = evaluate(expr, attributes, opts);
  if (r.kind !== 'value') throw new Error(`expected a value from ${expr}, got skip`);
  return r.value;
}

export function isSkipped(expr: string, attributes: Record<string, unknown> = {}): boolean {
  return evaluate(expr, attributes).kind === 'skip';
}

/** The ExpressionError thrown by compiling or evaluating; fails when none is thrown. */
export function errorOf(
  expr: string,
  attributes: Record<string, unknown> = {},
  knownAttributes?: string[],
): ExpressionError {
  try {
    const compiled = compileExpression(
      expr,
      knownAttributes ? { knownAttributes: new Set(knownAttributes) } : {},
    );
    evaluateExpression(compiled, { attributes, now: FIXED_NOW, random: seededRandom(1) });
  } catch (err) {
    if (err instanceof ExpressionError) return err;
    throw err;
  }
  throw new Error(`expected ${expr} to fail`);
}
