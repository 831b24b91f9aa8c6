// Emulator-only admin endpoints for Graph, on the login listener under /_emulator/graph/ (emulator/docs/graph.md):
// settings (timeScale, randomSeed), per-tenant faults (latency, 503/504 rate, replication lag) and throttling buckets.
import type { EmulatorContext } from '../context';
import { jsonBody } from '../http/serve';
import type { EmulatorResponse, Router } from '../http/router';
import type { Tenant } from '../state/model';
import { GraphFaultsError, setTenantFaults, tenantFaults } from './kernel/faults';
import {
  GraphSettingsError,
  graphSettings,
  updateGraphSettings,
  type GraphSettings,
} from './kernel/settings';
import { describeBuckets, resetBuckets } from './kernel/throttle';

function bad(message: string): EmulatorResponse {
  return { status: 400, body: { error: 'bad_request', message } };
}

export function registerGraphAdminRoutes(router: Router, ctx: EmulatorContext): void {
  const { state } = ctx;
  const withTenant = (id: string, fn: (t: Tenant) => EmulatorResponse): EmulatorResponse => {
    const tenant = state.tenant(id);
    return tenant
      ? fn(tenant)
      : { status: 404, body: { error: 'not_found', message: `tenant ${id} does not exist` } };
  };
  const guard = (fn: () => EmulatorResponse): EmulatorResponse => {
    try {
      return fn();
    } catch (error) {
      if (
        error instanceof GraphSettingsError ||
        error instanceof GraphFaultsError ||
        error instanceof SyntaxError
      )
        return bad(error.message);
      throw error;
    }
  };

  router.add('GET', '/_emulator/graph/settings', () => ({ status: 200, body: graphSettings(state) }));
  const putSettings = (body: unknown): EmulatorResponse =>
    guard(() => ({ status: 200, body: updateGraphSettings(state, (body ?? {}) as Partial<GraphSettings>) }));
  router.add('PUT', '/_emulator/graph/settings', (req) => guard(() => putSettings(jsonBody(req))));
  router.add('PATCH', '/_emulator/graph/settings', (req) => guard(() => putSettings(jsonBody(req))));

  router.add('GET', '/_emulator/graph/tenants/{tenant}/faults', (req) =>
    withTenant(req.params.tenant!, (t) => ({ status: 200, body: tenantFaults(t) })),
  );
  router.add('PUT', '/_emulator/graph/tenants/{tenant}/faults', (req) =>
    withTenant(req.params.tenant!, (t) =>
      guard(() => ({ status: 200, body: setTenantFaults(t, jsonBody(req) ?? {}) })),
    ),
  );
  router.add('DELETE', '/_emulator/graph/tenants/{tenant}/faults', (req) =>
    withTenant(req.params.tenant!, (t) => ({ status: 200, body: setTenantFaults(t, {}) })),
  );
  router.add('GET', '/_emulator/graph/tenants/{tenant}/throttle', (req) =>
    withTenant(req.params.tenant!, (t) => ({ status: 200, body: { value: describeBuckets(state, t) } })),
  );
  router.add('POST', '/_emulator/graph/tenants/{tenant}/throttle/reset', (req) =>
    withTenant(req.params.tenant!, (t) => {
      resetBuckets(state, t);
      return { status: 200, body: { value: describeBuckets(state, t) } };
    }),
  );
}
