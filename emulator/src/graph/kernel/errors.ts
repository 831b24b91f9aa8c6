// Graph's error envelope (graph-spec.md §1.6, https://learn.microsoft.com/graph/errors):
// {"error":{"code","message","innerError":{"date","request-id","client-request-id"},"details"?}} plus the
// request-id / client-request-id response headers on every answer.
import type { EmulatorResponse } from '../../http/router';

/** A detail entry as Graph puts it in `error.details` (e.g. ObjectConflict on userPrincipalName). */
export interface GraphErrorDetail {
  code: string;
  message?: string;
  target?: string;
}

/** The ids one Graph request carries: ours (request-id) and the caller's (client-request-id, echoed). */
export interface RequestIds {
  requestId: string;
  clientRequestId: string;
  /** Emulator clock time of the request (innerError.date). */
  now: number;
}

/** Graph's innerError date format: ISO without milliseconds or zone ("2021-05-18T19:12:36"). */
export function graphDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

export function idHeaders(ids: RequestIds): Record<string, string> {
  return { 'request-id': ids.requestId, 'client-request-id': ids.clientRequestId };
}

/** The body of a Graph error. */
export function graphErrorBody(
  ids: RequestIds,
  code: string,
  message: string,
  details?: GraphErrorDetail[],
): { error: Record<string, unknown> } {
  const error: Record<string, unknown> = {
    code,
    message,
    innerError: {
      date: graphDate(ids.now),
      'request-id': ids.requestId,
      'client-request-id': ids.clientRequestId,
    },
  };
  if (details && details.length > 0) error.details = details;
  return { error };
}

/** The answer for a thrown GraphError (its status, code, message, details and headers, plus `headers`). */
export function graphErrorAnswer(
  ids: RequestIds,
  error: GraphError,
  headers: Record<string, string> = {},
): EmulatorResponse {
  return graphErrorResponse(ids, error.status, error.code, error.message, error.details, {
    ...headers,
    ...(error.headers ?? {}),
  });
}

/** A complete Graph error answer (status, body, id headers). */
export function graphErrorResponse(
  ids: RequestIds,
  status: number,
  code: string,
  message: string,
  details?: GraphErrorDetail[],
  headers: Record<string, string> = {},
): EmulatorResponse {
  return {
    status,
    headers: { ...idHeaders(ids), ...headers },
    body: graphErrorBody(ids, code, message, details),
  };
}

/**
 * Thrown by route code deep inside validation; the pipeline turns it into the Graph error answer. Use it where
 * returning a response would be awkward (validators, helpers shared by several routes).
 */
export class GraphError extends Error {
  readonly code: string;
  constructor(
    readonly status: number,
    code: string,
    message: string,
    readonly details?: GraphErrorDetail[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.code = code;
  }
}

/** Common Graph errors, with the texts Graph uses (sources in emulator/docs/graph.md). */
export const graphErrors = {
  unreadableJson: () =>
    new GraphError(
      400,
      'BadRequest',
      'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
    ),
  badRequest: (message: string, details?: GraphErrorDetail[]) =>
    new GraphError(400, 'Request_BadRequest', message, details),
  invalidValue: (property: string, resource = 'User') =>
    new GraphError(
      400,
      'Request_BadRequest',
      `Invalid value specified for property '${property}' of resource '${resource}'.`,
    ),
  notFound: (id: string) =>
    new GraphError(
      404,
      'Request_ResourceNotFound',
      `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
    ),
  forbidden: () =>
    new GraphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'),
  unsupportedQuery: (message = 'Unsupported Query.') =>
    new GraphError(400, 'Request_UnsupportedQuery', message),
  conflict: (property: string, conflictingId?: string) => {
    const message = `Another object with the same value for property ${property} already exists.`;
    // The UPN body (docs issue 1508) has bare details; the proxy body (docs-contrib issue 8421) adds messages
    // and a ConflictingObjects entry.
    if (property !== 'proxyAddresses')
      return new GraphError(400, 'Request_BadRequest', message, [
        { target: property, code: 'ObjectConflict' },
      ]);
    const details: GraphErrorDetail[] = [{ code: 'ObjectConflict', message, target: property }];
    if (conflictingId) details.push({ code: 'ConflictingObjects', message, target: conflictingId });
    return new GraphError(400, 'Request_BadRequest', message, details);
  },
};
