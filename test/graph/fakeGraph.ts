// A fake HTTP layer for Graph client unit tests: a custom SDK middleware that answers from scripted handlers,
// records every request (including the sub-requests of a $batch), and serves $batch by dispatching sub-requests.
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import type { AccessToken, TokenCredential } from '@azure/core-auth';

export interface Recorded {
  method: string;
  url: string;
  body: unknown;
  headers: Record<string, string>;
  inBatch: boolean;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (req: Recorded) => Reply | undefined;

export class FakeGraph implements Middleware {
  readonly requests: Recorded[] = [];
  private readonly handlers: Handler[] = [];

  on(method: string, path: RegExp, reply: Reply | ((req: Recorded) => Reply)): this {
    this.handlers.push((req) => {
      if (req.method !== method || !path.test(req.url)) return undefined;
      return typeof reply === 'function' ? reply(req) : reply;
    });
    return this;
  }

  /** Replies in order, then keeps answering with the last one. */
  sequence(method: string, path: RegExp, replies: Reply[]): this {
    let i = 0;
    return this.on(method, path, () => replies[Math.min(i++, replies.length - 1)]);
  }

  private dispatch(req: Recorded): Reply {
    this.requests.push(req);
    for (let i = this.handlers.length - 1; i >= 0; i--) {
      const r = this.handlers[i](req);
      if (r) return r;
    }
    return { status: 404, body: { error: { code: 'Request_ResourceNotFound', message: 'no handler' } } };
  }

  writes(): Recorded[] {
    return this.requests.filter((r) => r.method !== 'GET' && !r.url.endsWith('$batch'));
  }

  async execute(context: Context): Promise<void> {
    const url = new URL(typeof context.request === 'string' ? context.request : context.request.url);
    const method = (context.options?.method ?? 'GET').toUpperCase();
    const rawBody = context.options?.body;
    const body = typeof rawBody === 'string' && rawBody !== '' ? JSON.parse(rawBody) : undefined;
    const headers: Record<string, string> = {};
    new Headers(context.options?.headers as Record<string, string> | undefined).forEach(
      (v, k) => (headers[k] = v),
    );
    const path = decodeURIComponent(url.pathname.replace(/^\/v1\.0/, '') + url.search);
    let reply: Reply;
    if (path === '/$batch' && method === 'POST') {
      this.requests.push({ method, url: path, body, headers, inBatch: false });
      const subs = (
        body as {
          requests: {
            id: string;
            method: string;
            url: string;
            body?: unknown;
            headers?: Record<string, string>;
          }[];
        }
      ).requests;
      const responses = subs.map((s) => {
        const r = this.dispatch({
          method: s.method,
          url: decodeURIComponent(s.url),
          body: s.body,
          headers: s.headers ?? {},
          inBatch: true,
        });
        return { id: s.id, status: r.status, headers: r.headers ?? {}, body: r.body };
      });
      reply = { status: 200, body: { responses: responses.reverse() } };
    } else {
      reply = this.dispatch({ method, url: path, body, headers, inBatch: false });
    }
    context.response = new Response(reply.body === undefined ? null : JSON.stringify(reply.body), {
      status: reply.status,
      headers: { 'content-type': 'application/json', ...(reply.headers ?? {}) },
    });
  }
}

export const fakeCredential: TokenCredential = {
  async getToken(): Promise<AccessToken> {
    return { token: 'test-token', expiresOnTimestamp: Date.now() + 3_600_000 };
  },
};

export const GRAPH_ROOT = 'https://graph.test.local';

export function graphError(status: number, code: string, message: string, details?: unknown[]): Reply {
  return {
    status,
    body: { error: { code, message, innerError: { 'request-id': 'r' }, ...(details ? { details } : {}) } },
  };
}
