/**
 * Typed errors of the lifecycle engine and its adapters. Branch on `code` (closed union), never on message text.
 * `terminal` says whether retrying can help: terminal errors mark the worker failed (replayable after a fix);
 * transient ones are retried with back-off. Messages name ids and attribute names, never HR values or secrets.
 */
export type TenureErrorCode =
  | 'TENURE_GRAPH_THROTTLED'
  | 'TENURE_GRAPH_UNAVAILABLE'
  | 'TENURE_GRAPH_NETWORK'
  | 'TENURE_GRAPH_CONFLICT'
  | 'TENURE_GRAPH_NOT_FOUND'
  | 'TENURE_GRAPH_FORBIDDEN'
  | 'TENURE_GRAPH_UNAUTHORIZED'
  | 'TENURE_GRAPH_BAD_REQUEST'
  | 'TENURE_GRAPH_DEPENDENCY_FAILED'
  | 'TENURE_LICENSE_USAGE_LOCATION'
  | 'TENURE_LICENSE_NO_SEATS'
  | 'TENURE_INVALID_RECORD'
  | 'TENURE_INVALID_MESSAGE'
  | 'TENURE_MAPPING'
  | 'TENURE_UNKNOWN_FLOW'
  | 'TENURE_UNRESOLVED_REFERENCE'
  | 'TENURE_NAMING_EXHAUSTED'
  | 'TENURE_STORAGE_UNAVAILABLE'
  | 'TENURE_STORAGE_CONFLICT'
  | 'TENURE_SECRET_STORE_UNAVAILABLE'
  | 'TENURE_MESSAGING_UNAVAILABLE'
  | 'TENURE_PLAN_INVALID'
  | 'TENURE_CREDENTIALS_UNAVAILABLE'
  // Exchange Online admin API (shared/exchange): cmdlet errors parsed from `error.details[].message`.
  | 'TENURE_EXCHANGE_NOT_FOUND'
  | 'TENURE_EXCHANGE_PARAMETER_BINDING'
  | 'TENURE_EXCHANGE_INVALID'
  | 'TENURE_EXCHANGE_UNAUTHORIZED'
  | 'TENURE_EXCHANGE_THROTTLED'
  | 'TENURE_EXCHANGE_UNAVAILABLE'
  | 'TENURE_EXCHANGE_NOT_CONFIGURED'
  | 'TENURE_UNEXPECTED';

/** Codes whose errors cannot be fixed by retrying the same input. */
const TERMINAL: ReadonlySet<TenureErrorCode> = new Set<TenureErrorCode>([
  'TENURE_GRAPH_CONFLICT',
  'TENURE_GRAPH_FORBIDDEN',
  'TENURE_GRAPH_BAD_REQUEST',
  'TENURE_LICENSE_NO_SEATS',
  'TENURE_INVALID_RECORD',
  'TENURE_INVALID_MESSAGE',
  'TENURE_MAPPING',
  'TENURE_UNKNOWN_FLOW',
  'TENURE_UNRESOLVED_REFERENCE',
  'TENURE_NAMING_EXHAUSTED',
  'TENURE_PLAN_INVALID',
  'TENURE_EXCHANGE_NOT_FOUND',
  'TENURE_EXCHANGE_PARAMETER_BINDING',
  'TENURE_EXCHANGE_INVALID',
  'TENURE_EXCHANGE_UNAUTHORIZED',
  'TENURE_EXCHANGE_NOT_CONFIGURED',
]);

export function isTerminalCode(code: TenureErrorCode): boolean {
  return TERMINAL.has(code);
}

export interface TenureErrorDetails {
  readonly workerId?: string;
  readonly operationKind?: string;
  readonly operationId?: string;
  readonly graphStatus?: number;
  readonly graphCode?: string;
  /** Attribute or property the error is about (e.g. `userPrincipalName` on ObjectConflict). */
  readonly target?: string;
  /** Permission the connection lacks for this operation, when Tenure can tell (e.g. a gated attribute). */
  readonly requiredPermission?: string;
  /** Milliseconds the service asked us to wait (Retry-After), when known. */
  readonly retryAfterMs?: number;
  /** Exchange cmdlet that failed and its exception type (e.g. `ManagementObjectNotFoundException`). */
  readonly cmdlet?: string;
  readonly exchangeException?: string;
}

export class TenureError extends Error {
  readonly terminal: boolean;
  constructor(
    readonly code: TenureErrorCode,
    message: string,
    readonly details: TenureErrorDetails = {},
    options?: { cause?: unknown; terminal?: boolean },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TenureError';
    this.terminal = options?.terminal ?? isTerminalCode(code);
  }

  /** A copy with more context (worker, operation); code, terminal mark and cause survive. */
  withDetails(more: TenureErrorDetails): TenureError {
    const copy = new TenureError(
      this.code,
      this.message,
      { ...this.details, ...more },
      {
        cause: this.cause,
        terminal: this.terminal,
      },
    );
    copy.stack = this.stack;
    return copy;
  }
}

export function isTenureError(value: unknown): value is TenureError {
  return value instanceof TenureError;
}

/** Normalises anything thrown into a TenureError (unknown errors are transient `TENURE_UNEXPECTED`). */
export function toTenureError(value: unknown): TenureError {
  if (value instanceof TenureError) return value;
  const name = value instanceof Error ? value.name : typeof value;
  return new TenureError('TENURE_UNEXPECTED', `Unexpected ${name}.`, {}, { cause: value, terminal: false });
}
