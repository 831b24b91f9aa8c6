// POST /{tenant}/oauth2/v2.0/token: client_credentials, authorization_code (PKCE) and refresh_token, with Entra's
// AADSTS error bodies.
import { createHash } from 'node:crypto';
import type { EmulatorContext } from '../context';
import type { EmulatorRequest, EmulatorResponse } from '../http/router';
import { formBody } from '../http/serve';
import type { ResourceName, Tenant } from '../state/model';
import { issueAccessToken } from '../tokens/accessToken';
import { authenticateClient, clientIdentity } from './clientAuth';
import { clientApp } from './consent';
import { AadError, aad, entraTimestamp, tokenErrorResponse } from './errors';
import { parseScopes, requireClientCredentialsScope, singleResource } from './scopes';
import { identityStore } from './store';
import { resolveTenantSegment, type TenantSegment } from './tenants';
import { issueUserTokens } from './userTokens';

const NO_STORE = { 'Cache-Control': 'no-store, no-cache', Pragma: 'no-cache' };

/** `attribute` names the tenant and client of the request for the emulator's request log. */
export function tokenEndpoint(
  ctx: EmulatorContext,
  req: EmulatorRequest,
  attribute: (tenantId: string, appId: string) => void = () => undefined,
  version: 1 | 2 = 2,
): EmulatorResponse {
  try {
    const form = formBody(req);
    // The v1 endpoint names a resource instead of scopes.
    const resourceParam = form.get('resource');
    if (version === 2 && resourceParam !== null)
      throw new AadError('invalid_request', 901002, "The 'resource' request parameter is not supported.");
    if (version === 1) {
      if (resourceParam) form.set('scope', `${resourceParam.replace(/\/+$/, '')}/.default`);
      else if (form.get('grant_type') === 'client_credentials') throw aad.missingParameter('resource');
      else form.delete('scope');
    }
    const target = resolveTenantSegment(ctx, req.params.tenant!);
    const grant = form.get('grant_type');
    if (!grant) throw aad.missingParameter('grant_type');
    const { clientId } = clientIdentity(req, form);
    if (!clientId) throw aad.missingParameter('client_id');
    attribute(target.kind === 'tenant' ? target.tenant.id : target.name, clientId);
    let body: Record<string, unknown>;
    if (grant === 'client_credentials') body = clientCredentials(ctx, req, form, target, clientId);
    else if (grant === 'authorization_code') body = authorizationCode(ctx, req, form, target, clientId);
    else if (grant === 'refresh_token') body = refreshToken(ctx, req, form, target, clientId);
    else throw aad.unsupportedGrant(grant);
    if (version === 1) body = v1Shape(ctx, body, resourceParam);
    return { status: 200, headers: NO_STORE, body };
  } catch (error) {
    if (error instanceof AadError) return tokenErrorResponse(ctx, req, error);
    throw error;
  }
}

/** v1 answers carry lifetimes as strings, plus expires_on, not_before and the resource. */
function v1Shape(
  ctx: EmulatorContext,
  body: Record<string, unknown>,
  resource: string | null,
): Record<string, unknown> {
  const now = Math.floor(ctx.state.clock.now() / 1000);
  const expiresIn = Number(body.expires_in);
  const out: Record<string, unknown> = {
    ...body,
    expires_in: String(expiresIn),
    ext_expires_in: String(expiresIn),
    expires_on: String(now + expiresIn),
    not_before: String(now),
  };
  if (resource) out.resource = resource;
  return out;
}

function specificTenant(target: TenantSegment): Tenant {
  if (target.kind === 'tenant') return target.tenant;
  if (target.name === 'common')
    throw new AadError(
      'invalid_request',
      9001023,
      'The grant type is not supported over the /common or /consumers endpoints. Please use the /organizations or tenant-specific endpoint.',
    );
  throw new AadError(
    'invalid_request',
    50059,
    'No tenant-identifying information found in either the request or implied by any provided credentials.',
  );
}

function clientCredentials(
  ctx: EmulatorContext,
  req: EmulatorRequest,
  form: URLSearchParams,
  target: TenantSegment,
  clientId: string,
): Record<string, unknown> {
  const tenant = specificTenant(target);
  const found = clientApp(ctx, tenant, clientId);
  if (!found) throw aad.appNotFound(clientId, tenant.id);
  const clientAuth = authenticateClient(ctx, req, form, found.app, tenant, { confidentialRequired: true });
  const scope = form.get('scope');
  if (!scope) throw aad.missingParameter('scope');
  requireClientCredentialsScope(scope);
  const resource = singleResource(parseScopes(scope, tenant.cloud, tenant.id), scope);
  if (!resource)
    throw new AadError(
      'invalid_scope',
      700023,
      'The provided value for the input parameter scope is not valid when requesting an access token.',
    );
  const sp = ctx.state.servicePrincipalByAppId(tenant, clientId);
  if (!sp) throw aad.appNotFound(clientId, tenant.id);
  const token = issueAccessToken(ctx, {
    tenant,
    resource,
    clientAppId: clientId,
    subject: { kind: 'app', servicePrincipal: sp },
    clientAuth,
  });
  return {
    token_type: 'Bearer',
    expires_in: token.expiresIn,
    ext_expires_in: token.expiresIn,
    access_token: token.accessToken,
  };
}

