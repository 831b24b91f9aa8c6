/**
 * Parse-once compilation: syntax, function names, argument counts and attribute names are all checked here,
 * at load time, so evaluation never meets a malformed expression.
 */
import type { ExprNode } from './ast';
import { ExpressionError } from './errors';
import { checkLiteralArguments } from './literal-checks';
import { parseExpression } from './parser';
import { IDENTIFIERS, SIGNATURES } from './signatures';

/** A checked expression: plain data, safe to serialise. Evaluate with `evaluateExpression`. */
export interface CompiledExpression {
  /** The expression text as written. */
  readonly source: string;
  readonly ast: ExprNode;
  /** Every attribute the expression reads, in order of first use. */
  readonly attributes: readonly string[];
  /** True when the top-level call is SelectUniqueValue (the value is a list of candidates). */
  readonly selectsUnique: boolean;
}

export interface CompileOptions {
  /** Attribute names that may be referenced; when absent any `[name]` is accepted. */
  readonly knownAttributes?: ReadonlySet<string>;
}

/**
 * Compiles an expression. Throws the first `ExpressionError` found (codes TENURE_EXPR_SYNTAX,
 * TENURE_EXPR_UNKNOWN_FUNCTION, TENURE_EXPR_ARITY, TENURE_EXPR_UNKNOWN_ATTRIBUTE, TENURE_EXPR_INVALID_ARGUMENT,
 * TENURE_EXPR_TOO_LONG).
 */
export function compileExpression(source: string, options: CompileOptions = {}): CompiledExpression {
  const ast = parseExpression(source);
  const attributes: string[] = [];
  const fail = (code: ExpressionError['code'], message: string, node: { span: ExprNode['span'] }): never => {
    throw new ExpressionError(code, message, source, node.span);
  };

  const visit = (node: ExprNode, topLevel: boolean): void => {
    switch (node.kind) {
      case 'attribute':
        if (options.knownAttributes && !options.knownAttributes.has(node.name)) {
          fail('TENURE_EXPR_UNKNOWN_ATTRIBUTE', `unknown attribute [${node.name}]`, node);
        }
        if (!attributes.includes(node.name)) attributes.push(node.name);
        return;
      case 'identifier':
        if (!IDENTIFIERS.has(node.name)) {
          const hint = SIGNATURES.has(node.name) ? ` (call it as ${node.name}(…))` : '';
          fail('TENURE_EXPR_SYNTAX', `unexpected word "${node.name}"${hint}`, node);
        }
        return;
      case 'compare':
        visit(node.left, false);
        visit(node.right, false);
        return;
      case 'call': {
        const sig = SIGNATURES.get(node.name);
        if (!sig) {
          const near = [...SIGNATURES.keys()].find((k) => k.toLowerCase() === node.name.toLowerCase());
          const hint = near ? ` (names are case-sensitive: did you mean ${near}?)` : '';
          fail('TENURE_EXPR_UNKNOWN_FUNCTION', `unknown function ${node.name}${hint}`, {
            span: node.nameSpan,
          });
        }
        const n = node.args.length;
        if (n < sig!.minArgs || n > sig!.maxArgs) {
          const expected =
            sig!.minArgs === sig!.maxArgs
              ? `${sig!.minArgs}`
              : sig!.maxArgs === Number.POSITIVE_INFINITY
                ? `at least ${sig!.minArgs}`
                : `${sig!.minArgs} to ${sig!.maxArgs}`;
          fail('TENURE_EXPR_ARITY', `${node.name} takes ${expected} argument(s), got ${n}`, node);
        }
        const extra = sig!.checkCount?.(n);
        if (extra) fail('TENURE_EXPR_ARITY', `${node.name}: ${extra}`, node);
        if (node.name === 'SelectUniqueValue' && !topLevel) {
          fail('TENURE_EXPR_INVALID_ARGUMENT', 'SelectUniqueValue must be the outermost function', {
            span: node.nameSpan,
          });
        }
        const literalProblem = checkLiteralArguments(node);
        if (literalProblem) fail('TENURE_EXPR_INVALID_ARGUMENT', literalProblem[1], literalProblem[0]);
        for (const arg of node.args) visit(arg, false);
        return;
      }
      default:
        return;
    }
  };
  visit(ast, true);
  return {
    source,
    ast,
    attributes,
    selectsUnique: ast.kind === 'call' && ast.name === 'SelectUniqueValue',
  };
}
