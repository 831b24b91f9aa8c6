// A tiny stand-in for the Graph kernel's token and permission check (the lead swaps it for the kernel's when the
// Graph service is merged): a valid Graph token for a known tenant, and the permissions the caller holds —
// application `roles` for app-only tokens, delegated `scp` otherwise. Error bodies are Graph's.
import { randomUUID } from 'node:crypto';
import type { EmulatorContext } from '../context';
import type { EmulatorRequest, EmulatorResponse } from '../http/router';
import type { Tenant } from '../state/model';
import { checkAccessToken } from '../tokens/accessToken';
import type { JwtClaims } from '../tokens/jwt';

export interface GraphCaller {
  tenant: Tenant;
  claims: JwtClaims;
  isApp: boolean;
  /** Object id of the signed-in user (delegated) or of the service principal (app-only). */
  oid: string;
  appId: string;
  permissions: string[];
  /** The caller holds at least one of these permissions. */
  hasAny(accepted: readonly string[]): boolean;
}

const TOKEN_MESSAGES: Record<string, string> = {
  missing: 'Access token is empty.',
  malformed: 'Access token validation failure. Invalid token.',
  signature: 'Access token validation failure. Invalid signature.',
  expired: 'Lifetime validation failed, the token is expired.',
  audience: 'Access token validation failure. Invalid audience.',
  tenant: 'Access token validation failure. Unknown tenant.',
};

/** Graph's error body: {"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}. */
export function graphError(
  req: EmulatorRequest,
  status: number,
  code: string,
  message: string,
): EmulatorResponse {
  const clientRequestId =
    typeof req.headers['client-request-id'] === 'string' ? req.headers['client-request-id'] : undefined;
  const requestId = randomUUID();
  return {
    status,
    headers: {
      'request-id': requestId,
      ...(clientRequestId ? { 'client-request-id': clientRequestId } : {}),
    },
    body: {
      error: {
        code,
        message,
        innerError: {
          date: new Date().toISOString().slice(0, 19),
          'request-id': requestId,
          'client-request-id': clientRequestId ?? requestId,
        },
      },
    },
  };
}

export function graphAccess(ctx: EmulatorContext, req: EmulatorRequest): GraphCaller | EmulatorResponse {
  const check = checkAccessToken(ctx, req.headers.authorization, 'graph');
  if (!check.ok) {
    const answer = graphError(
      req,
      401,
      'InvalidAuthenticationToken',
      TOKEN_MESSAGES[check.reason] ?? 'Access token validation failure.',
    );
    answer.headers = {
      ...answer.headers,
      'WWW-Authenticate':
        'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"',
    };
    return answer;
  }
  const { claims, tenant } = check;
  const isApp = claims.idtyp === 'app' || claims.scp === undefined;
  const permissions = isApp
    ? Array.isArray(claims.roles)
      ? (claims.roles as string[])
      : []
    : String(claims.scp ?? '')
        .split(' ')
        .filter(Boolean);
  const lower = new Set(permissions.map((p) => p.toLowerCase()));
  return {
    tenant,
    claims,
    isApp,
    oid: String(claims.oid ?? ''),
    appId: String(claims.appid ?? ''),
    permissions,
    hasAny: (accepted) => accepted.some((p) => lower.has(p.toLowerCase())),
  };
}

/** The user a /users/{id|userPrincipalName} (or /me) segment names, if it exists. */
export function findUser(tenant: Tenant, idOrUpn: string, caller: GraphCaller) {
  if (idOrUpn.toLowerCase() === 'me') return caller.isApp ? undefined : tenant.users.get(caller.oid);
  const key = idOrUpn.toLowerCase();
  return (
    tenant.users.get(idOrUpn) ??
    [...tenant.users.values()].find(
      (u) => u.id.toLowerCase() === key || String(u.properties.userPrincipalName ?? '').toLowerCase() === key,
    )
  );
}

/** Graph's answer to /me with an app-only token. */
export function meNeedsUser(req: EmulatorRequest): EmulatorResponse {
  return graphError(req, 400, 'BadRequest', '/me request is only valid with delegated authentication flow.');
}

/**
 * Tags the request log entry (read by serve.ts) with tenant and app; inside $batch there is no response object of
 * its own.
 */
export function tagLog(
  res: { setHeader(name: string, value: string): unknown } | undefined,
  caller: GraphCaller,
): void {
  res?.setHeader('x-emulator-tenant', caller.tenant.id);
  res?.setHeader('x-emulator-app', caller.appId);
}
