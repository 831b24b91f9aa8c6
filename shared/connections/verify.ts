/**
 * Link check of a connection: get a token the way the engine will, then compare what the token carries (`roles` for
 * application permissions) and the directory roles of the app's service principal with what the connection needs.
 * The answer is `linked`, or a precise list of missing items with the portal steps to fix each.
 */
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { scopeOf, type CloudEndpoints } from '../clouds/endpoints';
import { readTokenClaims } from './assertion';
import { redactTokens } from './credentials';
import type { AddOn, MissingItem } from './model';
import {
  missingPermission,
  missingRole,
  requiredApplicationPermissions,
  requiredDirectoryRoles,
  roleHeld,
  type RequiredPermission,
  type Resource,
} from './requirements';

/** Reads the directory role template ids held by the app's service principal (through Graph). */
export type DirectoryRoleReader = (clientId: string) => Promise<string[]>;

export interface LinkCheck {
  linked: boolean;
  missing: MissingItem[];
  granted: string[];
  /** Set when no token could be had at all (e.g. the certificate is not uploaded yet). */
  tokenError?: { code: string; description: string };
}

export async function checkAppOnlyLink(input: {
  credential: TokenCredential;
  endpoints: CloudEndpoints;
  clientId: string;
  addOns: readonly AddOn[];
  readDirectoryRoles: DirectoryRoleReader;
  /** Needed because of what the connection's flows map (flowRequirements.ts flowPermissions). */
  flowPermissions?: readonly RequiredPermission[];
}): Promise<LinkCheck> {
  const { endpoints, clientId, addOns } = input;
  const base = requiredApplicationPermissions(addOns);
  const known = new Set(base.map((p) => `${p.resource}:${p.name}`));
  const required = [
    ...base,
    ...(input.flowPermissions ?? []).filter((p) => !known.has(`${p.resource}:${p.name}`)),
  ];
  const resources = [...new Set(required.map((p) => p.resource))];
  const granted = new Map<Resource, Set<string>>();
  const wids = new Set<string>();
  for (const resource of resources) {
    let token: AccessToken | null;
    try {
      token = await input.credential.getToken(
        scopeOf(resource === 'graph' ? endpoints.graphResource : endpoints.exchangeResource),
      );
    } catch (error) {
      return {
        linked: false,
        granted: [],
        missing: [tokenFailureItem(error, endpoints, clientId)],
        tokenError: describeTokenError(error),
      };
    }
    const claims = readTokenClaims(token?.token ?? '');
    granted.set(resource, new Set(Array.isArray(claims.roles) ? claims.roles.map(String) : []));
    if (Array.isArray(claims.wids)) claims.wids.forEach((w) => wids.add(String(w)));
  }
  const missing: MissingItem[] = required
    .filter((p) => !granted.get(p.resource)?.has(p.name))
    .map((p) => missingPermission(p, endpoints, clientId));
  let roles: string[];
  try {
    roles = await input.readDirectoryRoles(clientId);
  } catch {
    // Graph may refuse the read (no directory read permission yet); the token's wids claim says the same.
    roles = [...wids];
  }
  for (const role of requiredDirectoryRoles(addOns))
    if (!roleHeld(role, roles)) missing.push(missingRole(role, endpoints, clientId));
  const grantedList = [...granted.entries()].flatMap(([r, set]) => [...set].map((p) => `${r}:${p}`)).sort();
  return { linked: missing.length === 0, missing, granted: grantedList };
}

interface IdentityErrorShape {
  errorResponse?: { error?: string; errorDescription?: string; error_codes?: number[] };
  message?: string;
}

export function describeTokenError(error: unknown): { code: string; description: string } {
  const e = error as IdentityErrorShape;
  const text = `${e.errorResponse?.errorDescription ?? ''} ${e.message ?? ''}`;
  const aadsts = /AADSTS(\d+)/.exec(text);
  const code = aadsts ? `AADSTS${aadsts[1]}` : (e.errorResponse?.error ?? 'token_request_failed');
  // The first line of Entra's description names the problem; the rest is trace ids.
  const first = (e.errorResponse?.errorDescription ?? e.message ?? '').split(/\r?\n/)[0] ?? '';
  return { code, description: redactTokens(first).slice(0, 300) };
}

function tokenFailureItem(error: unknown, endpoints: CloudEndpoints, clientId: string): MissingItem {
  const { code } = describeTokenError(error);
  if (code === 'AADSTS700027' || code === 'AADSTS700024' || code === 'AADSTS500133') {
    return {
      id: 'certificate',
      kind: 'certificate',
      name: 'The Tenure certificate is not uploaded to the app registration (or is not the current one)',
      fix:
        `Download the certificate (GET /api/connections/{id}/certificate), then in ${endpoints.entraAdminUrl} open App ` +
        `registrations → client id ${clientId} → Certificates & secrets → Certificates → Upload certificate.`,
    };
  }
  if (code === 'AADSTS700016' || code === 'AADSTS90002') {
    return {
      id: 'application',
      kind: 'consent',
      name: `No application with client id ${clientId} in this tenant and cloud (${code})`,
      fix: `Check the tenant id, the client id and the cloud of the connection; the app must be registered in that tenant.`,
    };
  }
  return {
    id: 'token',
    kind: 'consent',
    name: `Entra refused a token (${code})`,
    fix: `See ${endpoints.entraAdminUrl} → App registrations → client id ${clientId}; the error code names the cause.`,
  };
}
