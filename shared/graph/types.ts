// Plain request/response shapes of the Graph client: built by pure functions, sent by a transport, processed by
// pure functions (build → send → process). URLs are relative to the version root (`/users/{id}`).
export type GraphMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface GraphRequest {
  readonly method: GraphMethod;
  /** Relative to the version root, starting with `/`, query string included. */
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  /**
   * The request targets an object Tenure just created or restored: a 404 is most likely replication lag, so it
   * is retried with back-off before it counts as not found.
   */
  readonly tolerateLag?: boolean;
}

export interface GraphResponse {
  readonly status: number;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  /** Parsed JSON body, or undefined when there is none. */
  readonly body: unknown;
}

/** Sends one HTTP request to Graph. Only this layer touches the network. */
export interface GraphTransport {
  send(request: GraphRequest): Promise<GraphResponse>;
}

export interface GraphErrorBody {
  readonly code: string;
  readonly message: string;
  readonly details: readonly { readonly code?: string; readonly target?: string }[];
}

/** The `error` object of a Graph error response, or undefined. */
export function graphErrorOf(response: GraphResponse): GraphErrorBody | undefined {
  const body = response.body as
    { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined;
  const err = body?.error;
  if (!err || typeof err !== 'object') return undefined;
  return {
    code: typeof err.code === 'string' ? err.code : '',
    message: typeof err.message === 'string' ? err.message : '',
    details: Array.isArray(err.details) ? (err.details as GraphErrorBody['details']) : [],
  };
}

export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}
