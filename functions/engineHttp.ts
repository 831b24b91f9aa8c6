// HTTP answers for engine errors: stable code, admin-readable message (ids and attribute names only).
import type { HttpResponseInit, InvocationContext } from '@azure/functions';
import { isTenureError } from '../shared/engine/errors';

const STATUS: Record<string, number> = {
  TENURE_UNKNOWN_FLOW: 404,
  TENURE_INVALID_RECORD: 400,
  TENURE_INVALID_MESSAGE: 400,
  TENURE_MAPPING: 422,
  TENURE_UNRESOLVED_REFERENCE: 422,
  TENURE_NAMING_EXHAUSTED: 422,
  TENURE_GRAPH_FORBIDDEN: 502,
  TENURE_GRAPH_THROTTLED: 503,
  TENURE_GRAPH_UNAVAILABLE: 503,
  TENURE_STORAGE_UNAVAILABLE: 503,
  TENURE_CREDENTIALS_UNAVAILABLE: 409,
};

export function engineErrorResponse(error: unknown, context: InvocationContext): HttpResponseInit {
  if (isTenureError(error)) {
    return {
      status: STATUS[error.code] ?? 500,
      jsonBody: { error: { code: error.code, message: error.message } },
    };
  }
  context.error(`unexpected ${error instanceof Error ? error.constructor.name : typeof error}`);
  return {
    status: 500,
    jsonBody: { error: { code: 'TENURE_INTERNAL', message: 'Unexpected error; see the function logs.' } },
  };
}

export function invalid(message: string): HttpResponseInit {
  return { status: 400, jsonBody: { error: { code: 'TENURE_INVALID_REQUEST', message } } };
}

/** engineErrorResponse in the shape adminOnly takes. */
export const engineError = (
  error: unknown,
  _request: unknown,
  context: InvocationContext,
): HttpResponseInit => engineErrorResponse(error, context);
