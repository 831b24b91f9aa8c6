// Test helpers for the Graph conformance suite: an in-process emulator, isolated tenants, tokens minted with
// issueAccessToken for a service principal (or a user), a @microsoft/microsoft-graph-client Client with
// customHosts, and a raw fetch for cases that assert on headers or must not be retried.
import { randomUUID } from 'node:crypto';
import {
  Client,
  RetryHandlerOptions,
  type AuthenticationProvider,
  type GraphError,
} from '@microsoft/microsoft-graph-client';
import { startEmulator, type RunningEmulator } from '../../../emulator/src/emulator';
import type { ServicePrincipal, Tenant } from '../../../emulator/src/state/model';
import type { SeedTenant } from '../../../emulator/src/state/seed';
import { issueAccessToken } from '../../../emulator/src/tokens/accessToken';

export const DEMO_TENANT = '7c1d5f0e-3c4b-4b8e-9a51-2f1e6d3c9b10';
export const DEMO_APP = 'c3d4e5f6-0003-4000-8000-000000000001';

export const E3 = '05e9a617-0261-4cee-bb44-138d3ef5d965';
export const EXCHANGE_PLAN = 'efb87545-963c-4e0d-99df-69c6916d9eb0';

/** A fresh tenant for one test: verified + unverified + federated domains, E3 with `seats`, an app with permissions. */
export function tenantSeed(
  options: {
    permissions?: string[];
    appRoles?: ('User Administrator' | 'Global Administrator' | 'Helpdesk Administrator')[];
    seats?: number;
    users?: SeedTenant['users'];
    size?: 'S' | 'M' | 'L';
    faults?: NonNullable<SeedTenant['graph']>['faults'];
  } = {},
): SeedTenant {
  const id = randomUUID();
  const appId = randomUUID();
  const domain = `t${id.slice(0, 8)}.test`;
  return {
    id,
    displayName: `Test ${id.slice(0, 8)}`,
    size: options.size ?? 'S',
    domains: [
      { name: domain, verified: true, default: true },
      { name: `unverified-${domain}`, verified: false },
      { name: `fed-${domain}`, verified: true, federated: true },
    ],
    skus: [
      {
        skuId: E3,
        skuPartNumber: 'SPE_E3',
        seats: options.seats ?? 5,
        servicePlans: [{ servicePlanId: EXCHANGE_PLAN, servicePlanName: 'EXCHANGE_S_ENTERPRISE' }],
      },
    ],
    users: options.users ?? [
      {
        userPrincipalName: `exchange.admin@${domain}`,
        displayName: 'Exa Admin',
        mail: `exchange.admin@${domain}`,
        roles: ['Exchange Administrator'],
      },
    ],
    applications: [{ appId, displayName: 'Test app', clientSecrets: [{ value: 'test-secret' }] }],
    servicePrincipals: [
      {
        appId,
        appPermissions: {
          graph: options.permissions ?? [
            'User.ReadWrite.All',
            'Group.ReadWrite.All',
            'Directory.ReadWrite.All',
          ],
        },
        roles: options.appRoles ?? ['User Administrator'],
      },
    ],
    graph: options.faults ? { faults: options.faults } : undefined,
  };
}

export interface TestTenant {
  tenant: Tenant;
  domain: string;
  appId: string;
  sp: ServicePrincipal;
  token(): string;
  client(options?: { retries?: boolean }): Client;
  fetch(
    method: string,
    path: string,
    options?: { body?: unknown; headers?: Record<string, string> },
  ): Promise<RawResponse>;
}

export interface RawResponse {
  status: number;
  headers: Headers;
  body: Record<string, unknown> & {
    error?: {
      code: string;
      message: string;
      innerError?: Record<string, unknown>;
      details?: Record<string, unknown>[];
    };
  };
  text: string;
}

