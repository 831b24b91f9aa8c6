// Access tokens: issued by the sign-in and managed-identity endpoints, checked by every emulated resource.
// Shaped as Entra's v1 tokens for Microsoft resources (graph-spec.md §6.5): aud, iss, tid, oid, appid, roles or scp, wids.
import { randomUUID } from 'node:crypto';
import type { EmulatorContext } from '../context';
import type { DirectoryUser, ResourceName, ServicePrincipal, Tenant } from '../state/model';
import { decodeJwt, signJwt, verifySignature, type JwtClaims } from './jwt';
import { RESOURCE_URIS } from './resources';

export type TokenSubject =
  | { kind: 'app'; servicePrincipal: ServicePrincipal }
  | { kind: 'user'; user: DirectoryUser; scopes: string[] };

export interface IssueInput {
  tenant: Tenant;
  resource: ResourceName;
  clientAppId: string;
  subject: TokenSubject;
  /** appidacr: 0 public client, 1 secret, 2 certificate. */
  clientAuth: '0' | '1' | '2';
  lifetimeSeconds?: number;
}

export interface IssuedToken {
  accessToken: string;
  expiresIn: number;
  claims: JwtClaims;
}

export function issuerFor(tenantId: string): string {
  return `https://sts.windows.net/${tenantId}/`;
}

/** The directory role template ids a principal holds in a tenant (the `wids` claim). */
export function rolesOf(tenant: Tenant, principalId: string): string[] {
  return [
    ...new Set(
      tenant.roleAssignments.filter((r) => r.principalId === principalId).map((r) => r.roleDefinitionId),
    ),
  ];
}

export function issueAccessToken(ctx: EmulatorContext, input: IssueInput): IssuedToken {
  const now = Math.floor(ctx.state.clock.now() / 1000);
  const lifetime = input.lifetimeSeconds ?? 3599;
  const { tenant, subject } = input;
  const principalId = subject.kind === 'app' ? subject.servicePrincipal.id : subject.user.id;
  const claims: JwtClaims = {
    aud: RESOURCE_URIS[input.resource][tenant.cloud],
    iss: issuerFor(tenant.id),
    iat: now,
    nbf: now,
    exp: now + lifetime,
    tid: tenant.id,
    oid: principalId,
    sub: principalId,
    appid: input.clientAppId,
    appidacr: input.clientAuth,
    idtyp: subject.kind,
    uti: randomUUID(),
    ver: '1.0',
  };
  if (subject.kind === 'app') {
    const roles = subject.servicePrincipal.appRoles
      .filter((r) => r.resource === input.resource)
      .map((r) => r.permission);
    if (roles.length > 0) claims.roles = roles;
  } else {
    claims.scp = subject.scopes.join(' ');
    claims.upn = subject.user.properties.userPrincipalName;
    claims.name = subject.user.properties.displayName;
  }
  const wids = rolesOf(tenant, principalId);
  if (wids.length > 0) claims.wids = wids;
  return {
    accessToken: signJwt(claims, ctx.signingKey.privateKey, {
      kid: ctx.signingKey.kid,
      x5t: ctx.signingKey.kid,
    }),
    expiresIn: lifetime,
    claims,
  };
}

export type TokenCheck =
  | { ok: true; claims: JwtClaims; tenant: Tenant }
  | { ok: false; reason: 'missing' | 'malformed' | 'signature' | 'expired' | 'audience' | 'tenant' };

/** Checks an Authorization header's bearer token for a resource: signature, lifetime, audience and tenant. */
export function checkAccessToken(
  ctx: EmulatorContext,
  authorization: string | undefined,
  resource: ResourceName,
): TokenCheck {
  const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!m) return { ok: false, reason: 'missing' };
  const jwt = decodeJwt(m[1]!);
  if (!jwt || jwt.header.alg !== 'RS256') return { ok: false, reason: 'malformed' };
  if (!verifySignature(jwt, ctx.signingKey.publicKey)) return { ok: false, reason: 'signature' };
  const now = Math.floor(ctx.state.clock.now() / 1000);
  const { exp, nbf, aud, tid } = jwt.claims;
  if (typeof exp !== 'number' || exp <= now || (typeof nbf === 'number' && nbf > now + 300))
    return { ok: false, reason: 'expired' };
  const tenant = typeof tid === 'string' ? ctx.state.tenant(tid) : undefined;
  if (!tenant) return { ok: false, reason: 'tenant' };
  if (aud !== RESOURCE_URIS[resource][tenant.cloud]) return { ok: false, reason: 'audience' };
  return { ok: true, claims: jwt.claims, tenant };
}
