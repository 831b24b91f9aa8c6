// POST /v1.0/$batch (graph-spec §3, https://learn.microsoft.com/graph/json-batching): up to 20 requests with
// unique (case-insensitive) ids and relative URLs; each runs through the same pipeline as a direct call
// (token, faults, throttling, permissions); dependsOn sequences them and dependents of a failure get 424; the
// envelope is 200 once the batch parsed, and responses come back in shuffled order.
import type { ServerResponse } from 'node:http';
import type { EmulatorContext } from '../context';
import type { EmulatorRequest, EmulatorResponse, Router } from '../http/router';
import type { ServiceDefinition } from '../services';
import { authenticateGraph } from './kernel/auth';
import { GraphError, graphErrorAnswer, graphErrorBody, graphErrorResponse, idHeaders } from './kernel/errors';
import { header, requestIdsFor } from './kernel/pipeline';
import { graphRandom } from './kernel/settings';

export const MAX_BATCH_REQUESTS = 20;

interface BatchItem {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  dependsOn: string[];
}

const WRITE_METHODS = new Set(['POST', 'PATCH', 'PUT']);

function bad(message: string): GraphError {
  return new GraphError(400, 'BadRequest', message);
}

function parseBatch(raw: Buffer): BatchItem[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    throw bad('Invalid batch payload format.');
  }
  const requests = (parsed as { requests?: unknown } | null)?.requests;
  if (!Array.isArray(requests) || requests.length === 0) throw bad('Invalid batch payload format.');
  if (requests.length > MAX_BATCH_REQUESTS)
    throw bad(`Number of batch request steps exceeds the maximum of ${MAX_BATCH_REQUESTS}.`);
  const seen = new Set<string>();
  const items: BatchItem[] = [];
  for (const r of requests as Record<string, unknown>[]) {
    if (r === null || typeof r !== 'object') throw bad('Invalid batch payload format.');
    const id = r.id;
    if (typeof id !== 'string' || id === '') throw bad('Batch request step is missing its Id.');
    // Ids are compared case-insensitively (docs issue 4449: "Request Id A has to be unique in a batch").
    if (seen.has(id.toLowerCase())) throw bad(`Request Id ${id} has to be unique in a batch.`);
    const method = typeof r.method === 'string' ? r.method.toUpperCase() : '';
    if (!['GET', 'POST', 'PATCH', 'PUT', 'DELETE'].includes(method))
      throw bad(`Invalid method for request Id ${id}.`);
    const url = r.url;
    if (typeof url !== 'string' || url === '') throw bad(`Invalid URL for request Id ${id}.`);
    if (/^[a-z]+:\/\//i.test(url))
      throw bad(`Invalid request URL for request Id ${id}: batch request URLs must be relative.`);
    const headers: Record<string, string> = {};
    if (r.headers !== undefined) {
      if (r.headers === null || typeof r.headers !== 'object')
        throw bad(`Invalid headers for request Id ${id}.`);
      for (const [k, v] of Object.entries(r.headers as Record<string, unknown>))
        headers[k.toLowerCase()] = String(v);
    }
    // "headers ... required when body is present and must include Content-Type" (json-batching).
    if (WRITE_METHODS.has(method) && (r.body === undefined || !headers['content-type']))
      throw bad(`Write request id : ${id} does not contain Content-Type header or body.`);
    const dependsOn = r.dependsOn === undefined ? [] : r.dependsOn;
    if (
      !Array.isArray(dependsOn) ||
      dependsOn.some((d) => typeof d !== 'string' || !seen.has(d.toLowerCase()))
    )
      throw bad(`Invalid dependency for request Id ${id}.`);
    seen.add(id.toLowerCase());
    items.push({ id, method, url, headers, body: r.body, dependsOn: dependsOn as string[] });
  }
  return items;
}

function subRequestBody(item: BatchItem): Buffer {
  if (item.body === undefined) return Buffer.alloc(0);
  const type = item.headers['content-type'] ?? '';
  if (typeof item.body === 'string' && !/json/i.test(type)) return Buffer.from(item.body, 'base64');
  return Buffer.from(typeof item.body === 'string' ? item.body : JSON.stringify(item.body));
}

function toResponseBody(answer: EmulatorResponse): unknown {
  const b = answer.body;
  if (b === undefined || b === null) return undefined;
  if (Buffer.isBuffer(b)) return b.toString('base64');
  if (typeof b === 'string') return b;
  return b;
}