export function addTenant(emulator: RunningEmulator, seed: SeedTenant): TestTenant {
  const ctx = emulator.context;
  const tenant = ctx.state.addTenant(seed);
  const sp = [...tenant.servicePrincipals.values()][0]!;
  // One token until it nears expiry on the emulator clock (tests advance the clock by days).
  let cached: { token: string; exp: number } | undefined;
  const token = (): string => {
    if (cached && cached.exp - 60 > ctx.state.clock.now() / 1000) return cached.token;
    const issued = issueAccessToken(ctx, {
      tenant,
      resource: 'graph',
      clientAppId: sp.appId,
      subject: { kind: 'app', servicePrincipal: sp },
      clientAuth: '1',
    });
    cached = { token: issued.accessToken, exp: Number(issued.claims.exp) };
    return cached.token;
  };
  return {
    tenant,
    domain: tenant.domains[0]!.id,
    appId: sp.appId,
    sp,
    token,
    client: (options) => graphClient(emulator, token, options),
    fetch: (method, path, options) => rawFetch(emulator, token(), method, path, options),
  };
}

export function userToken(
  emulator: RunningEmulator,
  tenant: Tenant,
  appId: string,
  userId: string,
  scopes: string[],
): string {
  const user = tenant.users.get(userId)!;
  return issueAccessToken(emulator.context, {
    tenant,
    resource: 'graph',
    clientAppId: appId,
    subject: { kind: 'user', user, scopes },
    clientAuth: '1',
  }).accessToken;
}

export function graphClient(
  emulator: RunningEmulator,
  token: () => string,
  options: { retries?: boolean } = {},
): Client {
  const authProvider: AuthenticationProvider = { getAccessToken: async () => token() };
  const client = Client.initWithMiddleware({
    authProvider,
    baseUrl: emulator.context.endpoints.graph + '/',
    customHosts: new Set(['127.0.0.1']),
    defaultVersion: 'v1.0',
  });
  if (options.retries === false) {
    // The default middleware retries 429/503/504; conformance cases that assert those turn it off per request.
    const api = client.api.bind(client);
    client.api = (path: string) => api(path).middlewareOptions([new RetryHandlerOptions(0, 0, () => false)]);
  }
  return client;
}

export async function rawFetch(
  emulator: RunningEmulator,
  token: string,
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  const headers: Record<string, string> = { Authorization: `Bearer ${token}`, ...(options.headers ?? {}) };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(emulator.context.endpoints.graph + path, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await res.text();
  let body: RawResponse['body'] = {};
  try {
    body = text ? (JSON.parse(text) as RawResponse['body']) : {};
  } catch {
    body = {};
  }
  return { status: res.status, headers: res.headers, body, text };
}

/** The parsed Graph error body carried by the SDK's GraphError. */
export function errorBody(e: unknown): {
  code: string;
  message: string;
  details?: { code: string; target?: string }[];
  innerError?: Record<string, unknown>;
} {
  const g = e as GraphError;
  const raw: unknown = typeof g.body === 'string' ? JSON.parse(g.body) : g.body;
  const obj = raw as { error?: unknown } | undefined;
  return (obj?.error ?? obj) as ReturnType<typeof errorBody>;
}

/** Runs `fn`, expecting it to throw the SDK's GraphError; returns it. */
export async function graphFailure(fn: () => Promise<unknown>): Promise<GraphError> {
  try {
    await fn();
  } catch (e) {
    if ((e as GraphError).statusCode !== undefined) return e as GraphError;
    throw e;
  }
  throw new Error('expected a Graph error');
}

export function newUserBody(
  domain: string,
  alias: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    accountEnabled: true,
    displayName: `User ${alias}`,
    mailNickname: alias,
    userPrincipalName: `${alias}@${domain}`,
    passwordProfile: { forceChangePasswordNextSignIn: true, password: 'xWwvJ]6NMw+bWH-d' },
    ...extra,
  };
}

export { startEmulator };
