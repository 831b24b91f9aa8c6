// Helpers the identity admin routes share: JSON body and permission parsing, principal and role lookup, the
// public view of an app registration and of a consent, and the tenant / app scoping of a route.
import type { EmulatorContext } from '../../context';
import type { EmulatorRequest, EmulatorResponse } from '../../http/router';
import { jsonBody } from '../../http/serve';
import { DIRECTORY_ROLES, type Application, type ResourceName, type Tenant } from '../../state/model';
import type { SeedPermissions } from '../../state/seed';
import { bad, notFound } from '../routes';

export const RESOURCES: ResourceName[] = ['graph', 'exchange', 'keyvault', 'storage', 'servicebus'];

export type Body = Record<string, unknown>;

export function body(req: EmulatorRequest): Body {
  const b = jsonBody(req);
  if (b === undefined) return {};
  if (typeof b !== 'object' || b === null || Array.isArray(b))
    throw new SyntaxError('the body must be a JSON object');
  return b as Body;
}

export function permissions(p: unknown, field: string): { resource: ResourceName; permission: string }[] {
  if (p === undefined) return [];
  if (typeof p !== 'object' || p === null)
    throw new TypeError(`${field} must be an object of resource → permission names`);
  const out: { resource: ResourceName; permission: string }[] = [];
  for (const [resource, list] of Object.entries(p as SeedPermissions)) {
    if (!RESOURCES.includes(resource as ResourceName))
      throw new TypeError(`${field}: unknown resource "${resource}" (known: ${RESOURCES.join(', ')})`);
    if (!Array.isArray(list) || list.some((x) => typeof x !== 'string'))
      throw new TypeError(`${field}.${resource} must be an array of names`);
    for (const permission of list as string[]) out.push({ resource: resource as ResourceName, permission });
  }
  return out;
}

export function publicApp(app: Application) {
  return {
    id: app.id,
    appId: app.appId,
    displayName: app.displayName,
    signInAudience: app.signInAudience,
    redirectUris: app.redirectUris,
    requiredResourceAccess: app.requiredResourceAccess,
    keyCredentials: app.keyCredentials.map(({ certificateDer: _der, ...k }) => k),
    passwordCredentials: app.passwordCredentials.map(({ secret, ...p }) => ({
      ...p,
      hint: secret.slice(0, 3),
    })),
  };
}

export function roleId(role: string): string | undefined {
  const byName = (DIRECTORY_ROLES as Record<string, string>)[role];
  if (byName) return byName;
  return Object.values(DIRECTORY_ROLES).includes(role as never) ? role : undefined;
}

/** A principal by UPN, user id, service principal id or app id. */
export function principalId(tenant: Tenant, ref: string): string | undefined {
  const lower = ref.toLowerCase();
  for (const u of tenant.users.values())
    if (u.id === ref || String(u.properties.userPrincipalName ?? '').toLowerCase() === lower) return u.id;
  for (const sp of tenant.servicePrincipals.values()) if (sp.id === ref || sp.appId === ref) return sp.id;
  return undefined;
}

export function attempt(fn: () => EmulatorResponse): EmulatorResponse {
  try {
    return fn();
  } catch (e) {
    if (e instanceof TypeError || e instanceof SyntaxError) return bad(e.message);
    if (e instanceof Error && /certificate|PEM|DER|asn1|header too long/i.test(e.message))
      return bad(`not a certificate: ${e.message}`);
    throw e;
  }
}

export function stringList(v: unknown, field: string): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
    throw new TypeError(`${field} must be an array of strings`);
  return v as string[];
}

export function requiredAccess(
  app: { resource: ResourceName; permission: string }[],
  delegated: { resource: ResourceName; permission: string }[],
): Application['requiredResourceAccess'] {
  return RESOURCES.map((resource) => ({
    resource,
    application: app.filter((p) => p.resource === resource).map((p) => p.permission),
    delegated: delegated.filter((p) => p.resource === resource).map((p) => p.permission),
  })).filter((r) => r.application.length + r.delegated.length > 0);
}

export function consentView(tenant: Tenant, appId: string) {
  const sp = [...tenant.servicePrincipals.values()].find((s) => s.appId === appId);
  return {
    servicePrincipalId: sp?.id ?? null,
    appRoles: sp?.appRoles ?? [],
    delegatedGrants: tenant.delegatedGrants.filter((g) => g.clientAppId === appId),
  };
}

export type TenantHandler = (req: EmulatorRequest, tenant: Tenant) => EmulatorResponse;
export type AppHandler = (req: EmulatorRequest, tenant: Tenant, app: Application) => EmulatorResponse;

/** Scopes a route to the tenant in its path (404 when unknown) and turns bad input into 400. */
export function scoped(ctx: EmulatorContext) {
  const withTenant = (fn: TenantHandler) => (req: EmulatorRequest) => {
    const tenant = ctx.state.tenant(req.params.tenant!);
    return tenant ? attempt(() => fn(req, tenant)) : notFound(`tenant ${req.params.tenant}`);
  };
  const withApp = (fn: AppHandler) =>
    withTenant((req, tenant) => {
      const app = tenant.applications.get(req.params.appId!);
      return app ? fn(req, tenant, app) : notFound(`application ${req.params.appId} in tenant ${tenant.id}`);
    });
  return { withTenant, withApp };
}
