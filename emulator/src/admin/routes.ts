// Emulator-only admin endpoints for what a person does in the Azure portal or a test needs to see: add a tenant,
// read a tenant's whole state, advance the clock, read the request log. Other modules add their own admin routes.
import type { EmulatorContext } from '../context';
import { jsonBody } from '../http/serve';
import type { EmulatorResponse, Router } from '../http/router';
import type { Tenant } from '../state/model';
import { SeedError, type SeedTenant } from '../state/seed';

export function registerCoreAdminRoutes(router: Router, ctx: EmulatorContext): void {
  const { state } = ctx;
  router.add('GET', '/_emulator/health', () => ({
    status: 200,
    body: { ok: true, now: state.clock.nowDate().toISOString() },
  }));
  router.add('GET', '/_emulator/clock', () => ({ status: 200, body: clockBody(ctx) }));
  router.add('POST', '/_emulator/clock/advance', (req) => {
    const body = jsonBody(req) as { ms?: number; seconds?: number; days?: number; to?: string } | undefined;
    let ms = (body?.ms ?? 0) + (body?.seconds ?? 0) * 1000 + (body?.days ?? 0) * 86_400_000;
    if (body?.to) ms = Date.parse(body.to) - state.clock.now();
    if (!Number.isFinite(ms) || ms < 0)
      return bad('the clock only moves forward: give ms, seconds, days or a future "to"');
    state.clock.advance(ms);
    return { status: 200, body: clockBody(ctx) };
  });
  router.add('POST', '/_emulator/tenants', (req) => {
    try {
      const tenant = state.addTenant(jsonBody(req) as SeedTenant);
      return { status: 201, body: describeTenant(tenant) };
    } catch (error) {
      if (error instanceof SeedError || error instanceof Error) return bad(error.message);
      throw error;
    }
  });
  router.add('GET', '/_emulator/tenants/{tenant}', (req) => {
    const tenant = state.tenant(req.params.tenant!);
    return tenant ? { status: 200, body: describeTenant(tenant) } : notFound(`tenant ${req.params.tenant}`);
  });
  router.add('GET', '/_emulator/requests', (req) => {
    const since = Number(req.query.get('since') ?? 0);
    const service = req.query.get('service');
    const entries = state.log.since(since).filter((e) => !service || e.service === service);
    return { status: 200, body: { lastSeq: state.log.lastSeq, value: entries } };
  });
}

function clockBody(ctx: EmulatorContext) {
  return { now: ctx.state.clock.nowDate().toISOString(), offsetMs: ctx.state.clock.offsetMs };
}

export function bad(message: string): EmulatorResponse {
  return { status: 400, body: { error: 'bad_request', message } };
}

export function notFound(what: string): EmulatorResponse {
  return { status: 404, body: { error: 'not_found', message: `${what} does not exist` } };
}

/** A tenant's whole state as JSON (sets as arrays, secrets included: this is test data). */
export function describeTenant(tenant: Tenant): unknown {
  return JSON.parse(
    JSON.stringify(tenant, (_key, value: unknown) => {
      if (value instanceof Map) return Object.fromEntries(value);
      if (value instanceof Set) return [...value];
      return value;
    }),
  );
}
