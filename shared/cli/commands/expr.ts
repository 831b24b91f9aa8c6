/**
 * `tenure expr '<expression>' [--record '<json>'] [--now <ISO time>] [--taken a,b] [--seed n] [--json]`:
 * compiles and evaluates one expression. Prints the value; with --json prints {"value": …}, {"skip": true}
 * or {"error": "…"}. Exit 0 on a value or skip, 1 on an error.
 */
import { randomInt } from 'node:crypto';
import { compileExpression } from '../../expressions/compiler';
import { ExpressionError } from '../../expressions/errors';
import { evaluateExpression, seededRandom } from '../../expressions/evaluate';
import { takenSet } from '../../flows/mapping';
import { parseArgs } from '../args';
import { UsageError, type CliIo } from '../io';

function readRecord(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError('--record is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new UsageError('--record must be a JSON object');
  return parsed as Record<string, unknown>;
}

export function exprCommand(argv: readonly string[], io: CliIo): number {
  const args = parseArgs(argv, ['record', 'now', 'taken', 'seed'], ['json']);
  const json = args.flags.has('json');
  const fail = (message: string): number => {
    if (json) io.out(JSON.stringify({ error: message }));
    else io.err(`error: ${message}`);
    return 1;
  };
  try {
    if (args.positional.length !== 1) throw new UsageError('expr takes exactly one expression (quote it)');
    const record = readRecord(args.flags.get('record') as string | undefined);
    const nowText = args.flags.get('now') as string | undefined;
    const now = nowText === undefined ? new Date() : new Date(nowText);
    if (Number.isNaN(now.getTime()))
      throw new UsageError('--now must be an ISO 8601 time such as 2025-01-31T09:00:00Z');
    const seedText = args.flags.get('seed') as string | undefined;
    if (seedText !== undefined && !/^\d+$/.test(seedText))
      throw new UsageError('--seed must be a whole number');
    const random =
      seedText !== undefined ? seededRandom(Number(seedText)) : () => randomInt(0, 2 ** 48) / 2 ** 48;
    const takenText = args.flags.get('taken') as string | undefined;
    const taken =
      takenText === undefined
        ? undefined
        : takenSet(
            takenText
              .split(',')
              .map((s) => s.trim())
              .filter((s) => s !== ''),
          );
    const compiled = compileExpression(args.positional[0]);
    const result = evaluateExpression(compiled, {
      attributes: record,
      now,
      random,
      ...(taken ? { taken } : {}),
    });
    if (result.kind === 'skip') {
      io.out(json ? JSON.stringify({ skip: true }) : '(skipped: the attribute is left out of the flow)');
    } else if (json) {
      io.out(JSON.stringify({ value: result.value }));
    } else {
      const v = result.value;
      // Plain output prints text as the expression language does (booleans as True/False).
      io.out(typeof v === 'string' ? v : typeof v === 'boolean' ? (v ? 'True' : 'False') : JSON.stringify(v));
    }
    return 0;
  } catch (err) {
    if (err instanceof UsageError || err instanceof ExpressionError) return fail(err.message);
    throw err;
  }
}
