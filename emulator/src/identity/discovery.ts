// OpenID Connect discovery and the signing keys, per tenant, as Entra publishes them: endpoints on the emulator,
// the tenant id substituted for a domain, `{tenantid}` left in the issuer for common/organizations.
import type { EmulatorContext } from '../context';
import type { EmulatorRequest, EmulatorResponse } from '../http/router';
import type { CloudName } from '../state/model';
import { resolveTenantSegment } from './tenants';

/** The real authority host of each cloud (graph-spec.md §5); client assertions addressed to it are accepted. */
export const AUTHORITY_HOSTS: Record<CloudName, string> = {
  global: 'https://login.microsoftonline.com',
  usgov: 'https://login.microsoftonline.us',
  usgovdod: 'https://login.microsoftonline.us',
  china: 'https://login.chinacloudapi.cn',
};

export function v2Issuer(ctx: EmulatorContext, tenantId: string): string {
  return `${ctx.endpoints.login}/${tenantId}/v2.0`;
}

export function openIdConfiguration(
  ctx: EmulatorContext,
  req: EmulatorRequest,
  version: 1 | 2,
): EmulatorResponse {
  const target = resolveTenantSegment(ctx, req.params.tenant!);
  const base = ctx.endpoints.login;
  const path = target.kind === 'tenant' ? target.tenant.id : target.name;
  const issuerTenant = target.kind === 'tenant' ? target.tenant.id : '{tenantid}';
  const v = version === 2 ? '/v2.0' : '';
  const oauth = version === 2 ? 'oauth2/v2.0' : 'oauth2';
  const body: Record<string, unknown> = {
    token_endpoint: `${base}/${path}/${oauth}/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/${path}/discovery${v}/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: version === 2 ? `${base}/${issuerTenant}/v2.0` : `https://sts.windows.net/${issuerTenant}/`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${ctx.endpoints.graph || 'https://graph.microsoft.com'}/oidc/userinfo`,
    authorization_endpoint: `${base}/${path}/${oauth}/authorize`,
    device_authorization_endpoint: `${base}/${path}/${oauth}/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/${path}/${oauth}/logout`,
    claims_supported: [
      'sub',
      'iss',
      'cloud_instance_name',
      'cloud_instance_host_name',
      'cloud_graph_host_name',
      'msgraph_host',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'acr',
      'nonce',
      'preferred_username',
      'name',
      'tid',
      'ver',
      'at_hash',
      'c_hash',
      'email',
    ],
    kerberos_endpoint: `${base}/${path}/kerberos`,
    tenant_region_scope: target.kind === 'tenant' ? 'NA' : null,
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
    rbac_url: 'https://pas.windows.net',
  };
  if (version === 1) body.resource_supported = true;
  return { status: 200, headers: { 'Cache-Control': 'max-age=86400, private' }, body };
}

export function jwks(ctx: EmulatorContext, req: EmulatorRequest): EmulatorResponse {
  const target = resolveTenantSegment(ctx, req.params.tenant!);
  const issuer = target.kind === 'tenant' ? v2Issuer(ctx, target.tenant.id) : v2Issuer(ctx, '{tenantid}');
  return { status: 200, body: { keys: [{ ...ctx.signingKey.jwk, x5t: ctx.signingKey.kid, issuer }] } };
}
