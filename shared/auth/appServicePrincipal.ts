/**
 * App Service authentication ("Easy Auth") passes the signed-in caller to the app in the `x-ms-client-principal`
 * header: base64 JSON with `claims: [{typ, val}]` and `role_typ`. App Service strips this header from incoming
 * requests and sets it itself, so it can be trusted when authentication is on.
 */
export interface ClientPrincipal {
  authType: string;
  name?: string;
  roles: string[];
  objectId?: string;
  tenantId?: string;
}

const ROLE_TYPES = ['roles', 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role'];

export function parseClientPrincipal(header: string | null | undefined): ClientPrincipal | undefined {
  if (!header) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(header, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const p = raw as { auth_typ?: unknown; role_typ?: unknown; claims?: unknown };
  const claims = Array.isArray(p.claims) ? (p.claims as { typ?: unknown; val?: unknown }[]) : [];
  const roleTypes = new Set([...ROLE_TYPES, typeof p.role_typ === 'string' ? p.role_typ : 'roles']);
  const value = (typ: string): string | undefined => {
    const v = claims.find((c) => c.typ === typ)?.val;
    return typeof v === 'string' ? v : undefined;
  };
  return {
    authType: typeof p.auth_typ === 'string' ? p.auth_typ : 'unknown',
    name: value('name') ?? value('preferred_username'),
    roles: claims
      .filter((c) => typeof c.typ === 'string' && roleTypes.has(c.typ) && typeof c.val === 'string')
      .map((c) => c.val as string),
    objectId: value('http://schemas.microsoft.com/identity/claims/objectidentifier') ?? value('oid'),
    tenantId: value('http://schemas.microsoft.com/identity/claims/tenantid') ?? value('tid'),
  };
}

export type AccessDecision =
  { allowed: true; principal?: ClientPrincipal } | { allowed: false; status: 401 | 403; reason: string };

/** When `requireRole` is on, the caller must be signed in through App Service authentication and hold `role`. */
export function authorizeRole(
  header: string | null | undefined,
  role: string,
  requireRole: boolean,
): AccessDecision {
  const principal = parseClientPrincipal(header);
  if (!requireRole) return { allowed: true, principal };
  if (!principal)
    return { allowed: false, status: 401, reason: 'Sign in through App Service authentication.' };
  if (!principal.roles.includes(role))
    return { allowed: false, status: 403, reason: `The app role ${role} is required.` };
  return { allowed: true, principal };
}
