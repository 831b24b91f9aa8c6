/** Compiles an expression found in a flow file, mapping expression errors onto the file's line and column. */
import { compileExpression, type CompiledExpression } from '../expressions/compiler';
import { ExpressionError } from '../expressions/errors';
import { readString, valueIndexToOffset, type Located, type YamlContext } from './yaml-reader';

export function readExpression(
  ctx: YamlContext,
  at: Located,
  knownAttributes: ReadonlySet<string>,
): CompiledExpression | undefined {
  const source = readString(ctx, at);
  if (source === undefined) return undefined;
  try {
    return compileExpression(source, { knownAttributes });
  } catch (err) {
    if (!(err instanceof ExpressionError)) throw err;
    const extra = err.code === 'TENURE_EXPR_UNKNOWN_ATTRIBUTE' ? ' (not a field of hr.fields)' : '';
    ctx.reportAt(valueIndexToOffset(ctx, at, err.span.start), at.path, `${err.code}: ${err.detail}${extra}`);
    return undefined;
  }
}
