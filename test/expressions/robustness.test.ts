/** Arbitrary input never crashes the compiler or evaluator with anything but a coded ExpressionError. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileExpression } from '../../shared/expressions/compiler';
import { ExpressionError } from '../../shared/expressions/errors';
import { evaluateExpression, seededRandom } from '../../shared/expressions/evaluate';
import { SIGNATURES } from '../../shared/expressions/signatures';

const NAMES = [...SIGNATURES.keys()];
const ATOMS = [
  '[a]',
  '[m]',
  '[n]',
  '"x"',
  '""',
  '"2021-01-01"',
  '1',
  '-3',
  '&H10',
  'vbTextCompare',
  ' ',
  ',',
  '(',
  ')',
  '=',
  '>',
  '"\\""',
];

function randomExpression(rand: () => number, depth: number): string {
  if (depth === 0 || rand() < 0.3) return ATOMS[Math.floor(rand() * ATOMS.length)];
  const name = NAMES[Math.floor(rand() * NAMES.length)];
  const n = Math.floor(rand() * 5);
  const args = Array.from({ length: n }, () => (rand() < 0.1 ? '' : randomExpression(rand, depth - 1)));
  return `${name}(${args.join(', ')})`;
}

describe('robustness', () => {
  it('2,000 random expressions compile and evaluate or fail with an ExpressionError', () => {
    const rand = seededRandom(2024);
    let evaluated = 0;
    for (let i = 0; i < 2000; i++) {
      const src = randomExpression(rand, 3);
      try {
        const compiled = compileExpression(src);
        evaluateExpression(compiled, {
          attributes: { a: 'Zoë Smith', m: ['x', 'y'], n: 42 },
          now: new Date('2024-01-01T00:00:00Z'),
          random: seededRandom(i),
          taken: (v) => v === 'x',
        });
        evaluated++;
      } catch (err) {
        assert.ok(err instanceof ExpressionError, `${src}: ${String(err)}`);
        assert.match(err.code, /^TENURE_EXPR_/);
      }
    }
    assert.ok(evaluated > 100, `only ${evaluated} evaluated`);
  });
});