/** The resource a user-token request names in `scope`, or undefined when it names only OIDC scopes or none. */
function requestedResource(form: URLSearchParams, tenant: Tenant): ResourceName | undefined {
  const scope = form.get('scope');
  if (!scope) return undefined;
  return singleResource(parseScopes(scope, tenant.cloud, tenant.id), scope);
}

const invalidGrant = (code: number, message: string) => new AadError('invalid_grant', code, message);

function authorizationCode(
  ctx: EmulatorContext,
  req: EmulatorRequest,
  form: URLSearchParams,
  target: TenantSegment,
  clientId: string,
): Record<string, unknown> {
  const code = form.get('code');
  if (!code) throw aad.missingParameter('code');
  const store = identityStore(ctx.state);
  const record = store.codes.get(code);
  if (!record) throw invalidGrant(9002313, 'Invalid request. Request is malformed or invalid.');
  if (record.clientAppId !== clientId) throw invalidGrant(70000, 'Provided grant is invalid or malformed.');
  if (target.kind === 'tenant' && target.tenant.id !== record.tenantId)
    throw invalidGrant(
      700005,
      'Provided Authorization Code is intended to use against other tenant, thus rejected.',
    );
  const tenant = ctx.state.tenant(record.tenantId)!;
  const found = clientApp(ctx, tenant, clientId);
  if (!found) throw aad.appNotFound(clientId, tenant.id);
  const clientAuth = authenticateClient(ctx, req, form, found.app, tenant, { confidentialRequired: false });
  if (record.redeemed)
    throw invalidGrant(
      54005,
      'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.',
    );
  record.redeemed = true;
  if (ctx.state.clock.now() > record.expiresAt)
    throw invalidGrant(
      70008,
      'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.',
    );
  const redirectUri = form.get('redirect_uri');
  if (redirectUri !== record.redirectUri)
    throw invalidGrant(
      500112,
      `The reply address '${redirectUri ?? ''}' does not match the reply address '${record.redirectUri}' provided when requesting Authorization code.`,
    );
  if (record.codeChallenge) {
    const verifier = form.get('code_verifier') ?? '';
    const computed =
      record.codeChallengeMethod === 'S256'
        ? createHash('sha256').update(verifier).digest('base64url')
        : verifier;
    if (!verifier || computed !== record.codeChallenge)
      throw invalidGrant(
        501481,
        'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
      );
  }
  const user = tenant.users.get(record.userId);
  if (!user) throw invalidGrant(50034, 'The user account does not exist in the directory.');
  return issueUserTokens(ctx, {
    tenant,
    app: found.app,
    user,
    resource: requestedResource(form, tenant) ?? record.resource,
    oidc: record.scopes.filter((s) => ['openid', 'profile', 'email', 'offline_access'].includes(s)),
    authTime: record.authTime,
    nonce: record.nonce,
    clientAuth,
    clientInfo: form.get('client_info') === '1',
  });
}

function refreshToken(
  ctx: EmulatorContext,
  req: EmulatorRequest,
  form: URLSearchParams,
  target: TenantSegment,
  clientId: string,
): Record<string, unknown> {
  const token = form.get('refresh_token');
  if (!token) throw aad.missingParameter('refresh_token');
  const record = identityStore(ctx.state).refreshTokens.get(token);
  if (!record) throw invalidGrant(9002313, 'Invalid request. Request is malformed or invalid.');
  if (record.clientAppId !== clientId) throw invalidGrant(70000, 'Provided grant is invalid or malformed.');
  if (target.kind === 'tenant' && target.tenant.id !== record.tenantId)
    throw invalidGrant(
      700005,
      'Provided refresh token is intended to use against other tenant, thus rejected.',
    );
  const tenant = ctx.state.tenant(record.tenantId)!;
  const found = clientApp(ctx, tenant, clientId);
  if (!found) throw aad.appNotFound(clientId, tenant.id);
  const clientAuth = authenticateClient(ctx, req, form, found.app, tenant, { confidentialRequired: false });
  const now = ctx.state.clock.now();
  if (now > record.expiresAt) {
    const inactiveDays = Math.floor((now - record.issuedAt) / 86_400_000);
    throw invalidGrant(
      700082,
      `The refresh token has expired due to inactivity. The token was issued on ${new Date(record.issuedAt).toISOString()} and was inactive for ${inactiveDays}.00:00:00.`,
    );
  }
  const user = tenant.users.get(record.userId);
  if (!user)
    throw invalidGrant(
      50173,
      'The provided grant has expired due to it being revoked, a fresh auth token is needed.',
    );
  if (user.properties.accountEnabled === false)
    throw invalidGrant(
      50057,
      'The user account is disabled. The account has been disabled by an administrator.',
    );
  if (user.signInSessionsValidFrom > record.authTime)
    throw invalidGrant(
      50173,
      `The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '${entraTimestamp(record.authTime)}' and the TokensValidFrom date (before which tokens are not valid) for this user is '${entraTimestamp(user.signInSessionsValidFrom)}'.`,
    );
  return issueUserTokens(ctx, {
    tenant,
    app: found.app,
    user,
    resource: requestedResource(form, tenant) ?? record.resource,
    oidc: record.oidc,
    authTime: record.authTime,
    clientAuth,
    clientInfo: form.get('client_info') === '1',
  });
}
