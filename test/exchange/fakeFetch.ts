// A scripted fetch for Exchange adapter tests: answers in order, records every request.
import type { FetchLike } from '../../shared/exchange/client';

export interface Scripted {
  status: number;
  body?: unknown;
  text?: string;
  headers?: Record<string, string>;
}

export interface SeenRequest {
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

export function scriptedFetch(answers: Scripted[]): { fetch: FetchLike; seen: SeenRequest[] } {
  const seen: SeenRequest[] = [];
  const fetch: FetchLike = async (url, init) => {
    seen.push({ url, headers: init.headers, body: JSON.parse(init.body) as unknown });
    const a = answers.shift();
    if (!a) throw new Error('no scripted answer left');
    const headers = new Map(Object.entries(a.headers ?? {}));
    return {
      status: a.status,
      headers: { forEach: (cb: (v: string, k: string) => void) => headers.forEach((v, k) => cb(v, k)) },
      text: async () => a.text ?? (a.body === undefined ? '' : JSON.stringify(a.body)),
    };
  };
  return { fetch, seen };
}

/** An Exchange cmdlet error body as the admin API returns it. */
export function cmdletError(code: string, detail: string): unknown {
  return {
    error: {
      code,
      message: 'Error executing cmdlet',
      details: [{ code: 'Context', target: '', message: detail }],
      innererror: { type: 'Microsoft.Exchange.Admin.OData.Core.ODataServiceException' },
    },
  };
}
