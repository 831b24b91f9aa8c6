// Connection errors with stable codes; messages name ids and settings, never secrets or tokens.
export type ConnectionErrorCode =
  | 'TENURE_CONNECTION_INVALID'
  | 'TENURE_CONNECTION_NOT_FOUND'
  | 'TENURE_CONNECTION_CONFLICT'
  | 'TENURE_CONNECTION_WRONG_KIND'
  | 'TENURE_CONNECTION_NOT_LINKED'
  | 'TENURE_CONNECTION_RELINK_REQUIRED'
  | 'TENURE_OAUTH_STATE_INVALID'
  | 'TENURE_OAUTH_FAILED'
  | 'TENURE_SERVICE_PROVIDER_NOT_CONFIGURED';

export class ConnectionError extends Error {
  constructor(
    readonly code: ConnectionErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ConnectionError';
  }
}
