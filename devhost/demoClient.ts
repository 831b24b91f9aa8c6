// A small HTTP(S) JSON client for `npm run demo`: trusts the emulator's CA for its HTTPS endpoints, never prints
// keys or tokens, and turns every failure into a sentence naming the URL path and status.
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface Reply {
  status: number;
  headers: Record<string, string>;
  text: string;
  json: unknown;
}

export class DemoHttpError extends Error {}

export class DemoClient {
  private readonly ca?: Buffer;
  constructor(caPath?: string) {
    if (caPath) this.ca = readFileSync(caPath);
  }

  call(
    method: string,
    url: string,
    options: { headers?: Record<string, string>; body?: string | Buffer; json?: unknown } = {},
  ): Promise<Reply> {
    const target = new URL(url);
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    let body = options.body;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] = 'application/json';
    }
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(
        target,
        {
          method,
          headers,
          ...(target.protocol === 'https:' && this.ca ? { ca: this.ca } : {}),
          timeout: 60_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json: unknown;
            try {
              json = text ? JSON.parse(text) : undefined;
            } catch {
              json = undefined;
            }
            const flat: Record<string, string> = {};
            for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') flat[k] = v;
            resolve({ status: res.statusCode ?? 0, headers: flat, text, json });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('no answer within 60 s')));
      req.on('error', (error: NodeJS.ErrnoException) =>
        reject(
          new DemoHttpError(
            `${method} ${target.origin}${target.pathname} failed: ${error.code === 'ECONNREFUSED' ? 'nothing is listening there' : error.message}`,
          ),
        ),
      );
      if (body !== undefined) req.write(body);
      req.end();
    });
  }
}

/** The error message of a Tenure or emulator answer, for a one-line explanation. */
export function reason(reply: Reply): string {
  const j = reply.json as { error?: unknown; message?: unknown } | undefined;
  const e = j?.error;
  if (e && typeof e === 'object') {
    const { code, message } = e as { code?: unknown; message?: unknown };
    return `HTTP ${reply.status} ${String(code ?? '')}: ${String(message ?? '')}`.trim();
  }
  if (typeof j?.message === 'string') return `HTTP ${reply.status}: ${j.message}`;
  return `HTTP ${reply.status}${reply.text ? `: ${reply.text.slice(0, 200)}` : ''}`;
}
