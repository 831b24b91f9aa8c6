/**
 * TokenCredentials for a connection, for the engine: app-only (customer-owned app, client assertion signed by Key
 * Vault) or delegated (service-provider app, refresh token kept in Key Vault and rotated on every use). The engine
 * gets a TokenCredential and never sees a refresh token or a key.
 */
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import { ClientAssertionCredential } from '@azure/identity';
import { oauthEndpoints, type CloudEndpoints } from '../clouds/endpoints';
import { signClientAssertion, type AssertionSigner } from './assertion';
import { ConnectionError } from './errors';

export interface AssertionSource {
  /** The signer and thumbprint of the certificate version currently uploaded to the app registration. */
  current(): Promise<{ signer: AssertionSigner; x5tS256: string }>;
}

export function appOnlyCredential(
  endpoints: CloudEndpoints,
  tenantId: string,
  clientId: string,
  source: AssertionSource,
  options: { disableInstanceDiscovery: boolean; now?: () => Date },
): TokenCredential {
  const tokenEndpoint = oauthEndpoints(endpoints, tenantId).token;
  return new ClientAssertionCredential(
    tenantId,
    clientId,
    async () => {
      const { signer, x5tS256 } = await source.current();
      return signClientAssertion({
        signer,
        x5tS256,
        clientId,
        tokenEndpoint,
        now: (options.now ?? (() => new Date()))(),
      });
    },
    { authorityHost: endpoints.authorityHost, disableInstanceDiscovery: options.disableInstanceDiscovery },
  );
}

/** Where a delegated connection's refresh token lives (a Key Vault secret; each rotation a new version). */
export interface RefreshTokenStore {
  read(): Promise<string | undefined>;
  write(refreshToken: string): Promise<void>;
}

export interface EntraError {
  error: string;
  errorDescription: string;
  /** AADSTS codes, e.g. [50173]. */
  codes: number[];
}

/** invalid_grant codes after which only a new sign-in helps (graph-spec.md §6.4). */
const PERMANENT = new Set([50173, 700082, 70008, 65001, 50057, 700084, 70043, 50076, 50079, 53003]);

export function isPermanentRefreshFailure(e: EntraError): boolean {
  return e.error === 'invalid_grant' || e.codes.some((c) => PERMANENT.has(c));
}

export interface DelegatedCredentialOptions {
  endpoints: CloudEndpoints;
  tenantId: string;
  clientId: string;
  store: RefreshTokenStore;
  /** Client authentication of the (confidential) service-provider app. */
  clientAssertion: () => Promise<string>;
  /** Called once when a refresh fails for good, so the connection can be marked relink-required. */
  onPermanentFailure: (error: EntraError) => Promise<void>;
  fetch?: typeof fetch;
  now?: () => number;
}

/**
 * Delegated tokens from the stored refresh token. Entra returns a new refresh token with every use (the old one
 * stays valid until it expires); the new one is stored at once so a crash never loses the chain.
 */
export class RefreshTokenCredential implements TokenCredential {
  readonly #o: DelegatedCredentialOptions;
  readonly #cache = new Map<string, AccessToken>();
  #inflight = new Map<string, Promise<AccessToken>>();

  constructor(options: DelegatedCredentialOptions) {
    this.#o = options;
  }

  async getToken(scopes: string | string[], _options?: GetTokenOptions): Promise<AccessToken> {
    const key = ([] as string[]).concat(scopes).sort().join(' ');
    const cached = this.#cache.get(key);
    const now = (this.#o.now ?? Date.now)();
    if (cached && cached.expiresOnTimestamp - 120_000 > now) return cached;
    let pending = this.#inflight.get(key);
    if (!pending) {
      pending = this.redeem(([] as string[]).concat(scopes)).finally(() => this.#inflight.delete(key));
      this.#inflight.set(key, pending);
    }
    const token = await pending;
    this.#cache.set(key, token);
    return token;
  }

  /** Redeems the stored refresh token once: stores the rotated one, returns the access token. */
  async redeem(scopes: string[]): Promise<AccessToken> {
    const o = this.#o;
    const refreshToken = await o.store.read();
    if (!refreshToken) {
      throw new ConnectionError(
        'TENURE_CONNECTION_NOT_LINKED',
        'The connection has no refresh token: link the account first.',
      );
    }
    const body = new URLSearchParams({
      client_id: o.clientId,
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      scope: [...scopes, 'offline_access'].join(' '),
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: await o.clientAssertion(),
    });
    const res = await (o.fetch ?? fetch)(oauthEndpoints(o.endpoints, o.tenantId).token, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (!res.ok) {
      const error = entraError(json);
      if (isPermanentRefreshFailure(error)) {
        await o.onPermanentFailure(error);
        throw new ConnectionError(
          'TENURE_CONNECTION_RELINK_REQUIRED',
          `Refreshing the delegated token failed for good (AADSTS${error.codes[0] ?? '?'}): link the account again.`,
          { error: error.error, codes: error.codes },
        );
      }
      throw new ConnectionError(
        'TENURE_OAUTH_FAILED',
        `The token endpoint answered ${res.status} (${error.error}).`,
        { status: res.status, codes: error.codes },
      );
    }
    if (typeof json.refresh_token === 'string') await o.store.write(json.refresh_token);
    if (typeof json.access_token !== 'string')
      throw new ConnectionError(
        'TENURE_OAUTH_FAILED',
        'The token endpoint answered without an access token.',
      );
    const expiresIn = Number(json.expires_in ?? 3600);
    return { token: json.access_token, expiresOnTimestamp: (o.now ?? Date.now)() + expiresIn * 1000 };
  }
}

/** Replaces anything shaped like a JWT (an access, id or assertion token) so it cannot reach a log or a page. */
export function redactTokens(text: string): string {
  return text.replace(/eyJ[\w-]+\.[\w-]+\.[\w-]*/g, '[token]');
}

/**
 * The error fields of an Entra token-endpoint answer. The description is shown on pages and kept in a
 * connection's diagnostics, and it can also arrive in a redirect's query string (anyone's input), so any
 * token-shaped text in it is redacted here, once, for every reader.
 */
export function entraError(json: Record<string, unknown>): EntraError {
  const description =
    typeof json.error_description === 'string' ? redactTokens(json.error_description.split(/\r?\n/)[0]!) : '';
  const codes = Array.isArray(json.error_codes)
    ? json.error_codes.filter((c): c is number => typeof c === 'number')
    : [];
  const fromText = /AADSTS(\d+)/.exec(description);
  if (codes.length === 0 && fromText) codes.push(Number(fromText[1]));
  return {
    error: typeof json.error === 'string' ? json.error : 'unknown_error',
    errorDescription: description,
    codes,
  };
}
