// The Exchange Online admin API: POST /adminapi/beta/{tenantId}/InvokeCommand with
// {"CmdletInput":{"CmdletName":...,"Parameters":{...}}} → {"@odata.context", "@adminapi.warnings"?, "value":[...]}
// (graph-spec.md §7.2). Every cmdlet run is recorded in the request log with detail = the cmdlet name, so tests can
// assert the order of a leaver's steps.
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { EmulatorContext } from '../context';
import { jsonBody } from '../http/serve';
import { Router, type EmulatorRequest, type EmulatorResponse } from '../http/router';
import type { ServiceDefinition } from '../services';
import { authorizeExchange, cmdletNotAllowed } from './access';
import { findCmdlet } from './cmdlets';
import { CmdletError, cmdletErrorResponse, odataError } from './errors';
import { CmdletParameters } from './params';
import { admitCall } from './throttling';

const PAGE_DEFAULT = 1000;

export function createExchangeService(ctx: EmulatorContext): ServiceDefinition {
  const router = new Router();
  router.add('POST', '/adminapi/beta/{tenant}/InvokeCommand', (req, res) => invokeCommand(ctx, req, res));
  return {
    name: 'exchange',
    router,
    notFound: (req) =>
      odataError(
        404,
        'NotFound',
        `No HTTP resource was found that matches the request URI '${req.path}'.`,
        requestIdOf(req),
      ),
    internalError: (req, error) =>
      error instanceof SyntaxError
        ? odataError(400, 'BadRequest', 'The request body is not valid JSON.', requestIdOf(req))
        : odataError(500, 'InternalServerError', 'An internal server error occurred.', requestIdOf(req)),
  };
}

function requestIdOf(req: EmulatorRequest): string {
  const given = req.headers['client-request-id'];
  return typeof given === 'string' && given ? given : randomUUID();
}

function invokeCommand(ctx: EmulatorContext, req: EmulatorRequest, res: ServerResponse): EmulatorResponse {
  const requestId = requestIdOf(req);
  const caller = authorizeExchange(ctx, req.headers.authorization, req.params.tenant!, requestId);
  if ('status' in caller) return caller;
  const { tenant } = caller;
  res.setHeader('x-emulator-tenant', tenant.id);
  res.setHeader('x-emulator-app', caller.appId);

  const body = jsonBody(req) as { CmdletInput?: { CmdletName?: unknown; Parameters?: unknown } } | undefined;
  const input = body?.CmdletInput;
  if (!input || typeof input !== 'object' || typeof input.CmdletName !== 'string' || input.CmdletName === '')
    return odataError(
      400,
      'BadRequest',
      'The request body must carry CmdletInput with a CmdletName.',
      requestId,
    );
  const name = input.CmdletName;
  const log = (status: number, retryAfter?: string): void =>
    ctx.state.log.record({
      service: 'exchange',
      method: 'POST',
      path: req.path,
      query: req.url.search,
      status,
      durationMs: 0,
      tenantId: tenant.id,
      appId: caller.appId,
      detail: name,
      ...(retryAfter !== undefined ? { retryAfter } : {}),
    });

  const admitted = admitCall(ctx, tenant, requestId);
  if ('refused' in admitted) {
    log(admitted.refused.status, String(admitted.refused.headers?.['Retry-After']));
    return admitted.refused;
  }
  const cmdlet = findCmdlet(name);
  if (!cmdlet) {
    log(400);
    return cmdletErrorResponse(
      new CmdletError(
        400,
        'BadRequest',
        '',
        'System.Management.Automation.CommandNotFoundException',
        `The term '${name}' is not recognized as the name of a cmdlet, function, script file, or operable program.`,
      ),
      requestId,
    );
  }
  if (cmdlet.writes && caller.readOnly) {
    log(401);
    return cmdletNotAllowed(cmdlet.name, requestId);
  }
  let answer: EmulatorResponse;
  try {
    const params = new CmdletParameters(input.Parameters, cmdlet.parameters);
    const result = cmdlet.run({ ctx, tenant, params, now: ctx.state.clock.now(), actor: caller.actor });
    answer = envelope(ctx, req, tenant.id, result.value, result.warnings);
  } catch (error) {
    if (!(error instanceof CmdletError)) throw error;
    answer = cmdletErrorResponse(error, requestId);
  }
  answer.headers = { ...admitted.headers, 'request-id': requestId, ...(answer.headers ?? {}) };
  log(answer.status);
  return answer;
}

/** The OData envelope with $select applied and paging by Prefer: odata.maxpagesize / $skiptoken. */
function envelope(
  ctx: EmulatorContext,
  req: EmulatorRequest,
  tenantId: string,
  items: Record<string, unknown>[],
  warnings: string[] | undefined,
): EmulatorResponse {
  const base = `${ctx.endpoints.exchange}/adminapi/beta/${req.params.tenant}`;
  const select = (req.query.get('$select') ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const projected = select.length
    ? items.map((item) =>
        Object.fromEntries(Object.entries(item).filter(([k]) => select.includes(k.toLowerCase()))),
      )
    : items;
  const prefer = /odata\.maxpagesize=(\d+)/i.exec(String(req.headers.prefer ?? ''));
  const pageSize = Math.max(1, Math.min(PAGE_DEFAULT, prefer ? Number(prefer[1]) : PAGE_DEFAULT));
  const skip = Math.max(0, Number(req.query.get('$skiptoken') ?? 0) || 0);
  const page = projected.slice(skip, skip + pageSize);
  const body: Record<string, unknown> = {
    '@odata.context': `${ctx.endpoints.exchange}/adminapi/beta/${tenantId}/$metadata#Collection(Exchange.GenericHashTable)`,
  };
  if (warnings && warnings.length > 0) body['@adminapi.warnings'] = warnings;
  if (skip + pageSize < projected.length) {
    const next = new URLSearchParams(req.query);
    next.set('$skiptoken', String(skip + pageSize));
    body['@odata.nextLink'] = `${base}/InvokeCommand?${next.toString()}`;
  }
  body.value = page;
  return { status: 200, body };
}
