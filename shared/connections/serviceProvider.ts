/**
 * Service-provider connections ("Link Account"): the deployment's multi-tenant app asks a customer admin for
 * delegated consent with PKCE, redeems the code as a confidential client (assertion signed by Key Vault), and keeps
 * the refresh token as a Key Vault secret (each rotation a new version). No redirect target is ever taken from a
 * request: every URL is built from settings and the connection record.
 */
import type { SecretClient } from '@azure/keyvault-secrets';
import { cloudEndpoints, oauthEndpoints, scopeOf } from '../clouds/endpoints';
import { readSetting, requireSetting } from '../config/settings';
import { readTokenClaims, signClientAssertion } from './assertion';
import { chooseSigningVersion, publicCertificate } from './certificates';
import { entraError, RefreshTokenCredential, type EntraError } from './credentials';
import { ConnectionError } from './errors';
import type { Connection, MissingItem } from './model';
import type { OAuthStateStore } from './oauthState';
import { flowPermissions, flowsOf } from './flowRequirements';
import { DIRECTORY_ROLES, SERVICE_PROVIDER_SCOPES, type RequiredPermission } from './requirements';
import { updateConnection } from './repository';
import { getConnection, type ConnectionDeps } from './service';

export interface ServiceProviderDeps extends ConnectionDeps {
  states: OAuthStateStore;
  secrets: () => SecretClient;
  fetch?: typeof fetch;
}

export const callbackPath = '/api/oauth/callback';
export const adminConsentPath = '/api/oauth/adminconsent';

function redirectUri(deps: ConnectionDeps, path: string): string {
  return `${requireSetting(deps.env, 'TENURE_PUBLIC_BASE_URL').replace(/\/+$/, '')}${path}`;
}

/** Graph scopes the connection needs: the base list plus what its flows map (e.g. User-LifeCycleInfo.ReadWrite.All). */
function graphScopesFor(deps: ConnectionDeps, connection: Connection): RequiredPermission[] {
  const base: RequiredPermission[] = SERVICE_PROVIDER_SCOPES.map((name) => ({ resource: 'graph', name }));
  const known = new Set<string>(SERVICE_PROVIDER_SCOPES);
  return [...base, ...flowPermissions(flowsOf(deps), connection.id).filter((p) => !known.has(p.name))];
}

function delegatedScopes(deps: ConnectionDeps, connection: Connection): string[] {
  const resource = cloudEndpoints(connection.cloud, {}).graphResource;
  const graph = graphScopesFor(deps, connection).map((p) => `${resource}/${p.name}`);
  return [...graph, 'offline_access', 'openid', 'profile'];
}

function requireServiceProvider(connection: Connection): void {
  if (connection.kind !== 'service-provider') {
    throw new ConnectionError(
      'TENURE_CONNECTION_WRONG_KIND',
      'Only a service-provider connection links by signing in; a customer-owned app links with POST …/link.',
      { id: connection.id },
    );
  }
}

export interface BrowserRedirect {
  location: string;
  /** The HttpOnly cookie binding the state to this browser. */
  browserNonce: string;
}

/**
 * The tenant's admin-consent URL for the service-provider app without a state: what Tenure shows when the account
 * that signed in could not consent, to forward to a Global Administrator of the customer. Its answer changes
 * nothing in Tenure (consent yields no token); Link Account is still needed afterwards.
 */
export function adminConsentRequestUrl(deps: ConnectionDeps, connection: Connection): string {
  const endpoints = cloudEndpoints(connection.cloud, deps.env);
  const q = new URLSearchParams({
    client_id: connection.clientId,
    scope: scopeOf(endpoints.graphResource),
    redirect_uri: redirectUri(deps, adminConsentPath),
  });
  return `${oauthEndpoints(endpoints, connection.tenantId).adminConsent}?${q}`;
}

