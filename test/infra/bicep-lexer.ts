/**
 * Bicep tokenizer for the infra tests: strings with ${} interpolation, multi-line strings, comments and
 * significant newlines. Interpolations keep their own tokens so the parser can read them as expressions.
 */
export class BicepSyntaxError extends Error {
  readonly code = 'INFRA_PARSE';
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

export type TokenKind = 'ident' | 'number' | 'string' | 'punct' | 'newline' | 'eof';

/** A string token holds literal text and, for each ${...}, the tokens inside it. */
export type StringPart = string | Token[];

export interface Token {
  readonly kind: TokenKind;
  readonly value: string;
  readonly line: number;
  readonly start: number;
  readonly end: number;
  readonly parts?: readonly StringPart[];
}

const TWO_CHAR_PUNCT = ['==', '!=', '<=', '>=', '&&', '||', '??', '=>', '=~', '!~'];
const ONE_CHAR_PUNCT = '{}[]():,.?!=<>+-*/%@|&';

class Lexer {
  private pos = 0;
  private line = 1;
  constructor(private readonly src: string) {}

  /** Tokens to the end of input, or (inside an interpolation) to the `}` that closes it. */
  run(insideInterpolation: boolean): Token[] {
    const out: Token[] = [];
    let depth = 0;
    for (;;) {
      this.skipSpaceAndComments();
      const start = this.pos;
      if (this.pos >= this.src.length) {
        if (insideInterpolation) throw new BicepSyntaxError(this.line, 'unterminated ${ in a string');
        out.push({ kind: 'eof', value: '', line: this.line, start, end: start });
        return out;
      }
      const c = this.src[this.pos];
      if (c === '\n') {
        out.push({ kind: 'newline', value: '\n', line: this.line, start, end: start + 1 });
        this.pos++;
        this.line++;
        continue;
      }
      if (insideInterpolation && c === '}' && depth === 0) {
        this.pos++;
        out.push({ kind: 'eof', value: '', line: this.line, start, end: start });
        return out;
      }
      if (this.src.startsWith("'''", this.pos)) {
        out.push(this.multiLineString());
        continue;
      }
      if (c === "'") {
        out.push(this.string());
        continue;
      }
      if (/[A-Za-z_]/.test(c)) {
        let end = this.pos + 1;
        while (end < this.src.length && /[A-Za-z0-9_]/.test(this.src[end])) end++;
        out.push({ kind: 'ident', value: this.src.slice(this.pos, end), line: this.line, start, end });
        this.pos = end;
        continue;
      }
      if (/[0-9]/.test(c)) {
        let end = this.pos + 1;
        while (end < this.src.length && /[0-9]/.test(this.src[end])) end++;
        out.push({ kind: 'number', value: this.src.slice(this.pos, end), line: this.line, start, end });
        this.pos = end;
        continue;
      }
      const two = this.src.slice(this.pos, this.pos + 2);
      const safeAccess = two === '.?' && /[A-Za-z_[]/.test(this.src[this.pos + 2] ?? '');
      if (TWO_CHAR_PUNCT.includes(two) || safeAccess) {
        out.push({ kind: 'punct', value: two, line: this.line, start, end: start + 2 });
        this.pos += 2;
        continue;
      }
      if (ONE_CHAR_PUNCT.includes(c)) {
        if (c === '{') depth++;
        if (c === '}') depth--;
        out.push({ kind: 'punct', value: c, line: this.line, start, end: start + 1 });
        this.pos++;
        continue;
      }
      throw new BicepSyntaxError(this.line, `unexpected character ${JSON.stringify(c)}`);
    }
  }

  private skipSpaceAndComments(): void {
    for (;;) {
      const c = this.src[this.pos];
      if (c === ' ' || c === '\t' || c === '\r') {
        this.pos++;
      } else if (this.src.startsWith('//', this.pos)) {
        while (this.pos < this.src.length && this.src[this.pos] !== '\n') this.pos++;
      } else if (this.src.startsWith('/*', this.pos)) {
        const close = this.src.indexOf('*/', this.pos + 2);
        if (close < 0) throw new BicepSyntaxError(this.line, 'unterminated /* comment');
        for (let i = this.pos; i < close; i++) if (this.src[i] === '\n') this.line++;
        this.pos = close + 2;
      } else {
        return;
      }
    }
  }

  private multiLineString(): Token {
    const start = this.pos;
    const line = this.line;
    const close = this.src.indexOf("'''", this.pos + 3);
    if (close < 0) throw new BicepSyntaxError(line, "unterminated ''' string");
    let text = this.src.slice(this.pos + 3, close);
    for (const ch of text) if (ch === '\n') this.line++;
    // A newline right after the opening quotes is not part of the value.
    text = text.replace(/^\r?\n/, '');
    this.pos = close + 3;
    return { kind: 'string', value: text, line, start, end: this.pos, parts: [text] };
  }

  private string(): Token {
    const start = this.pos;
    const line = this.line;
    this.pos++;
    const parts: StringPart[] = [];
    let buf = '';
    for (;;) {
      if (this.pos >= this.src.length) throw new BicepSyntaxError(line, 'unterminated string');
      const c = this.src[this.pos];
      if (c === '\n') throw new BicepSyntaxError(line, 'newline in a string (use a multi-line string)');
      if (c === "'") {
        this.pos++;
        break;
      }
      if (c === '\\') {
        const next = this.src[this.pos + 1];
        const simple: Record<string, string> = { "'": "'", '\\': '\\', n: '\n', r: '\r', t: '\t', $: '$' };
        if (next !== undefined && next in simple) {
          buf += simple[next];
          this.pos += 2;
          continue;
        }
        const unicode = /^u\{([0-9A-Fa-f]{1,6})\}/.exec(this.src.slice(this.pos + 1));
        if (unicode) {
          buf += String.fromCodePoint(parseInt(unicode[1], 16));
          this.pos += 1 + unicode[0].length;
          continue;
        }
        throw new BicepSyntaxError(line, `unknown escape \\${next ?? ''}`);
      }
      if (c === '$' && this.src[this.pos + 1] === '{') {
        parts.push(buf);
        buf = '';
        this.pos += 2;
        parts.push(this.run(true));
        continue;
      }
      buf += c;
      this.pos++;
    }
    parts.push(buf);
    const literal = parts.every((p) => typeof p === 'string') ? parts.join('') : '';
    return { kind: 'string', value: literal, line, start, end: this.pos, parts };
  }
}

export function tokenize(src: string): Token[] {
  return new Lexer(src).run(false);
}

/** Every token, including those inside interpolations, in source order. */
export function flattenTokens(tokens: readonly Token[]): Token[] {
  const out: Token[] = [];
  for (const t of tokens) {
    out.push(t);
    for (const p of t.parts ?? []) if (typeof p !== 'string') out.push(...flattenTokens(p));
  }
  return out;
}