export function registerBatchRoute(
  router: Router,
  ctx: EmulatorContext,
  service: () => ServiceDefinition,
): void {
  router.add('POST', '/v1.0/$batch', async (req, res) => {
    const ids = requestIdsFor(ctx, req);
    try {
      const caller = authenticateGraph(ctx, header(req, 'authorization'));
      if (!res.headersSent) {
        res.setHeader('x-emulator-tenant', caller.tenant.id);
        res.setHeader('x-emulator-app', caller.appId);
      }
      const items = parseBatch(req.body);
      const results = new Map<string, { status: number; response: Record<string, unknown> }>();
      for (const item of items) {
        const failedDependency = item.dependsOn.some((d) => {
          const r = [...results.entries()].find(([k]) => k.toLowerCase() === d.toLowerCase())?.[1];
          return !r || r.status >= 400;
        });
        if (failedDependency) {
          results.set(item.id, {
            status: 424,
            response: {
              id: item.id,
              status: 424,
              headers: { 'Content-Type': 'application/json' },
              body: graphErrorBody(
                { ...ids, requestId: ids.requestId },
                'FailedDependency',
                'Dependent request failed.',
              ),
            },
          });
          continue;
        }
        const started = Date.now();
        const answer = await dispatch(ctx, service(), req, res, item);
        const retryAfter = Object.entries(answer.headers ?? {}).find(
          ([k]) => k.toLowerCase() === 'retry-after',
        )?.[1];
        ctx.state.log.record({
          service: 'graph',
          method: item.method,
          path: new URL(relative(item.url), 'https://graph.invalid').pathname,
          query: new URL(relative(item.url), 'https://graph.invalid').search,
          status: answer.status,
          durationMs: Date.now() - started,
          tenantId: caller.tenant.id,
          appId: caller.appId,
          detail: `$batch ${item.id}`,
          ...(retryAfter !== undefined ? { retryAfter: String(retryAfter) } : {}),
        });
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(answer.headers ?? {}))
          headers[k] = Array.isArray(v) ? v.join(', ') : v;
        const body = toResponseBody(answer);
        if (body !== undefined && typeof body === 'object' && !headers['Content-Type'])
          headers['Content-Type'] = 'application/json';
        results.set(item.id, {
          status: answer.status,
          response: { id: item.id, status: answer.status, headers, ...(body === undefined ? {} : { body }) },
        });
      }
      const responses = graphRandom(ctx.state).shuffle([...results.values()].map((r) => r.response));
      return { status: 200, headers: { ...idHeaders(ids), 'OData-Version': '4.0' }, body: { responses } };
    } catch (error) {
      if (error instanceof GraphError) return graphErrorAnswer(ids, error);
      throw error;
    }
  });
}

/**
 * Batch URLs are relative to the batch's version ("/users" or "users?…"). The Graph SDK's BatchRequestContent
 * keeps the version segment ("/v1.0/users"), which Graph accepts, so a leading version is kept as given.
 */
function relative(url: string): string {
  const path = url.startsWith('/') ? url : `/${url}`;
  return /^\/(v1\.0|beta)\//i.test(path) ? path : `/v1.0${path}`;
}

async function dispatch(
  ctx: EmulatorContext,
  service: ServiceDefinition,
  outer: EmulatorRequest,
  res: ServerResponse,
  item: BatchItem,
): Promise<EmulatorResponse> {
  const url = new URL(relative(item.url), 'https://emulator.invalid');
  const headers: EmulatorRequest['headers'] = {
    ...item.headers,
    authorization: outer.headers.authorization,
    host: outer.headers.host,
  };
  const sub: EmulatorRequest = {
    method: item.method,
    path: url.pathname,
    url,
    query: url.searchParams,
    headers,
    params: {},
    body: subRequestBody(item),
    raw: outer.raw,
  };
  if (/\/\$batch$/i.test(sub.path))
    return graphErrorResponse(
      requestIdsFor(ctx, sub),
      400,
      'BadRequest',
      'Nested batch requests are not supported.',
    );
  const found = service.router.match(sub.method, sub.path);
  if (!found || 'methodMismatch' in found) return service.notFound(sub);
  sub.params = found.params;
  try {
    return (await found.handler(sub, res)) ?? { status: 500 };
  } catch (error) {
    return service.internalError(sub, error);
  }
}
