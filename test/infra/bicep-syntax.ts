/**
 * Bicep parser for the infra tests: the declarations and expressions Tenure's templates use, as a syntax tree.
 * It is not a compiler: it checks shape, not types, and exists because no Bicep CLI runs on these machines.
 */
import { BicepSyntaxError, tokenize, type Token } from './bicep-lexer';

export {
  BicepSyntaxError,
  flattenTokens,
  tokenize,
  type StringPart,
  type Token,
  type TokenKind,
} from './bicep-lexer';

// ---------------------------------------------------------------------------------------------------------------
// Syntax tree

interface Node {
  readonly line: number;
  /** Source text of the expression (for messages and structural comparisons). */
  readonly text: string;
}

export type Expr =
  | (Node & { kind: 'string'; parts: (string | Expr)[] })
  | (Node & { kind: 'number'; value: number })
  | (Node & { kind: 'bool'; value: boolean })
  | (Node & { kind: 'null' })
  | (Node & { kind: 'ident'; name: string })
  | (Node & { kind: 'object'; props: Prop[] })
  | (Node & { kind: 'array'; items: Expr[] })
  | (Node & {
      kind: 'for';
      itemName: string;
      indexName?: string;
      iterable: Expr;
      condition?: Expr;
      body: Expr;
    })
  | (Node & { kind: 'if'; condition: Expr; body: Expr })
  | (Node & { kind: 'call'; callee: Expr; args: Expr[] })
  | (Node & { kind: 'member'; object: Expr; name: string; safe: boolean })
  | (Node & { kind: 'index'; object: Expr; index: Expr; safe: boolean })
  | (Node & { kind: 'unary'; op: string; operand: Expr })
  | (Node & { kind: 'nonNull'; operand: Expr })
  | (Node & { kind: 'binary'; op: string; left: Expr; right: Expr })
  | (Node & { kind: 'ternary'; condition: Expr; whenTrue: Expr; whenFalse: Expr })
  | (Node & { kind: 'lambda'; params: string[]; body: Expr });

export interface Prop {
  readonly key: string;
  readonly value: Expr;
  readonly line: number;
}

export interface Decorator {
  readonly name: string;
  readonly args: readonly Expr[];
  readonly line: number;
}

interface Decl {
  readonly line: number;
  readonly decorators: readonly Decorator[];
}

export type Statement =
  | (Decl & { kind: 'targetScope'; value: Expr })
  | (Decl & { kind: 'param'; name: string; type: string; defaultValue?: Expr })
  | (Decl & { kind: 'var'; name: string; value: Expr })
  | (Decl & { kind: 'resource'; name: string; type: string; existing: boolean; body: Expr })
  | (Decl & { kind: 'module'; name: string; path: string; body: Expr })
  | (Decl & { kind: 'output'; name: string; type: string; value: Expr })
  | (Decl & { kind: 'other'; keyword: string });

export interface BicepFile {
  readonly statements: readonly Statement[];
}

// ---------------------------------------------------------------------------------------------------------------
// Parser

type Context = 'paren' | 'block';

class Parser {
  private i = 0;
  /** Inside (...) newlines are insignificant; inside {...} and [...] they separate items. */
  private readonly contexts: Context[] = [];

  constructor(
    private readonly tokens: readonly Token[],
    private readonly src: string,
  ) {}

  parseFile(): BicepFile {
    const statements: Statement[] = [];
    for (;;) {
      this.skipNewlines();
      if (this.peek().kind === 'eof') return { statements };
      statements.push(this.statement());
      const after = this.peekRaw();
      if (after.kind !== 'newline' && after.kind !== 'eof') {
        throw new BicepSyntaxError(
          after.line,
          `expected a new line after the declaration, found '${after.value}'`,
        );
      }
    }
  }

  parseStandaloneExpression(): Expr {
    this.contexts.push('paren');
    const e = this.expression();
    this.contexts.pop();
    const t = this.peek();
    if (t.kind !== 'eof') throw new BicepSyntaxError(t.line, `unexpected '${t.value}' in interpolation`);
    return e;
  }

