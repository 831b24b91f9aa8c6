// Consent as the directory records it: a service principal per tenant for the client app (created by the first
// consent in a customer tenant), delegated grants (one user or AllPrincipals) and granted application permissions.
import { randomUUID } from 'node:crypto';
import type { EmulatorContext } from '../context';
import {
  DIRECTORY_ROLES,
  type Application,
  type ResourceName,
  type ServicePrincipal,
  type Tenant,
} from '../state/model';
import { rolesOf } from '../tokens/accessToken';

/** Roles that may grant tenant-wide (admin) consent. */
const CONSENT_ADMIN_ROLES: string[] = [
  DIRECTORY_ROLES['Global Administrator'],
  DIRECTORY_ROLES['Privileged Role Administrator'],
  DIRECTORY_ROLES['Cloud Application Administrator'],
  DIRECTORY_ROLES['Application Administrator'],
];

export function canGrantAdminConsent(tenant: Tenant, userId: string): boolean {
  return rolesOf(tenant, userId).some((r) => CONSENT_ADMIN_ROLES.includes(r));
}

/**
 * Whether a delegated permission needs an administrator's consent. Graph marks directory-wide permissions that
 * way; the emulator approximates the list by name (see emulator/docs/identity.md).
 */
export function needsAdminConsent(resource: ResourceName, permission: string): boolean {
  if (resource === 'exchange') return /^Exchange\.Manage/i.test(permission);
  if (resource !== 'graph') return false;
  if (
    /^(User\.(Read|ReadWrite)\.All|User\.ManageIdentities\.All|User\.EnableDisableAccount\.All)$/i.test(
      permission,
    )
  )
    return true;
  return /^(Directory|Group|GroupMember|RoleManagement|AuditLog|Policy|Application|AppRoleAssignment|DelegatedPermissionGrant|Domain|Organization|Reports|IdentityRiskyUser|UserAuthenticationMethod|Device)\./i.test(
    permission,
  );
}

/** The client app as usable in a tenant: its application object, and whether the tenant may use it. */
export function clientApp(
  ctx: EmulatorContext,
  tenant: Tenant,
  appId: string,
): { app: Application; homeTenant: Tenant } | undefined {
  const found = ctx.state.application(appId);
  if (!found) return undefined;
  if (found.homeTenant.id !== tenant.id && found.app.signInAudience !== 'AzureADMultipleOrgs')
    return undefined;
  return found;
}

export function ensureServicePrincipal(
  tenant: Tenant,
  app: Application,
  homeTenant: Tenant,
): ServicePrincipal {
  const existing = [...tenant.servicePrincipals.values()].find((sp) => sp.appId === app.appId);
  if (existing) return existing;
  const sp: ServicePrincipal = {
    id: randomUUID(),
    appId: app.appId,
    displayName: app.displayName,
    appOwnerTenantId: homeTenant.id,
    appRoles: [],
    servicePrincipalType: 'Application',
  };
  tenant.servicePrincipals.set(sp.id, sp);
  return sp;
}

/** Delegated scopes a user may use through a client on a resource (their own grant plus AllPrincipals). */
export function grantedScopes(
  tenant: Tenant,
  clientAppId: string,
  resource: ResourceName,
  userId: string,
): string[] {
  const out = new Set<string>();
  for (const g of tenant.delegatedGrants) {
    if (g.clientAppId !== clientAppId || g.resource !== resource) continue;
    if (g.consentType === 'AllPrincipals' || g.principalId === userId) g.scopes.forEach((s) => out.add(s));
  }
  return [...out];
}

export function grantDelegated(
  tenant: Tenant,
  clientAppId: string,
  resource: ResourceName,
  scopes: string[],
  principalId?: string,
): void {
  const consentType = principalId ? 'Principal' : 'AllPrincipals';
  let grant = tenant.delegatedGrants.find(
    (g) =>
      g.clientAppId === clientAppId &&
      g.resource === resource &&
      g.consentType === consentType &&
      g.principalId === principalId,
  );
  if (!grant) {
    grant = { id: randomUUID(), clientAppId, resource, scopes: [], consentType, principalId };
    tenant.delegatedGrants.push(grant);
  }
  for (const s of scopes) if (!grant.scopes.includes(s)) grant.scopes.push(s);
}

export function grantAppPermissions(
  sp: ServicePrincipal,
  permissions: { resource: ResourceName; permission: string }[],
) {
  for (const p of permissions)
    if (!sp.appRoles.some((r) => r.resource === p.resource && r.permission === p.permission))
      sp.appRoles.push(p);
}
