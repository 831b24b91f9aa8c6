// The `{tenant}` path segment of the login endpoints: a tenant id, one of its domains, or `common` /
// `organizations` (any work account; the user's domain picks the tenant). `consumers` is not emulated.
import type { EmulatorContext } from '../context';
import type { Tenant } from '../state/model';
import { aad } from './errors';

export type TenantSegment =
  { kind: 'tenant'; tenant: Tenant } | { kind: 'multi'; name: 'common' | 'organizations' };

export function resolveTenantSegment(ctx: EmulatorContext, segment: string): TenantSegment {
  const lower = segment.toLowerCase();
  if (lower === 'common' || lower === 'organizations') return { kind: 'multi', name: lower };
  const tenant = ctx.state.tenant(segment);
  if (!tenant || (!isGuid(segment) && !tenant.domains.some((d) => d.id === lower && d.isVerified)))
    throw aad.tenantNotFound(segment);
  return { kind: 'tenant', tenant };
}

/** The tenant a user principal name belongs to (by verified domain). */
export function tenantOfUpn(ctx: EmulatorContext, upn: string): Tenant | undefined {
  const domain = upn.split('@')[1]?.toLowerCase();
  if (!domain) return undefined;
  return [...ctx.state.tenants.values()].find((t) => t.domains.some((d) => d.id === domain && d.isVerified));
}

export function isGuid(s: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
}
