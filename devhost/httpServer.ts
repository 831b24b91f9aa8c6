// Serves the app's HTTP functions on http://127.0.0.1:<port>/api/... with the package's own HttpRequest and
// InvocationContext, honouring each function's authLevel with a local function key (x-functions-key or ?code=).
import { HttpRequest, HttpResponse, InvocationContext, type HttpResponseInit } from '@azure/functions';
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { compileRoute, type CompiledRoute } from './httpRoutes';
import type { LoadedApp, RegisteredFunction } from './loadApp';
import type { Logger } from './logger';

interface HttpFunction {
  fn: RegisteredFunction;
  route: CompiledRoute;
  methods: Set<string>;
  authLevel: string;
}

export interface HttpHost {
  port: number;
  url: string;
  close(): Promise<void>;
}

export async function startHttpHost(
  loaded: LoadedApp,
  options: { host: string; port: number; functionKey: string; logger: Logger; maxBodyBytes?: number },
): Promise<HttpHost> {
  const functions: HttpFunction[] = loaded.functions
    .map((fn) => ({ fn, trigger: loaded.trigger(fn) }))
    .filter(({ trigger }) => trigger.type === 'httpTrigger')
    .map(({ fn, trigger }) => ({
      fn,
      route: compileRoute(String(trigger.route ?? fn.name)),
      methods: new Set(
        ((trigger.methods as string[] | undefined) ?? ['GET', 'POST']).map((m) => m.toUpperCase()),
      ),
      authLevel: String(trigger.authLevel ?? 'function'),
    }));
  const server: Server = createServer((req, res) => {
    void dispatch(functions, options, req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://${options.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function dispatch(
  functions: HttpFunction[],
  options: { functionKey: string; logger: Logger; maxBodyBytes?: number },
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
  const method = (req.method ?? 'GET').toUpperCase();
  let matched: { f: HttpFunction; params: Record<string, string> } | undefined;
  for (const f of functions) {
    const params = f.route.match(url.pathname);
    if (params && f.methods.has(method)) {
      matched = { f, params };
      break;
    }
  }
  if (!matched) return end(res, 404);
  const { f, params } = matched;
  if (
    f.authLevel !== 'anonymous' &&
    !keyMatches(options.functionKey, req.headers['x-functions-key'], url.searchParams.get('code'))
  ) {
    return end(res, 401);
  }
  let body: Buffer;
  try {
    body = await readBody(req, options.maxBodyBytes ?? 100 * 1024 * 1024);
  } catch {
    return end(res, 413);
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers))
    if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
  const request = new HttpRequest({
    method,
    url: url.toString(),
    headers,
    params,
    body: body.length > 0 ? { bytes: body } : undefined,
  });
  const invocationId = randomUUID();
  const context = new InvocationContext({
    functionName: f.fn.name,
    invocationId,
    logHandler: (level, ...args) => options.logger.functionLog(f.fn.name, level, args),
  });
  const started = Date.now();
  try {
    const result = (await f.fn.handler(request, context)) as HttpResponseInit | HttpResponse | undefined;
    const response = result instanceof HttpResponse ? result : new HttpResponse(result ?? { status: 204 });
    const payload = Buffer.from(await response.arrayBuffer());
    const outHeaders: Record<string, string | string[]> = {};
    response.headers.forEach((value, key) => {
      outHeaders[key] = value;
    });
    const cookies = response.cookies.map(serializeCookie);
    if (cookies.length > 0) outHeaders['set-cookie'] = cookies;
    outHeaders['content-length'] = String(payload.length);
    res.writeHead(response.status, outHeaders);
    res.end(payload);
  } catch (error) {
    options.logger.functionLog(f.fn.name, 'error', [
      `Executed '${f.fn.name}' (Failed, Id=${invocationId})`,
      error,
    ]);
    end(res, 500);
  } finally {
    options.logger.request(method, url.pathname, res.statusCode, Date.now() - started);
  }
}

function keyMatches(key: string, header: string | string[] | undefined, code: string | null): boolean {
  const given = (Array.isArray(header) ? header[0] : header) ?? code ?? '';
  const a = Buffer.from(given);
  const b = Buffer.from(key);
  return a.length === b.length && timingSafeEqual(a, b);
}

function end(res: ServerResponse, status: number): void {
  res.writeHead(status, { 'content-length': '0' });
  res.end();
}

function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        req.destroy();
        reject(new Error('too large'));
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

interface CookieLike {
  name: string;
  value: string;
  domain?: string;
  path?: string;
  expires?: Date | number;
  secure?: boolean;
  httpOnly?: boolean;
  sameSite?: 'Strict' | 'Lax' | 'None';
  maxAge?: number;
}

function serializeCookie(c: CookieLike): string {
  const parts = [`${c.name}=${c.value}`];
  if (c.domain) parts.push(`Domain=${c.domain}`);
  if (c.path) parts.push(`Path=${c.path}`);
  if (c.expires !== undefined) parts.push(`Expires=${new Date(c.expires).toUTCString()}`);
  if (c.maxAge !== undefined) parts.push(`Max-Age=${c.maxAge}`);
  if (c.secure) parts.push('Secure');
  if (c.httpOnly) parts.push('HttpOnly');
  if (c.sameSite) parts.push(`SameSite=${c.sameSite}`);
  return parts.join('; ');
}