  // ---- tokens

  private peekRaw(): Token {
    return this.tokens[this.i];
  }

  private peek(offset = 0): Token {
    let j = this.i;
    const skip = this.contexts[this.contexts.length - 1] === 'paren';
    let seen = 0;
    for (;;) {
      const t = this.tokens[j];
      if (t.kind === 'eof') return t;
      if (skip && t.kind === 'newline') {
        j++;
        continue;
      }
      if (seen === offset) return t;
      seen++;
      j++;
    }
  }

  private next(): Token {
    if (this.contexts[this.contexts.length - 1] === 'paren') {
      while (this.tokens[this.i].kind === 'newline') this.i++;
    }
    const t = this.tokens[this.i];
    if (t.kind !== 'eof') this.i++;
    return t;
  }

  private skipNewlines(): void {
    while (this.tokens[this.i].kind === 'newline') this.i++;
  }

  private isPunct(value: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'punct' && t.value === value;
  }

  private isIdent(value: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'ident' && t.value === value;
  }

  private expectPunct(value: string): Token {
    const t = this.next();
    if (t.kind !== 'punct' || t.value !== value) {
      throw new BicepSyntaxError(t.line, `expected '${value}', found '${t.value || t.kind}'`);
    }
    return t;
  }

  private expectIdent(what: string): Token {
    const t = this.next();
    if (t.kind !== 'ident')
      throw new BicepSyntaxError(t.line, `expected ${what}, found '${t.value || t.kind}'`);
    return t;
  }

  private expectString(what: string): Token {
    const t = this.next();
    if (t.kind !== 'string')
      throw new BicepSyntaxError(t.line, `expected ${what} (a string), found '${t.value}'`);
    return t;
  }

  private textFrom(first: Token): string {
    const last = this.tokens[Math.max(this.i - 1, 0)];
    return this.src.slice(first.start, Math.max(last.end, first.end));
  }

  private withContext<T>(ctx: Context, f: () => T): T {
    this.contexts.push(ctx);
    try {
      return f();
    } finally {
      this.contexts.pop();
    }
  }

  // ---- declarations

  private statement(): Statement {
    const decorators: Decorator[] = [];
    while (this.isPunct('@')) {
      const at = this.next();
      const nameTok = this.expectIdent('a decorator name');
      let name = nameTok.value;
      if (this.isPunct('.')) {
        this.next();
        name = this.expectIdent('a decorator name').value;
      }
      const args = this.isPunct('(') ? this.callArgs() : [];
      decorators.push({ name, args, line: at.line });
      this.skipNewlines();
    }
    const kw = this.expectIdent('a declaration keyword');
    const line = kw.line;
    switch (kw.value) {
      case 'targetScope': {
        this.expectPunct('=');
        return { kind: 'targetScope', value: this.expression(), line, decorators };
      }
      case 'param': {
        const name = this.expectIdent('a parameter name').value;
        const type = this.typeUntil(['=']);
        let defaultValue: Expr | undefined;
        if (this.isPunct('=')) {
          this.next();
          defaultValue = this.expression();
        }
        return { kind: 'param', name, type, defaultValue, line, decorators };
      }
      case 'var': {
        const name = this.expectIdent('a variable name').value;
        if (!this.isPunct('=')) this.typeUntil(['=']);
        this.expectPunct('=');
        return { kind: 'var', name, value: this.expression(), line, decorators };
      }
      case 'resource': {
        const name = this.expectIdent('a resource symbol').value;
        const type = this.expectString('a resource type').value;
        let existing = false;
        if (this.isIdent('existing')) {
          this.next();
          existing = true;
        }
        this.expectPunct('=');
        return { kind: 'resource', name, type, existing, body: this.declarationBody(), line, decorators };
      }
      case 'module': {
        const name = this.expectIdent('a module symbol').value;
        const path = this.expectString('a module path').value;
        this.expectPunct('=');
        return { kind: 'module', name, path, body: this.declarationBody(), line, decorators };
      }
      case 'output': {
        const name = this.expectIdent('an output name').value;
        const type = this.typeUntil(['=']);
        this.expectPunct('=');
        return { kind: 'output', name, type, value: this.expression(), line, decorators };
      }
      case 'metadata':
      case 'type':
      case 'func':
      case 'import':
      case 'extension':
      case 'using': {
        this.skipBalancedLine();
        return { kind: 'other', keyword: kw.value, line, decorators };
      }
      default:
        throw new BicepSyntaxError(line, `unknown declaration '${kw.value}'`);
    }
  }

