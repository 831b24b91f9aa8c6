// Turns a Router into a node:http(s) request listener: reads the body, dispatches, writes the answer, records the
// request in the emulator's request log (tests assert on it, e.g. "zero Graph writes on the second run").
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorRequest, EmulatorResponse, Router } from './router';
import type { RequestLog } from '../state/requestLog';
import { redactedSearch } from './redact';

export interface ServeOptions {
  service: string;
  router: Router;
  log: RequestLog;
  /** Answer for an unknown route or a method the route does not take. */
  notFound: (req: EmulatorRequest) => EmulatorResponse;
  /** Answer for a handler that threw. */
  internalError: (req: EmulatorRequest, error: unknown) => EmulatorResponse;
  /** Largest body accepted (bytes). */
  maxBodyBytes?: number;
}

export function serve(options: ServeOptions) {
  return (raw: IncomingMessage, res: ServerResponse): void => {
    void handle(options, raw, res);
  };
}

async function handle(options: ServeOptions, raw: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = Date.now();
  const url = new URL(raw.url ?? '/', 'https://emulator.invalid');
  const req: EmulatorRequest = {
    method: (raw.method ?? 'GET').toUpperCase(),
    path: url.pathname,
    url,
    query: url.searchParams,
    headers: raw.headers,
    params: {},
    body: Buffer.alloc(0),
    raw,
  };
  let answer: EmulatorResponse | void;
  try {
    req.body = await readBody(raw, options.maxBodyBytes ?? 50 * 1024 * 1024);
    const found = options.router.match(req.method, req.path);
    if (!found || 'methodMismatch' in found) answer = options.notFound(req);
    else {
      req.params = found.params;
      answer = await found.handler(req, res);
    }
  } catch (error) {
    answer = options.internalError(req, error);
  }
  if (answer) write(res, answer);
  // writeHead() alone leaves nothing for getHeader(), so the answer's own headers come first.
  const retryAfter =
    Object.entries(answer?.headers ?? {}).find(([k]) => k.toLowerCase() === 'retry-after')?.[1] ??
    res.getHeader('retry-after');
  options.log.record({
    service: options.service,
    method: req.method,
    path: req.path,
    query: redactedSearch(url),
    status: res.statusCode,
    durationMs: Date.now() - started,
    tenantId: res.getHeader('x-emulator-tenant')?.toString(),
    appId: res.getHeader('x-emulator-app')?.toString(),
    ...(retryAfter !== undefined ? { retryAfter: String(retryAfter) } : {}),
  });
}

function readBody(raw: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    raw.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        reject(new Error('request body too large'));
        raw.destroy();
      } else chunks.push(c);
    });
    raw.on('end', () => resolve(Buffer.concat(chunks)));
    raw.on('error', reject);
  });
}

export function write(res: ServerResponse, answer: EmulatorResponse): void {
  if (res.headersSent) return;
  const headers: Record<string, string | string[]> = { ...(answer.headers ?? {}) };
  let payload: Buffer | undefined;
  if (answer.body === undefined || answer.body === null) payload = undefined;
  else if (Buffer.isBuffer(answer.body)) payload = answer.body;
  else if (typeof answer.body === 'string') payload = Buffer.from(answer.body);
  else {
    payload = Buffer.from(JSON.stringify(answer.body));
    if (!hasHeader(headers, 'content-type')) headers['Content-Type'] = 'application/json; charset=utf-8';
  }
  if (payload) headers['Content-Length'] = String(payload.length);
  res.writeHead(answer.status, headers);
  res.end(payload);
}

function hasHeader(headers: Record<string, unknown>, name: string): boolean {
  return Object.keys(headers).some((k) => k.toLowerCase() === name);
}

/** Parses a JSON body; undefined for an empty body; throws SyntaxError for malformed JSON. */
export function jsonBody(req: EmulatorRequest): unknown {
  if (req.body.length === 0) return undefined;
  return JSON.parse(req.body.toString('utf8'));
}

/** Parses an application/x-www-form-urlencoded body. */
export function formBody(req: EmulatorRequest): URLSearchParams {
  return new URLSearchParams(req.body.toString('utf8'));
}