/** Starts Link Account (or the admin-consent request): the authorize URL and the browser-binding nonce. */
export async function beginLink(
  deps: ServiceProviderDeps,
  connectionId: string,
  purpose: 'link' | 'admin-consent' = 'link',
): Promise<BrowserRedirect> {
  const connection = await getConnection(deps, connectionId);
  requireServiceProvider(connection);
  if (!readSetting(deps.env, 'TENURE_SP_CLIENT_ID')) {
    throw new ConnectionError(
      'TENURE_SERVICE_PROVIDER_NOT_CONFIGURED',
      'This deployment has no service-provider app: set TENURE_SP_CLIENT_ID and TENURE_SP_CERTIFICATE_NAME.',
    );
  }
  const pending = await deps.states.create(connection.id, purpose, deps.now());
  const endpoints = cloudEndpoints(connection.cloud, deps.env);
  const urls = oauthEndpoints(endpoints, connection.tenantId);
  if (purpose === 'admin-consent') {
    const q = new URLSearchParams({
      client_id: connection.clientId,
      scope: scopeOf(endpoints.graphResource),
      redirect_uri: redirectUri(deps, adminConsentPath),
      state: pending.state,
    });
    return { location: `${urls.adminConsent}?${q}`, browserNonce: pending.browserNonce };
  }
  const q = new URLSearchParams({
    client_id: connection.clientId,
    response_type: 'code',
    redirect_uri: redirectUri(deps, callbackPath),
    response_mode: 'query',
    scope: delegatedScopes(deps, connection).join(' '),
    state: pending.state,
    code_challenge: pending.codeChallenge,
    code_challenge_method: 'S256',
    prompt: 'select_account',
  });
  return { location: `${urls.authorize}?${q}`, browserNonce: pending.browserNonce };
}

/** The service-provider app's own client assertion, signed with its Key Vault certificate. */
export async function serviceProviderAssertion(
  deps: ConnectionDeps,
  connection: Connection,
): Promise<string> {
  const name = requireSetting(deps.env, 'TENURE_SP_CERTIFICATE_NAME');
  const choice = await chooseSigningVersion(deps.certificates(), name, deps.now());
  const cert = await publicCertificate(deps.certificates(), name, choice.version);
  return signClientAssertion({
    signer: deps.signer(cert.keyId),
    x5tS256: cert.x5tS256,
    clientId: connection.clientId,
    tokenEndpoint: oauthEndpoints(cloudEndpoints(connection.cloud, deps.env), connection.tenantId).token,
    now: deps.now(),
  });
}

export type CallbackOutcome =
  | { kind: 'linked' | 'incomplete'; connection: Connection }
  /**
   * access_denied (AADSTS65004): the user cancelled, or Entra's "Need admin approval" page sent them back — Entra
   * answers both the same way, so the page explains both and offers the admin-consent request.
   */
  | { kind: 'consent-declined'; connection: Connection; adminConsentUrl: string }
  | { kind: 'admin-approval-required'; connection: Connection; error: EntraError; adminConsentUrl: string }
  | { kind: 'admin-consent-granted'; connection: Connection }
  | { kind: 'admin-consent-cancelled'; connection: Connection }
  /** The admin-consent redirect of a forwarded request (no state): Tenure records nothing. */
  | { kind: 'admin-consent-unsolicited'; granted: boolean }
  | { kind: 'failed'; connection?: Connection; error: EntraError };

/** Consent the signed-in account could not give (graph-spec.md §6: 65001 consent_required, 90094/90095 admin only). */
const ADMIN_APPROVAL = new Set([65001, 90094, 90095]);

