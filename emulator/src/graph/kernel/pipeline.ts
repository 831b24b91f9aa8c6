// The request pipeline every Graph route runs through, in Graph's order: request ids → token (401) → injected
// latency and 503/504 faults → throttling (429) → permission (403) → the route's handler. $batch sends each
// sub-request through the same pipeline. Other Graph route modules register with `addGraphRoute`.
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { EmulatorContext } from '../../context';
import type { EmulatorRequest, EmulatorResponse, Router } from '../../http/router';
import type { Tenant } from '../../state/model';
import { authenticateGraph, requirePermission, type GraphCaller, type PermissionRule } from './auth';
import { GraphError, graphErrorResponse, idHeaders, type RequestIds } from './errors';
import { drawInjectedError, drawLatencyMs } from './faults';
import { chargeRequest, identityCost, type RequestCost } from './throttle';
import { graphSettings } from './settings';

/** Graph's JSON content type. */
export const GRAPH_JSON =
  'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

/** Everything a Graph handler gets besides the request. */
export interface GraphCall extends RequestIds {
  ctx: EmulatorContext;
  caller: GraphCaller;
  tenant: Tenant;
  /** A JSON answer with the id headers (and OData-Version). */
  json(status: number, body: unknown, headers?: Record<string, string>): EmulatorResponse;
  /** 204 No Content with the id headers. */
  noContent(): EmulatorResponse;
  /** A Graph error answer with the id headers. */
  error(status: number, code: string, message: string, details?: GraphError['details']): EmulatorResponse;
  /** `https://graph.microsoft.com/v1.0/$metadata#...` for this tenant's cloud (as Graph's @odata.context). */
  odataContext(fragment: string): string;
  /** The service root the caller used (for @odata.nextLink), e.g. https://127.0.0.1:1234/v1.0 */
  serviceRoot: string;
}

export type GraphHandler = (
  req: EmulatorRequest,
  call: GraphCall,
) => EmulatorResponse | Promise<EmulatorResponse>;

/**
 * How a route is throttled: 'identity' charges the directory buckets with the documented RU cost (default);
 * 'none' skips Graph's identity throttling (e.g. Outlook or OneDrive routes that have other limits); a function
 * gives a custom cost.
 */
export type ThrottleClass = 'identity' | 'none' | ((req: EmulatorRequest) => RequestCost);

export interface GraphRouteOptions {
  /** Permissions accepted (any one); checked after throttling. Omit only for routes that check themselves. */
  permissions?: PermissionRule;
  throttle?: ThrottleClass;
}

/** Registers a Graph route: `template` is the full path, e.g. '/v1.0/users/{id}'. */
export function addGraphRoute(
  router: Router,
  ctx: EmulatorContext,
  method: string,
  template: string,
  options: GraphRouteOptions,
  handler: GraphHandler,
): void {
  router.add(method, template, (req, res) => runGraphPipeline(ctx, req, res, options, handler));
}

