// The request pipeline every Graph route runs through, in Graph's order: request ids → token (401) → injected
// latency and 503/504 faults → throttling (429: the global per-app limit plus the limits of the route's workload —
// directory, Outlook or SharePoint/OneDrive) → permission (403) → the route's handler. $batch sends each
// sub-request through the same pipeline. Other Graph route modules register with `addGraphRoute`.
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { EmulatorContext } from '../../context';
import type { EmulatorRequest, EmulatorResponse, Router } from '../../http/router';
import type { Tenant } from '../../state/model';
import { authenticateGraph, forbidden, hasPermission, type GraphCaller, type PermissionRule } from './auth';
import {
  GraphError,
  graphErrorAnswer,
  graphErrorResponse,
  graphErrors,
  idHeaders,
  type RequestIds,
} from './errors';
import { drawInjectedError, drawLatencyMs } from './faults';
import {
  filesCharges,
  filesRateLimitHeaders,
  globalCharge,
  outlookCharges,
  outlookConcurrency,
} from './serviceLimits';
import {
  chargeBuckets,
  identityCharges,
  identityCost,
  identityHeaders,
  retryAfterSeconds,
  type BucketCharge,
  type RequestCost,
} from './throttle';
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
 * How a route is throttled. Every class except 'none' also counts against the global per-app limit.
 * - 'identity' (default): the directory buckets with the documented resource-unit cost; a function gives a
 *   custom identity cost.
 * - `{ service: 'outlook', mailbox }`: Outlook's per app+mailbox request limit and per-app concurrency; `mailbox`
 *   names the mailbox a request targets (e.g. the user id from the path).
 * - `{ service: 'files', resourceUnits }`: SharePoint's resource-unit limits for OneDrive, at the given cost.
 * - 'none': no throttling at all.
 */
export type ThrottleClass =
  | 'identity'
  | 'none'
  | ((req: EmulatorRequest) => RequestCost)
  | { service: 'outlook'; mailbox: (req: EmulatorRequest, caller: GraphCaller) => string }
  | { service: 'files'; resourceUnits: number };

export interface GraphRouteOptions {
  /** Permissions accepted (any one); checked after throttling. Omit only for routes that check themselves. */
  permissions?: PermissionRule;
  /**
   * The error a caller without the permission gets; default 403 Authorization_RequestDenied (directory). Outlook
   * and OneDrive answer with their own codes (ErrorAccessDenied, accessDenied).
   */
  denied?: () => GraphError;
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
  try {
    const caller = authenticateGraph(ctx, header(req, 'authorization'));
    prepareTenant(ctx, caller.tenant);
    if (res && !res.headersSent) {
      res.setHeader('x-emulator-tenant', caller.tenant.id);
      res.setHeader('x-emulator-app', caller.appId);
    }
    const throttle = options.throttle ?? 'identity';
    // Outlook counts a request against its concurrency from the moment it is taken until it is answered.
    const outlook = typeof throttle === 'object' && throttle.service === 'outlook';
    if (outlook) {
      if (!outlookConcurrency(ctx.state).tryEnter(caller.appId)) {
        const { timeScale } = graphSettings(ctx.state);
        return applicationThrottled(ids, retryAfterSeconds(1_000 / timeScale, timeScale));
      }
      try {
        return await runAdmitted(ctx, req, caller, ids, options, handler);
      } finally {
        outlookConcurrency(ctx.state).leave(caller.appId);
      }
    }
    return await runAdmitted(ctx, req, caller, ids, options, handler);
  } catch (error) {
    return errorAnswer(ids, error, {});
  }
}

/** After the token check: injected faults, throttling, permission, then the handler. */
async function runAdmitted(
  ctx: EmulatorContext,
  req: EmulatorRequest,
  caller: GraphCaller,
  ids: RequestIds,
  options: GraphRouteOptions,
  handler: GraphHandler,
): Promise<EmulatorResponse> {
  let throttleHeaders: Record<string, string> = {};
  try {
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
    const throttled = chargeThrottle(ctx, req, caller, ids, options.throttle ?? 'identity');
    if ('status' in throttled) return throttled;
    throttleHeaders = throttled.headers;
    if (options.permissions && !hasPermission(caller, options.permissions))
      throw options.denied ? options.denied() : forbidden();
    const call = makeCall(ctx, req, caller, ids);
    const answer = await handler(req, call);
    return { ...answer, headers: { ...throttleHeaders, ...idHeaders(ids), ...(answer.headers ?? {}) } };
  } catch (error) {
    return errorAnswer(ids, error, throttleHeaders);
  }
}

function errorAnswer(
  ids: RequestIds,
  error: unknown,
  throttleHeaders: Record<string, string>,
): EmulatorResponse {
  if (error instanceof GraphError) return graphErrorAnswer(ids, error, throttleHeaders);
  if (error instanceof SyntaxError) return graphErrorAnswer(ids, graphErrors.unreadableJson());
  throw error;
}

/**
 * Charges the request against the global per-app bucket and its workload's buckets, all or nothing. Gives the
 * headers for the answer, or the 429 to send.
 */
function chargeThrottle(
  ctx: EmulatorContext,
  req: EmulatorRequest,
  caller: GraphCaller,
  ids: RequestIds,
  throttle: ThrottleClass,
): { headers: Record<string, string> } | EmulatorResponse {
  if (throttle === 'none') return { headers: {} };
  const { tenant, appId } = caller;
  let charges: BucketCharge[];
  let identity: RequestCost | undefined;
  if (throttle === 'identity' || typeof throttle === 'function') {
    identity = throttle === 'identity' ? identityCost(req.method, req.path, req.query) : throttle(req);
    charges = identityCharges(tenant, appId, identity);
  } else if (throttle.service === 'outlook') {
    charges = outlookCharges(tenant, appId, throttle.mailbox(req, caller));
  } else {
    charges = filesCharges(tenant, caller, throttle.resourceUnits);
  }
  const outcome = chargeBuckets(ctx.state, [...charges, globalCharge(appId)]);
  const headers = identity
    ? identityHeaders(tenant, appId, identity, outcome)
    : typeof throttle === 'object' && throttle.service === 'files'
      ? filesRateLimitHeaders(ctx.state, outcome)
      : {};
  if (outcome.ok) return { headers };
  const service = outcome.refused.charge.spec.service;
  // SharePoint's throttling answer for Graph drive requests carries OneDrive's code (https://learn.microsoft.com/graph/errors:
  // activityLimitReached "The app or user has been throttled").
  if (service === 'files')
    return graphErrorResponse(
      ids,
      429,
      'activityLimitReached',
      'The request has been throttled.',
      undefined,
      {
        ...headers,
        'Retry-After': String(outcome.retryAfterSeconds),
      },
    );
  return tooManyRequests(ids, outcome.retryAfterSeconds, headers);
}

/**
 * Outlook's answer when an app has more than 4 requests in flight (observed body, e.g. alcionai/corso#3695:
 * {"error":{"code":"ApplicationThrottled","message":"Application is over its MailboxConcurrency limit."}}).
 */
function applicationThrottled(ids: RequestIds, retryAfter: number): EmulatorResponse {
  return graphErrorResponse(
    ids,
    429,
    'ApplicationThrottled',
    'Application is over its MailboxConcurrency limit.',
    undefined,
    { 'Retry-After': String(retryAfter) },
  );
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