/** The OAuth redirect: validates state and browser, redeems the code, stores the refresh token. */
export async function completeLink(
  deps: ServiceProviderDeps,
  query: URLSearchParams,
  browserNonce: string | undefined,
): Promise<CallbackOutcome> {
  const consumed = await deps.states.consume(query.get('state') ?? '', browserNonce, deps.now());
  if (consumed.purpose !== 'link') {
    throw new ConnectionError(
      'TENURE_OAUTH_STATE_INVALID',
      'This state was issued for admin consent, not Link Account.',
    );
  }
  const connection = await getConnection(deps, consumed.connectionId);
  requireServiceProvider(connection);
  if (query.get('error')) {
    const error = entraError({
      error: query.get('error'),
      error_description: query.get('error_description') ?? '',
    });
    const adminConsentUrl = adminConsentRequestUrl(deps, connection);
    if (error.error === 'consent_required' || error.codes.some((c) => ADMIN_APPROVAL.has(c)))
      return { kind: 'admin-approval-required', connection, error, adminConsentUrl };
    if (error.error === 'access_denied') return { kind: 'consent-declined', connection, adminConsentUrl };
    return { kind: 'failed', connection, error };
  }
  const code = query.get('code');
  if (!code)
    throw new ConnectionError(
      'TENURE_OAUTH_FAILED',
      'The sign-in answer carried neither a code nor an error.',
    );
  const res = await (deps.fetch ?? fetch)(
    oauthEndpoints(cloudEndpoints(connection.cloud, deps.env), connection.tenantId).token,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: connection.clientId,
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri(deps, callbackPath),
        code_verifier: consumed.codeVerifier,
        scope: delegatedScopes(deps, connection).join(' '),
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: await serviceProviderAssertion(deps, connection),
      }),
    },
  );
  const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok || typeof json.refresh_token !== 'string' || typeof json.access_token !== 'string') {
    return {
      kind: 'failed',
      connection,
      error: res.ok
        ? {
            error: 'no_refresh_token',
            errorDescription: 'Entra returned no refresh token (offline_access missing).',
            codes: [],
          }
        : entraError(json),
    };
  }
  const claims = readTokenClaims(json.access_token);
  const tid = String(claims.tid ?? '');
  if (
    /^[0-9a-f-]{36}$/i.test(connection.tenantId) &&
    tid.toLowerCase() !== connection.tenantId.toLowerCase()
  ) {
    return {
      kind: 'failed',
      connection,
      error: {
        error: 'wrong_tenant',
        errorDescription: `The account that signed in belongs to tenant ${tid}, not ${connection.tenantId}.`,
        codes: [],
      },
    };
  }
  await deps.secrets().setSecret(connection.refreshTokenSecretName!, json.refresh_token, {
    contentType: 'application/vnd.tenure.refresh-token',
    tags: { connectionId: connection.id },
  });
  const granted = String(claims.scp ?? '')
    .split(' ')
    .filter(Boolean);
  const required = graphScopesFor(deps, connection);
  const missing: MissingItem[] = required
    .filter((p) => !granted.includes(p.name))
    .map((p) => ({
      id: `scope:graph:${p.name}`,
      kind: 'delegated-permission',
      name:
        `Microsoft Graph ${p.name} (delegated)` +
        (p.neededBy?.length ? `, needed because ${p.neededBy.join('; ')}` : ''),
      fix: 'Sign in again with Link Account as an administrator and accept every permission on the consent page.',
    }));
  // Delegated writes of lifecycle information also need the signed-in admin to be a Global Administrator
  // (https://learn.microsoft.com/graph/tutorial-lifecycle-workflows-set-employeeleavedatetime). Judged from the
  // token's `wids` (the user's directory roles); a token without the claim tells nothing, so nothing is listed.
  const wids = Array.isArray(claims.wids) ? claims.wids.map(String) : undefined;
  const lifecycle = required.find((p) => p.neededBy?.length && p.name === 'User-LifeCycleInfo.ReadWrite.All');
  if (lifecycle && wids && !wids.includes(DIRECTORY_ROLES['Global Administrator'])) {
    missing.push({
      id: 'role:Global Administrator',
      kind: 'directory-role',
      name:
        'Global Administrator role for the account that links (delegated writes of employeeLeaveDateTime), ' +
        `needed because ${lifecycle.neededBy!.join('; ')}`,
      fix: 'Sign in again with Link Account as a Global Administrator of the tenant.',
    });
  }
  const now = deps.now().toISOString();
  // The credential cached for the old grant (if any) must not outlive the new sign-in.
  delegatedCache.delete(connection.id);
  const updated = await updateConnection(deps.repo, connection.id, (current) => ({
    ...current,
    tenantId: tid || current.tenantId,
    status: missing.length === 0 ? 'linked' : 'incomplete',
    consentedBy: String(claims.upn ?? claims.unique_name ?? claims.name ?? claims.oid ?? 'unknown'),
    consentedAt: now,
    diagnostics: { checkedAt: now, missing, granted: granted.map((s) => `graph:${s}`) },
    updatedAt: now,
  }));
  return { kind: missing.length === 0 ? 'linked' : 'incomplete', connection: updated! };
}

