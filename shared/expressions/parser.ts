/**
 * Lexer and recursive-descent parser for Microsoft's attribute-mapping expression syntax:
 * `Fn(arg, …)`, `[attribute]`, `"string with \" escapes"`, numbers, `&H` hex numbers, bare identifiers
 * (`vbTextCompare`), omitted arguments (`Fn(a, , c)`) and one comparison (`[a] = "x"`, as IIF conditions use).
 */
import type { ComparisonOperator, ExprNode, Span } from './ast';
import { ExpressionError } from './errors';

type Token =
  | { t: 'string'; value: string; span: Span }
  | { t: 'number'; value: number; span: Span }
  | { t: 'attribute'; name: string; span: Span }
  | { t: 'ident'; name: string; span: Span }
  | { t: 'op'; op: ComparisonOperator; span: Span }
  | { t: '(' | ')' | ',' | 'eof'; span: Span };

/** Microsoft caps expressions at 10,000 characters; we keep the same cap so flows stay portable. */
export const MAX_EXPRESSION_LENGTH = 10_000;

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const fail = (message: string, start: number, end = start + 1): never => {
    throw new ExpressionError('TENURE_EXPR_SYNTAX', message, src, { start, end });
  };
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === '(' || c === ')' || c === ',') {
      tokens.push({ t: c, span: { start, end: i + 1 } });
      i++;
    } else if (c === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= src.length) fail('unterminated string literal', start);
        const d = src[i];
        if (d === '\\') {
          if (i + 1 >= src.length) fail('unterminated string literal', start);
          value += src[i + 1];
          i += 2;
        } else if (d === '"') {
          i++;
          break;
        } else {
          value += d;
          i++;
        }
      }
      tokens.push({ t: 'string', value, span: { start, end: i } });
    } else if (c === '[') {
      const close = src.indexOf(']', i + 1);
      if (close < 0) fail('unterminated attribute reference: missing "]"', start);
      const name = src.slice(i + 1, close).trim();
      if (name === '') fail('empty attribute reference "[]"', start, close + 1);
      i = close + 1;
      tokens.push({ t: 'attribute', name, span: { start, end: i } });
    } else if (c === '&' && (src[i + 1] === 'H' || src[i + 1] === 'h')) {
      const m = /^[0-9A-Fa-f]+/.exec(src.slice(i + 2));
      if (!m) fail('"&H" must be followed by hexadecimal digits', start, i + 2);
      i += 2 + m![0].length;
      tokens.push({ t: 'number', value: parseInt(m![0], 16), span: { start, end: i } });
    } else if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^-?[0-9]+(\.[0-9]+)?/.exec(src.slice(i))!;
      i += m[0].length;
      tokens.push({ t: 'number', value: Number(m[0]), span: { start, end: i } });
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))!;
      i += m[0].length;
      tokens.push({ t: 'ident', name: m[0], span: { start, end: i } });
    } else if (c === '=' || c === '<' || c === '>') {
      const two = src.slice(i, i + 2);
      const op: ComparisonOperator =
        two === '<>' || two === '>=' || two === '<=' ? two : (c as ComparisonOperator);
      i += op.length;
      tokens.push({ t: 'op', op, span: { start, end: i } });
    } else {
      fail(`unexpected character "${c}"`, start);
    }
  }
  tokens.push({ t: 'eof', span: { start: src.length, end: src.length } });
  return tokens;
}

/** Parses an expression into a syntax tree; throws `ExpressionError` (TENURE_EXPR_SYNTAX) on bad syntax. */
export function parseExpression(src: string): ExprNode {
  if (src.length > MAX_EXPRESSION_LENGTH) {
    throw new ExpressionError(
      'TENURE_EXPR_TOO_LONG',
      `expression is ${src.length} characters; the limit is ${MAX_EXPRESSION_LENGTH}`,
      src,
      { start: 0, end: 1 },
    );
  }
  const tokens = tokenize(src);
  let pos = 0;
  const peek = (): Token => tokens[pos];
  const fail = (message: string, span: Span): never => {
    throw new ExpressionError('TENURE_EXPR_SYNTAX', message, src, span);
  };
  const describe = (tok: Token): string =>
    tok.t === 'eof' ? 'end of expression' : `"${src.slice(tok.span.start, tok.span.end)}"`;

  function primary(): ExprNode {
    const tok = tokens[pos++];
    switch (tok.t) {
      case 'string':
        return { kind: 'string', value: tok.value, span: tok.span };
      case 'number':
        return { kind: 'number', value: tok.value, span: tok.span };
      case 'attribute':
        return { kind: 'attribute', name: tok.name, span: tok.span };
      case 'ident': {
        if (peek().t !== '(') return { kind: 'identifier', name: tok.name, span: tok.span };
        pos++;
        const args: ExprNode[] = [];
        if (peek().t === ')') {
          const close = tokens[pos++];
          return {
            kind: 'call',
            name: tok.name,
            args,
            span: { start: tok.span.start, end: close.span.end },
            nameSpan: tok.span,
          };
        }
        for (;;) {
          const next = peek();
          if (next.t === ',' || next.t === ')') {
            args.push({ kind: 'empty', span: { start: next.span.start, end: next.span.start } });
          } else {
            args.push(expression());
          }
          const sep = tokens[pos++];
          if (sep.t === ')') {
            return {
              kind: 'call',
              name: tok.name,
              args,
              span: { start: tok.span.start, end: sep.span.end },
              nameSpan: tok.span,
            };
          }
          if (sep.t !== ',')
            fail(`expected "," or ")" in the arguments of ${tok.name}, found ${describe(sep)}`, sep.span);
        }
      }
      default:
        return fail(`expected a value, found ${describe(tok)}`, tok.span);
    }
  }

  function expression(): ExprNode {
    const left = primary();
    const next = peek();
    if (next.t !== 'op') return left;
    pos++;
    const right = primary();
    if (peek().t === 'op') fail('comparisons cannot be chained; nest IIF instead', peek().span);
    return {
      kind: 'compare',
      op: next.op,
      left,
      right,
      span: { start: left.span.start, end: right.span.end },
    };
  }

  const root = expression();
  const rest = peek();
  if (rest.t !== 'eof') fail(`unexpected ${describe(rest)} after the end of the expression`, rest.span);
  return root;
}
