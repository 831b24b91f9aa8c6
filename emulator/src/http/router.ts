// A small router for the emulator's services: method + path template ("/v1.0/users/{id}") → handler.
// Path parameters are URL-decoded; matching is case-insensitive on literal segments, as Microsoft's services are.
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface EmulatorRequest {
  method: string;
  /** Path without the query string, as received (not decoded). */
  path: string;
  url: URL;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  params: Record<string, string>;
  /** Raw request body. */
  body: Buffer;
  raw: IncomingMessage;
}

export interface EmulatorResponse {
  status: number;
  headers?: Record<string, string | string[]>;
  /** A string or Buffer is sent as is; anything else as JSON. */
  body?: unknown;
}

export type Handler = (
  req: EmulatorRequest,
  res: ServerResponse,
) => Promise<EmulatorResponse | void> | EmulatorResponse | void;

interface Route {
  method: string;
  segments: string[];
  handler: Handler;
}

export class Router {
  readonly #routes: Route[] = [];

  add(method: string, template: string, handler: Handler): this {
    this.#routes.push({ method: method.toUpperCase(), segments: split(template), handler });
    return this;
  }

  /** The handler and parameters for a request, or undefined; `methodMismatch` when only the method differs. */
  match(
    method: string,
    path: string,
  ): { handler: Handler; params: Record<string, string> } | { methodMismatch: true } | undefined {
    const parts = split(path);
    let methodMismatch = false;
    for (const route of this.#routes) {
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      if (route.method !== method.toUpperCase() && route.method !== '*') {
        methodMismatch = true;
        continue;
      }
      return { handler: route.handler, params };
    }
    return methodMismatch ? { methodMismatch: true } : undefined;
  }
}

function split(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

function matchSegments(template: string[], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < template.length; i++) {
    const t = template[i]!;
    if (t === '{*rest}') {
      params.rest = parts.slice(i).map(safeDecode).join('/');
      return params;
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    const m = /^\{(\w+)\}$/.exec(t);
    if (m) params[m[1]!] = safeDecode(part);
    else if (t.toLowerCase() !== safeDecode(part).toLowerCase()) return undefined;
  }
  return template.length === parts.length ? params : undefined;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
