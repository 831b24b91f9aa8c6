// Maps Tenure errors to HTTP answers in one place: a stable code and an admin-readable message, never a stack,
// a token or a secret. Unknown errors are logged with their class only and answered 500.
import type { HttpResponseInit, InvocationContext } from '@azure/functions';
import { ConnectionError } from '../shared/connections/errors';

const STATUS: Record<string, number> = {
  TENURE_CONNECTION_INVALID: 400,
  TENURE_CONNECTION_NOT_FOUND: 404,
  TENURE_CONNECTION_CONFLICT: 409,
  TENURE_CONNECTION_WRONG_KIND: 409,
  TENURE_CONNECTION_NOT_LINKED: 409,
  TENURE_CONNECTION_RELINK_REQUIRED: 409,
  TENURE_OAUTH_STATE_INVALID: 400,
  TENURE_OAUTH_FAILED: 502,
  TENURE_SERVICE_PROVIDER_NOT_CONFIGURED: 501,
};

export function errorResponse(error: unknown, context: InvocationContext): HttpResponseInit {
  if (error instanceof ConnectionError) {
    return {
      status: STATUS[error.code] ?? 400,
      jsonBody: { error: { code: error.code, message: error.message } },
    };
  }
  const name = error instanceof Error ? error.constructor.name : typeof error;
  const status = (error as { statusCode?: unknown }).statusCode;
  context.error(`unexpected ${name}${typeof status === 'number' ? ` (HTTP ${status})` : ''}`);
  return {
    status: 500,
    jsonBody: { error: { code: 'TENURE_INTERNAL', message: 'Unexpected error; see the function logs.' } },
  };
}

export function badRequest(errors: { field: string; reason: string }[]): HttpResponseInit {
  return {
    status: 400,
    jsonBody: {
      error: { code: 'TENURE_CONNECTION_INVALID', message: 'The request is not valid.', details: errors },
    },
  };
}
