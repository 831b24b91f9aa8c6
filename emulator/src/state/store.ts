// The whole emulator state: tenants, the clock, the request log, and lookups every service needs.
import { EmulatorClock } from '../clock';
import type { Application, ServicePrincipal, Tenant } from './model';
import { RequestLog } from './requestLog';
import { buildTenant, type Seed, type SeedTenant } from './seed';

export class EmulatorState {
  readonly clock = new EmulatorClock();
  readonly log = new RequestLog();
  readonly tenants = new Map<string, Tenant>();
  /** Module-owned global state (vault, broker, throttling settings, ...), keyed by module name. */
  readonly extensions = new Map<string, unknown>();

  constructor(readonly seed: Seed) {
    seed.tenants.forEach((t, i) => this.addTenant(t, i));
  }

  addTenant(seed: SeedTenant, index = this.tenants.size): Tenant {
    const tenant = buildTenant(seed, this.clock.now(), index);
    if (this.tenants.has(tenant.id)) throw new Error(`tenant ${tenant.id} already exists`);
    this.tenants.set(tenant.id, tenant);
    return tenant;
  }

  /** A tenant by id or by one of its domain names (as the login endpoints accept both). */
  tenant(idOrDomain: string): Tenant | undefined {
    const key = idOrDomain.toLowerCase();
    const byId = this.tenants.get(key) ?? [...this.tenants.values()].find((t) => t.id.toLowerCase() === key);
    return byId ?? [...this.tenants.values()].find((t) => t.domains.some((d) => d.id === key));
  }

  /** The application object for a client id, wherever its home tenant is. */
  application(appId: string): { app: Application; homeTenant: Tenant } | undefined {
    for (const t of this.tenants.values()) {
      const app = t.applications.get(appId);
      if (app) return { app, homeTenant: t };
    }
    return undefined;
  }

  servicePrincipalByAppId(tenant: Tenant, appId: string): ServicePrincipal | undefined {
    return [...tenant.servicePrincipals.values()].find((sp) => sp.appId === appId);
  }

  /** Module state, created on first use. */
  extension<T>(name: string, create: () => T): T {
    if (!this.extensions.has(name)) this.extensions.set(name, create());
    return this.extensions.get(name) as T;
  }
}

/** Per-tenant module state, created on first use. */
export function tenantExtension<T>(tenant: Tenant, name: string, create: () => T): T {
  if (!tenant.extensions.has(name)) tenant.extensions.set(name, create());
  return tenant.extensions.get(name) as T;
}