/** Request ids for a request: a fresh request-id and the caller's client-request-id (or the same value). */
export function requestIdsFor(ctx: EmulatorContext, req: EmulatorRequest): RequestIds {
  const requestId = randomUUID();
  const header = req.headers['client-request-id'];
  const clientRequestId = (Array.isArray(header) ? header[0] : header) || requestId;
  return { requestId, clientRequestId, now: ctx.state.clock.now() };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

type TenantPreparer = (tenant: Tenant) => void;

/**
 * Registers work to run once per tenant before its first Graph request (e.g. normalising seeded data). Tenants
 * added at run time through the admin API are prepared the same way.
 */
export function onTenantFirstUse(ctx: EmulatorContext, prepare: TenantPreparer): void {
  ctx.state.extension<TenantPreparer[]>('graph.preparers', () => []).push(prepare);
}

function prepareTenant(ctx: EmulatorContext, tenant: Tenant): void {
  if (tenant.extensions.has('graph.prepared')) return;
  tenant.extensions.set('graph.prepared', true);
  for (const p of ctx.state.extension<TenantPreparer[]>('graph.preparers', () => [])) p(tenant);
}

export async function runGraphPipeline(
  ctx: EmulatorContext,
  req: EmulatorRequest,
  res: ServerResponse | undefined,
  options: GraphRouteOptions,
  handler: GraphHandler,
): Promise<EmulatorResponse> {
  const ids = requestIdsFor(ctx, req);
  let throttleHeaders: Record<string, string> = {};
  try {
    const caller = authenticateGraph(ctx, header(req, 'authorization'));
    prepareTenant(ctx, caller.tenant);
    if (res && !res.headersSent) {
      res.setHeader('x-emulator-tenant', caller.tenant.id);
      res.setHeader('x-emulator-app', caller.appId);
    }
    const latency = drawLatencyMs(caller.tenant);
    if (latency > 0) await sleep(latency);
    const injected = drawInjectedError(caller.tenant);
    if (injected) {
      const { timeScale } = graphSettings(ctx.state);
      const retryAfter = Math.round((injected.retryAfterSeconds / timeScale) * 1000) / 1000;
      return injected.status === 503
        ? graphErrorResponse(
            ids,
            503,
            'serviceNotAvailable',
            'The service is temporarily unavailable. Try again later.',
            undefined,
            {
              'Retry-After': String(retryAfter),
            },
          )
        : graphErrorResponse(ids, 504, 'GatewayTimeout', 'The operation has timed out.', undefined, {
            'Retry-After': String(retryAfter),
          });
    }
    const throttle = options.throttle ?? 'identity';
    if (throttle !== 'none') {
      const cost = throttle === 'identity' ? identityCost(req.method, req.path, req.query) : throttle(req);
      const outcome = chargeRequest(ctx.state, caller.tenant, caller.appId, cost);
      throttleHeaders = outcome.headers;
      if (!outcome.ok) return tooManyRequests(ids, outcome.retryAfterSeconds, outcome.headers);
    }
    if (options.permissions) requirePermission(caller, options.permissions);
    const call = makeCall(ctx, req, caller, ids);
    const answer = await handler(req, call);
    return { ...answer, headers: { ...throttleHeaders, ...idHeaders(ids), ...(answer.headers ?? {}) } };
  } catch (error) {
    if (error instanceof GraphError)
      return graphErrorResponse(ids, error.status, error.code, error.message, error.details, {
        ...throttleHeaders,
        ...(error.headers ?? {}),
      });
    if (error instanceof SyntaxError)
      return graphErrorResponse(
        ids,
        400,
        'BadRequest',
        'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
      );
    throw error;
  }
}

/** The 429 Graph documents (graph-spec §4.1, https://learn.microsoft.com/graph/throttling). */
export function tooManyRequests(
  ids: RequestIds,
  retryAfterSeconds: number,
  headers: Record<string, string>,
): EmulatorResponse {
  return {
    status: 429,
    headers: { ...headers, ...idHeaders(ids), 'Retry-After': String(retryAfterSeconds) },
    body: {
      error: {
        code: 'TooManyRequests',
        innerError: {
          code: '429',
          date: new Date(ids.now).toISOString().slice(0, 19),
          message: 'Please retry after',
          'request-id': ids.requestId,
          status: '429',
        },
        message: 'Please retry again later.',
      },
    },
  };
}

export function header(req: EmulatorRequest, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

function makeCall(
  ctx: EmulatorContext,
  req: EmulatorRequest,
  caller: GraphCaller,
  ids: RequestIds,
): GraphCall {
  const host = header(req, 'host') ?? '127.0.0.1';
  const version = /^\/(v1\.0|beta)\b/i.exec(req.path)?.[1] ?? 'v1.0';
  const serviceRoot = `https://${host}/${version}`;
  return {
    ...ids,
    ctx,
    caller,
    tenant: caller.tenant,
    serviceRoot,
    json: (status, body, headers = {}) => ({
      status,
      headers: { 'Content-Type': GRAPH_JSON, 'OData-Version': '4.0', ...idHeaders(ids), ...headers },
      body,
    }),
    noContent: () => ({ status: 204, headers: idHeaders(ids) }),
    error: (status, code, message, details) => graphErrorResponse(ids, status, code, message, details),
    odataContext: (fragment) => `https://graph.microsoft.com/${version}/$metadata#${fragment}`,
  };
}
