// An OData $filter parser for the subset Graph's directory supports: eq, ne, ge, le, gt, lt, in, not, and, or,
// startsWith, endsWith, `eq null`, and lambda any() on collections (proxyAddresses/any(x:x eq 'smtp:a@b')).
// Syntax errors throw FilterSyntaxError; callers answer Graph's 400.

export type Literal = string | number | boolean | null;

export type FilterNode =
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; expr: FilterNode }
  | { kind: 'cmp'; op: 'eq' | 'ne' | 'ge' | 'le' | 'gt' | 'lt'; path: string[]; value: Literal }
  | { kind: 'in'; path: string[]; values: Literal[] }
  | { kind: 'fn'; name: 'startswith' | 'endswith'; path: string[]; value: string }
  | { kind: 'any'; path: string[]; variable: string; body: FilterNode };

export class FilterSyntaxError extends Error {
  readonly code = 'FILTER_SYNTAX';
}

type Token =
  | { t: 'str'; v: string }
  | { t: 'num'; v: number }
  | { t: 'word'; v: string }
  | { t: 'punct'; v: '(' | ')' | ',' | ':' | '/' };

function tokenize(input: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'") {
      let s = '';
      i++;
      for (;;) {
        if (i >= input.length) throw new FilterSyntaxError('unterminated string literal');
        if (input[i] === "'") {
          if (input[i + 1] === "'") {
            s += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        s += input[i++];
      }
      out.push({ t: 'str', v: s });
      continue;
    }
    if ('(),:/'.includes(c)) {
      out.push({ t: 'punct', v: c as '(' | ')' | ',' | ':' | '/' });
      i++;
      continue;
    }
    // Unquoted values: numbers, GUIDs, DateTimeOffsets (2022-01-01T00:00:00Z), identifiers, keywords.
    const m = /^[A-Za-z0-9_.@+\-:]+/.exec(input.slice(i));
    if (!m) throw new FilterSyntaxError(`unexpected character '${c}'`);
    let word = m[0];
    // A ':' belongs to a DateTimeOffset (…T10:00:00Z) but not to a lambda "x:x".
    if (!/^\d{4}-\d{2}-\d{2}T/.test(word) && word.includes(':')) word = word.slice(0, word.indexOf(':'));
    if (/^-?\d+(\.\d+)?$/.test(word)) out.push({ t: 'num', v: Number(word) });
    else out.push({ t: 'word', v: word });
    i += word.length;
  }
  return out;
}

export function parseFilter(input: string): FilterNode {
  const tokens = tokenize(input);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const isWord = (w: string): boolean => {
    const t = peek();
    return t?.t === 'word' && t.v.toLowerCase() === w;
  };
  const expectPunct = (p: string): void => {
    const t = tokens[pos++];
    if (t?.t !== 'punct' || t.v !== p) throw new FilterSyntaxError(`expected '${p}'`);
  };

  const literal = (): Literal => {
    const t = tokens[pos++];
    if (!t) throw new FilterSyntaxError('expected a value');
    if (t.t === 'str' || t.t === 'num') return t.v;
    if (t.t === 'word') {
      const w = t.v.toLowerCase();
      if (w === 'true') return true;
      if (w === 'false') return false;
      if (w === 'null') return null;
      // GUIDs and DateTimeOffsets are unquoted in OData.
      if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(t.v)) return t.v;
      if (/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/.test(t.v)) return t.v;
    }
    throw new FilterSyntaxError(`expected a value, found '${String(t.v)}'`);
  };

  const path = (): string[] => {
    const t = tokens[pos++];
    if (t?.t !== 'word') throw new FilterSyntaxError('expected a property name');
    const parts = [t.v];
    while (peek()?.t === 'punct' && (peek() as { v: string }).v === '/') {
      const next = tokens[pos + 1];
      if (next?.t === 'word' && next.v.toLowerCase() === 'any') break;
      pos++;
      const p = tokens[pos++];
      if (p?.t !== 'word') throw new FilterSyntaxError('expected a property name after /');
      parts.push(p.v);
    }
    return parts;
  };

  const primary = (): FilterNode => {
    const t = peek();
    if (t?.t === 'punct' && t.v === '(') {
      pos++;
      const e = or();
      expectPunct(')');
      return e;
    }
    if (t?.t === 'word' && /^(startswith|endswith)$/i.test(t.v) && tokens[pos + 1]?.t === 'punct') {
      pos++;
      expectPunct('(');
      const p = path();
      expectPunct(',');
      const v = literal();
      expectPunct(')');
      if (typeof v !== 'string') throw new FilterSyntaxError(`${t.v} needs a string`);
      return { kind: 'fn', name: t.v.toLowerCase() as 'startswith' | 'endswith', path: p, value: v };
    }
    const p = path();
    const next = peek();
    if (next?.t === 'punct' && next.v === '/') {
      pos++;
      if (!isWord('any')) throw new FilterSyntaxError('expected any()');
      pos++;
      expectPunct('(');
      const variable = tokens[pos++];
      if (variable?.t !== 'word') throw new FilterSyntaxError('expected a lambda variable');
      expectPunct(':');
      const body = or();
      expectPunct(')');
      return { kind: 'any', path: p, variable: variable.v, body };
    }
    const op = tokens[pos++];
    if (op?.t !== 'word') throw new FilterSyntaxError('expected an operator');
    const o = op.v.toLowerCase();
    if (o === 'in') {
      expectPunct('(');
      const values: Literal[] = [literal()];
      while (peek()?.t === 'punct' && (peek() as { v: string }).v === ',') {
        pos++;
        values.push(literal());
      }
      expectPunct(')');
      return { kind: 'in', path: p, values };
    }
    if (!['eq', 'ne', 'ge', 'le', 'gt', 'lt'].includes(o))
      throw new FilterSyntaxError(`unknown operator '${op.v}'`);
    return { kind: 'cmp', op: o as 'eq', path: p, value: literal() };
  };

  const unary = (): FilterNode => {
    if (isWord('not')) {
      pos++;
      return { kind: 'not', expr: unary() };
    }
    return primary();
  };
  const and = (): FilterNode => {
    let left = unary();
    while (isWord('and')) {
      pos++;
      left = { kind: 'and', left, right: unary() };
    }
    return left;
  };
  const or = (): FilterNode => {
    let left = and();
    while (isWord('or')) {
      pos++;
      left = { kind: 'or', left, right: and() };
    }
    return left;
  };
  const tree = or();
  if (pos !== tokens.length) throw new FilterSyntaxError('unexpected text after the expression');
  return tree;
}