/** The admin-consent redirect: validates state and records the answer (consent yields no token by itself). */
export async function completeAdminConsent(
  deps: ServiceProviderDeps,
  query: URLSearchParams,
  browserNonce: string | undefined,
): Promise<CallbackOutcome> {
  if (!query.has('state')) {
    // A forwarded admin-consent request (adminConsentRequestUrl) comes back without state: nothing to record.
    return { kind: 'admin-consent-unsolicited', granted: isAdminConsentGranted(query) };
  }
  const consumed = await deps.states.consume(query.get('state') ?? '', browserNonce, deps.now());
  if (consumed.purpose !== 'admin-consent') {
    throw new ConnectionError(
      'TENURE_OAUTH_STATE_INVALID',
      'This state was issued for Link Account, not admin consent.',
    );
  }
  const connection = await getConnection(deps, consumed.connectionId);
  requireServiceProvider(connection);
  if (query.get('error')) {
    const error = entraError({
      error: query.get('error'),
      error_description: query.get('error_description') ?? '',
    });
    if (error.error === 'access_denied' || error.error === 'permission_denied')
      return { kind: 'admin-consent-cancelled', connection };
    // Not an administrator who may consent for the organisation (AADSTS90094 on "Need admin approval").
    if (error.error === 'consent_required' || error.codes.some((c) => ADMIN_APPROVAL.has(c)))
      return {
        kind: 'admin-approval-required',
        connection,
        error,
        adminConsentUrl: adminConsentRequestUrl(deps, connection),
      };
    return { kind: 'failed', connection, error };
  }
  if (query.get('admin_consent')?.toLowerCase() !== 'true') {
    return {
      kind: 'failed',
      connection,
      error: {
        error: 'no_consent',
        errorDescription: 'The answer did not confirm admin consent.',
        codes: [],
      },
    };
  }
  // Admin consent is granted; the connection still needs Link Account for a refresh token.
  return { kind: 'admin-consent-granted', connection };
}

function isAdminConsentGranted(query: URLSearchParams): boolean {
  return query.get('admin_consent')?.toLowerCase() === 'true' && !query.get('error');
}

const delegatedCache = new Map<string, RefreshTokenCredential>();

/** The delegated credential of a service-provider connection; a permanent refresh failure marks it relink-required. */
export function serviceProviderCredential(
  deps: ServiceProviderDeps,
  connection: Connection,
): RefreshTokenCredential {
  requireServiceProvider(connection);
  let credential = delegatedCache.get(connection.id);
  if (!credential) {
    const secretName = connection.refreshTokenSecretName!;
    credential = new RefreshTokenCredential({
      endpoints: cloudEndpoints(connection.cloud, deps.env),
      tenantId: connection.tenantId,
      clientId: connection.clientId,
      fetch: deps.fetch,
      store: {
        read: async () => {
          try {
            return (await deps.secrets().getSecret(secretName)).value;
          } catch (error) {
            if ((error as { statusCode?: number }).statusCode === 404) return undefined;
            throw error;
          }
        },
        write: async (token) => {
          await deps.secrets().setSecret(secretName, token, {
            contentType: 'application/vnd.tenure.refresh-token',
            tags: { connectionId: connection.id },
          });
        },
      },
      clientAssertion: () => serviceProviderAssertion(deps, connection),
      onPermanentFailure: async (error) => {
        delegatedCache.delete(connection.id);
        const now = deps.now().toISOString();
        await updateConnection(deps.repo, connection.id, (current) => ({
          ...current,
          status: 'relink-required',
          diagnostics: {
            ...current.diagnostics,
            lastError: {
              code: `AADSTS${error.codes[0] ?? ''}`,
              // The code is recorded on its own; the description without its repeated AADSTS prefix.
              description: error.errorDescription.replace(/^AADSTS\d+:\s*/, '').slice(0, 300),
              at: now,
            },
          },
          updatedAt: now,
        }));
      },
    });
    delegatedCache.set(connection.id, credential);
  }
  return credential;
}
