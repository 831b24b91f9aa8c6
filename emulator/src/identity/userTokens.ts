// The token response for a signed-in user (authorization code and refresh token grants): an access token carrying
// every delegated scope consented for the resource, a new refresh token when offline_access was granted, an
// id_token when openid was, and client_info for MSAL.
import { createHash } from 'node:crypto';
import type { EmulatorContext } from '../context';
import type { Application, DirectoryUser, ResourceName, Tenant } from '../state/model';
import { issueAccessToken } from '../tokens/accessToken';
import { signJwt } from '../tokens/jwt';
import type { ClientAuthLevel } from './clientAuth';
import { grantedScopes } from './consent';
import { v2Issuer } from './discovery';
import { aad } from './errors';
import { scopeForResponse } from './scopes';
import { identityStore, opaqueToken } from './store';

export const REFRESH_TOKEN_LIFETIME_MS = 90 * 86_400_000;

export interface UserTokenInput {
  tenant: Tenant;
  app: Application;
  user: DirectoryUser;
  resource?: ResourceName;
  oidc: string[];
  authTime: number;
  nonce?: string;
  clientAuth: ClientAuthLevel;
  clientInfo: boolean;
}

export function issueUserTokens(ctx: EmulatorContext, input: UserTokenInput): Record<string, unknown> {
  const { tenant, app, user } = input;
  const resource = input.resource ?? 'graph';
  const scopes = grantedScopes(tenant, app.appId, resource, user.id);
  if (scopes.length === 0 && input.resource) throw aad.consentMissing(app.appId, app.displayName);
  const scp = scopes.length > 0 ? scopes : input.oidc.filter((s) => s !== 'offline_access');
  const access = issueAccessToken(ctx, {
    tenant,
    resource,
    clientAppId: app.appId,
    subject: { kind: 'user', user, scopes: scp },
    clientAuth: input.clientAuth,
  });
  const body: Record<string, unknown> = {
    token_type: 'Bearer',
    scope: [...scopes.map((s) => scopeForResponse(resource, s, tenant.cloud)), ...input.oidc].join(' '),
    expires_in: access.expiresIn,
    ext_expires_in: access.expiresIn,
    access_token: access.accessToken,
  };
  const now = ctx.state.clock.now();
  if (input.oidc.includes('offline_access')) {
    const token = opaqueToken('1.AR');
    identityStore(ctx.state).refreshTokens.set(token, {
      tenantId: tenant.id,
      clientAppId: app.appId,
      userId: user.id,
      authTime: input.authTime,
      issuedAt: now,
      expiresAt: now + REFRESH_TOKEN_LIFETIME_MS,
      resource,
      oidc: input.oidc,
    });
    body.refresh_token = token;
  }
  if (input.oidc.includes('openid')) body.id_token = idToken(ctx, input, now);
  if (input.clientInfo)
    body.client_info = Buffer.from(JSON.stringify({ uid: user.id, utid: tenant.id })).toString('base64url');
  return body;
}

function idToken(ctx: EmulatorContext, input: UserTokenInput, nowMs: number): string {
  const now = Math.floor(nowMs / 1000);
  const props = input.user.properties;
  const claims: Record<string, unknown> = {
    aud: input.app.appId,
    iss: v2Issuer(ctx, input.tenant.id),
    iat: now,
    nbf: now,
    exp: now + 3600,
    auth_time: Math.floor(input.authTime / 1000),
    name: props.displayName,
    oid: input.user.id,
    preferred_username: props.userPrincipalName,
    // Pairwise subject: stable per user and app, as Entra's.
    sub: createHash('sha256').update(`${input.user.id}|${input.app.appId}`).digest('base64url').slice(0, 43),
    tid: input.tenant.id,
    ver: '2.0',
  };
  if (input.nonce) claims.nonce = input.nonce;
  if (input.oidc.includes('email') && typeof props.mail === 'string') claims.email = props.mail;
  return signJwt(claims, ctx.signingKey.privateKey, { kid: ctx.signingKey.kid });
}
