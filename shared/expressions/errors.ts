import { lineColAt, type Span } from './ast';

/** Stable codes of expression errors; tests and callers branch on these, never on message text. */
export type ExpressionErrorCode =
  | 'TENURE_EXPR_SYNTAX'
  | 'TENURE_EXPR_UNKNOWN_FUNCTION'
  | 'TENURE_EXPR_ARITY'
  | 'TENURE_EXPR_UNKNOWN_ATTRIBUTE'
  | 'TENURE_EXPR_INVALID_ARGUMENT'
  | 'TENURE_EXPR_TOO_LONG'
  | 'TENURE_EXPR_EVALUATION';

/**
 * A load-time or run-time expression error. `span` points into the expression source; `line`/`column`
 * are 1-based positions inside the expression (the flow loader maps them onto the YAML file).
 * Messages name functions and attributes, never attribute values (they may be personal data).
 */
export class ExpressionError extends Error {
  readonly code: ExpressionErrorCode;
  readonly span: Span;
  readonly line: number;
  readonly column: number;

  constructor(
    code: ExpressionErrorCode,
    message: string,
    source: string,
    span: Span,
    options?: ErrorOptions,
  ) {
    const pos = lineColAt(source, span.start);
    super(`${message} (at ${pos.line}:${pos.column})`, options);
    this.name = 'ExpressionError';
    this.code = code;
    this.span = span;
    this.line = pos.line;
    this.column = pos.column;
    this.detail = message;
  }

  /** The message without the position suffix. */
  readonly detail: string;
}

/** Thrown by function implementations at evaluation time; the evaluator adds the call's position. */
export class EvaluationFault extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EvaluationFault';
  }
}