  /** A declared type: the tokens up to one of `stops` or a new line, outside brackets. */
  private typeUntil(stops: string[]): string {
    const first = this.peekRaw();
    let depth = 0;
    for (;;) {
      const t = this.peekRaw();
      if (t.kind === 'eof') break;
      if (depth === 0 && (t.kind === 'newline' || (t.kind === 'punct' && stops.includes(t.value)))) break;
      if (t.kind === 'punct' && '([{'.includes(t.value)) depth++;
      if (t.kind === 'punct' && ')]}'.includes(t.value)) depth--;
      this.i++;
    }
    if (this.tokens[this.i] === first) throw new BicepSyntaxError(first.line, 'expected a type');
    return this.textFrom(first).trim();
  }

  private skipBalancedLine(): void {
    let depth = 0;
    for (;;) {
      const t = this.peekRaw();
      if (t.kind === 'eof' || (depth === 0 && t.kind === 'newline')) return;
      if (t.kind === 'punct' && '([{'.includes(t.value)) depth++;
      if (t.kind === 'punct' && ')]}'.includes(t.value)) depth--;
      this.i++;
    }
  }

  /** `{...}`, `if (cond) {...}` or `[for ... : ...]` after a resource or module `=`. */
  private declarationBody(): Expr {
    const first = this.peek();
    if (this.isIdent('if')) return this.ifBody();
    if (this.isPunct('[')) return this.arrayOrFor();
    if (this.isPunct('{')) return this.object();
    throw new BicepSyntaxError(first.line, `expected '{', 'if' or '[for' after '=', found '${first.value}'`);
  }

  private ifBody(): Expr {
    const first = this.next();
    this.expectPunct('(');
    const condition = this.withContext('paren', () => this.expression());
    this.expectPunct(')');
    const body = this.object();
    return { kind: 'if', condition, body, line: first.line, text: this.textFrom(first) };
  }

  // ---- expressions

  private expression(): Expr {
    const first = this.peek();
    const condition = this.coalesce();
    if (!this.isPunct('?')) return condition;
    this.next();
    const whenTrue = this.withContext('paren', () => this.expression());
    this.expectPunct(':');
    const whenFalse = this.expression();
    return { kind: 'ternary', condition, whenTrue, whenFalse, line: first.line, text: this.textFrom(first) };
  }

