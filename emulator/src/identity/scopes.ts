// Scope strings as the identity platform reads them: OIDC scopes, and resource scopes grouped by resource
// ("https://graph.microsoft.com/.default", "User.Read" = Graph, "https://outlook.office365.com/EWS.AccessAsUser.All").
import type { Application, CloudName, ResourceName } from '../state/model';
import { RESOURCE_URIS, resourceOfScope } from '../tokens/resources';
import { AadError, aad } from './errors';

export const OIDC_SCOPES = ['openid', 'profile', 'email', 'offline_access'];

export interface ParsedScopes {
  oidc: string[];
  /** Requested permissions per resource, in request order (".default" kept as is). */
  byResource: Map<ResourceName, string[]>;
}

export function splitScope(scope: string | null | undefined): string[] {
  return (scope ?? '').split(/\s+/).filter((s) => s.length > 0);
}

export function parseScopes(scope: string, cloud: CloudName, tenantName: string): ParsedScopes {
  const parsed: ParsedScopes = { oidc: [], byResource: new Map() };
  for (const s of splitScope(scope)) {
    if (OIDC_SCOPES.includes(s.toLowerCase())) {
      if (!parsed.oidc.includes(s.toLowerCase())) parsed.oidc.push(s.toLowerCase());
      continue;
    }
    const found = resourceOfScope(s, cloud);
    if (!found) throw aad.resourceNotFound(s.replace(/\/[^/]*$/, ''), tenantName);
    const list = parsed.byResource.get(found.resource) ?? [];
    if (!list.includes(found.permission)) list.push(found.permission);
    parsed.byResource.set(found.resource, list);
  }
  return parsed;
}

/** The one resource a token request may name (AADSTS700022 for more than one). */
export function singleResource(parsed: ParsedScopes, scope: string): ResourceName | undefined {
  const resources = [...parsed.byResource.keys()];
  if (resources.length > 1) throw aad.multipleResources(scope);
  return resources[0];
}

/** ".default" means the permissions configured on the app registration for that resource. */
export function expandDelegated(app: Application, resource: ResourceName, permissions: string[]): string[] {
  const out = new Set<string>();
  for (const p of permissions) {
    if (p === '.default')
      app.requiredResourceAccess
        .find((r) => r.resource === resource)
        ?.delegated.filter((d) => !OIDC_SCOPES.includes(d.toLowerCase()))
        .forEach((d) => out.add(d));
    else out.add(p);
  }
  return [...out];
}

/** How a scope appears in a token response's `scope` (Graph scopes bare, others with their resource URI). */
export function scopeForResponse(resource: ResourceName, permission: string, cloud: CloudName): string {
  return resource === 'graph' ? permission : `${RESOURCE_URIS[resource][cloud]}/${permission}`;
}

export function requireClientCredentialsScope(scope: string): void {
  for (const s of splitScope(scope)) {
    if (!s.endsWith('/.default'))
      throw new AadError(
        'invalid_scope',
        1002012,
        `The provided value for scope ${s} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
      );
  }
}
