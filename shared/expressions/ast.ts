/**
 * Syntax tree of an attribute-mapping expression. Plain data (no functions), so a compiled flow can be
 * serialised, compared and printed. Offsets are character offsets into the expression source.
 */

/** Half-open character range [start, end) inside the expression source. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export type ComparisonOperator = '=' | '<>' | '>' | '>=' | '<' | '<=';

export type ExprNode =
  | { readonly kind: 'string'; readonly value: string; readonly span: Span }
  | { readonly kind: 'number'; readonly value: number; readonly span: Span }
  | { readonly kind: 'attribute'; readonly name: string; readonly span: Span }
  /** A bare word such as `vbTextCompare`; only a few are meaningful and the compiler checks which. */
  | { readonly kind: 'identifier'; readonly name: string; readonly span: Span }
  /** An omitted argument, as in `FormatDateTime([d], , "yyyy", "MM")`. */
  | { readonly kind: 'empty'; readonly span: Span }
  | {
      readonly kind: 'call';
      readonly name: string;
      readonly args: readonly ExprNode[];
      readonly span: Span;
      readonly nameSpan: Span;
    }
  | {
      readonly kind: 'compare';
      readonly op: ComparisonOperator;
      readonly left: ExprNode;
      readonly right: ExprNode;
      readonly span: Span;
    };

/** Line and column (both 1-based) of an offset inside a text. */
export interface LineCol {
  readonly line: number;
  readonly column: number;
}

export function lineColAt(text: string, offset: number): LineCol {
  let line = 1;
  let column = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      column = 1;
    } else {
      column++;
    }
  }
  return { line, column };
}