  private binaryLevel(ops: string[], operand: () => Expr): Expr {
    const first = this.peek();
    let left = operand();
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'punct' || !ops.includes(t.value)) return left;
      this.next();
      const right = operand();
      left = { kind: 'binary', op: t.value, left, right, line: first.line, text: this.textFrom(first) };
    }
  }

  private coalesce(): Expr {
    return this.binaryLevel(['??'], () => this.or());
  }
  private or(): Expr {
    return this.binaryLevel(['||'], () => this.and());
  }
  private and(): Expr {
    return this.binaryLevel(['&&'], () => this.equality());
  }
  private equality(): Expr {
    return this.binaryLevel(['==', '!=', '=~', '!~'], () => this.relational());
  }
  private relational(): Expr {
    return this.binaryLevel(['<', '>', '<=', '>='], () => this.additive());
  }
  private additive(): Expr {
    return this.binaryLevel(['+', '-'], () => this.multiplicative());
  }
  private multiplicative(): Expr {
    return this.binaryLevel(['*', '/', '%'], () => this.unary());
  }

  private unary(): Expr {
    const t = this.peek();
    if (t.kind === 'punct' && (t.value === '!' || t.value === '-')) {
      this.next();
      const operand = this.unary();
      return { kind: 'unary', op: t.value, operand, line: t.line, text: this.textFrom(t) };
    }
    return this.postfix();
  }

  private postfix(): Expr {
    const first = this.peek();
    let e = this.primary();
    for (;;) {
      // Member access and calls must start on the same line in a newline-separated context.
      const t = this.peek();
      if (t.kind !== 'punct') return e;
      if (t.value === '.' || t.value === '.?') {
        this.next();
        const name = this.expectIdent('a property name').value;
        e = {
          kind: 'member',
          object: e,
          name,
          safe: t.value === '.?',
          line: first.line,
          text: this.textFrom(first),
        };
      } else if (t.value === '[') {
        this.next();
        const index = this.withContext('paren', () => this.expression());
        this.expectPunct(']');
        e = { kind: 'index', object: e, index, safe: false, line: first.line, text: this.textFrom(first) };
      } else if (t.value === '(' && (e.kind === 'ident' || e.kind === 'member')) {
        const args = this.callArgs();
        e = { kind: 'call', callee: e, args, line: first.line, text: this.textFrom(first) };
      } else if (t.value === '!') {
        this.next();
        e = { kind: 'nonNull', operand: e, line: first.line, text: this.textFrom(first) };
      } else {
        return e;
      }
    }
  }

  private callArgs(): Expr[] {
    this.expectPunct('(');
    return this.withContext('paren', () => {
      const args: Expr[] = [];
      while (!this.isPunct(')')) {
        args.push(this.expression());
        if (this.isPunct(',')) this.next();
        else if (!this.isPunct(')')) {
          const t = this.peek();
          throw new BicepSyntaxError(t.line, `expected ',' or ')' in arguments, found '${t.value}'`);
        }
      }
      this.next();
      return args;
    });
  }

  private primary(): Expr {
    const t = this.peek();
    if (t.kind === 'string') {
      this.next();
      const parts: (string | Expr)[] = (t.parts ?? [t.value]).map((p) =>
        typeof p === 'string' ? p : new Parser(p, this.src).parseStandaloneExpression(),
      );
      return { kind: 'string', parts, line: t.line, text: this.textFrom(t) };
    }
    if (t.kind === 'number') {
      this.next();
      return { kind: 'number', value: Number(t.value), line: t.line, text: t.value };
    }
    if (t.kind === 'ident') {
      if (t.value === 'true' || t.value === 'false') {
        this.next();
        return { kind: 'bool', value: t.value === 'true', line: t.line, text: t.value };
      }
      if (t.value === 'null') {
        this.next();
        return { kind: 'null', line: t.line, text: t.value };
      }
      if (this.isPunct('=>', 1)) {
        this.next();
        this.next();
        const body = this.expression();
        return { kind: 'lambda', params: [t.value], body, line: t.line, text: this.textFrom(t) };
      }
      if (t.value === 'if' && this.isPunct('(', 1)) return this.ifBody();
      this.next();
      return { kind: 'ident', name: t.value, line: t.line, text: t.value };
    }
    if (t.kind === 'punct') {
      if (t.value === '{') return this.object();
      if (t.value === '[') return this.arrayOrFor();
      if (t.value === '(') {
        this.next();
        const inner = this.withContext('paren', () => this.expression());
        this.expectPunct(')');
        return { ...inner, text: this.textFrom(t) };
      }
    }
    throw new BicepSyntaxError(t.line, `unexpected '${t.value || t.kind}' in an expression`);
  }

  private object(): Expr {
    const open = this.expectPunct('{');
    return this.withContext('block', () => {
      const props: Prop[] = [];
      for (;;) {
        this.skipNewlines();
        if (this.isPunct('}')) break;
        const keyTok = this.next();
        if (keyTok.kind === 'ident' && (keyTok.value === 'resource' || keyTok.value === 'module')) {
          if (this.peek().kind === 'ident') {
            throw new BicepSyntaxError(
              keyTok.line,
              'nested resource declarations are not supported here; use parent:',
            );
          }
        }
        let key: string;
        if (keyTok.kind === 'ident') key = keyTok.value;
        else if (keyTok.kind === 'string' && (keyTok.parts ?? []).every((p) => typeof p === 'string')) {
          key = keyTok.value;
        } else if (keyTok.kind === 'string') {
          key = this.src.slice(keyTok.start, keyTok.end);
        } else throw new BicepSyntaxError(keyTok.line, `expected a property name, found '${keyTok.value}'`);
        this.expectPunct(':');
        const value = this.expression();
        props.push({ key, value, line: keyTok.line });
        const sep = this.peekRaw();
        if (sep.kind === 'punct' && sep.value === ',') this.i++;
        else if (sep.kind !== 'newline' && !(sep.kind === 'punct' && sep.value === '}')) {
          throw new BicepSyntaxError(
            sep.line,
            `expected a new line or ',' after property '${key}', found '${sep.value}'`,
          );
        }
      }
      this.next();
      return { kind: 'object' as const, props, line: open.line, text: this.textFrom(open) };
    });
  }

  private arrayOrFor(): Expr {
    const open = this.expectPunct('[');
    if (this.withContext('paren', () => this.isIdent('for'))) return this.forBody(open);
    return this.withContext('block', () => {
      const items: Expr[] = [];
      for (;;) {
        this.skipNewlines();
        if (this.isPunct(']')) break;
        items.push(this.expression());
        const sep = this.peekRaw();
        if (sep.kind === 'punct' && sep.value === ',') this.i++;
        else if (sep.kind !== 'newline' && !(sep.kind === 'punct' && sep.value === ']')) {
          throw new BicepSyntaxError(
            sep.line,
            `expected a new line or ',' between array items, found '${sep.value}'`,
          );
        }
      }
      this.next();
      return { kind: 'array' as const, items, line: open.line, text: this.textFrom(open) };
    });
  }

  private forBody(open: Token): Expr {
    return this.withContext('paren', () => {
      this.next(); // for
      let itemName: string;
      let indexName: string | undefined;
      if (this.isPunct('(')) {
        this.next();
        itemName = this.expectIdent('a loop variable').value;
        if (this.isPunct(',')) {
          this.next();
          indexName = this.expectIdent('a loop index').value;
        }
        this.expectPunct(')');
      } else {
        itemName = this.expectIdent('a loop variable').value;
      }
      const inTok = this.expectIdent("'in'");
      if (inTok.value !== 'in')
        throw new BicepSyntaxError(inTok.line, `expected 'in', found '${inTok.value}'`);
      const iterable = this.expression();
      this.expectPunct(':');
      let condition: Expr | undefined;
      let body: Expr;
      if (this.isIdent('if')) {
        const ifExpr = this.ifBody();
        if (ifExpr.kind !== 'if') throw new BicepSyntaxError(ifExpr.line, 'malformed if');
        condition = ifExpr.condition;
        body = ifExpr.body;
      } else {
        body = this.expression();
      }
      this.expectPunct(']');
      return {
        kind: 'for' as const,
        itemName,
        indexName,
        iterable,
        condition,
        body,
        line: open.line,
        text: this.textFrom(open),
      };
    });
  }
}

export function parseBicep(src: string): BicepFile {
  return new Parser(tokenize(src), src).parseFile();
}

/** Parses one expression (used by tests and by the checker for snippets). */
export function parseExpression(src: string): Expr {
  return new Parser(tokenize(src), src).parseStandaloneExpression();
}
