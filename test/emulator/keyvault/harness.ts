// Test harness for the Key Vault emulator: an in-process emulator started from the default seed (plus a client
// secret on the hosting tenant's service-provider app, so @azure/identity has something to sign in with), and a
// TokenCredential that mints emulator tokens for a service principal, as the managed identity would get them.
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SEED, startEmulator, type RunningEmulator } from '../../../emulator/src/emulator';
import type { EmulatorContext } from '../../../emulator/src/context';
import type { ResourceName } from '../../../emulator/src/state/model';
import type { Seed } from '../../../emulator/src/state/seed';
import { issueAccessToken } from '../../../emulator/src/tokens/accessToken';

export const HOSTING_TENANT = '0d3d9e3c-5e1a-4b7e-9a55-7c2a1f4e8b01';
export const DEMO_TENANT = '7c1d5f0e-3c4b-4b8e-9a51-2f1e6d3c9b10';
/** The seed's managed identity: on the vault's access list. */
export const MANAGED_IDENTITY_APP = '2f9c7e1b-6a4d-4c8e-b3f5-9d0a1e2b3c4f';
export const MANAGED_IDENTITY_OID = '8e6f1c2a-9b3d-4e5f-a6b7-c8d9e0f1a2b3';
/** The service-provider app in the hosting tenant: NOT on the vault's access list. */
export const PROVIDER_APP = '5b8f2a4d-1c3e-4f6a-8b9d-0e1f2a3b4c5d';
export const PROVIDER_SECRET = 'kv-test-provider-secret';
export const DEMO_APP = 'c3d4e5f6-0003-4000-8000-000000000001';
/** A secret the test seed puts in the vault (seed field keyVault.secrets). */
export const SEEDED_SECRET = 'seeded-connection-secret';

/** Options every Key Vault client needs against a loopback vault (the documented non-Azure setting). */
export const CLIENT_OPTIONS = { disableChallengeResourceVerification: true } as const;

export async function startKeyVaultEmulator(): Promise<RunningEmulator> {
  const seed = JSON.parse(readFileSync(DEFAULT_SEED, 'utf8')) as Seed;
  const hosting = seed.tenants.find((t) => t.id === HOSTING_TENANT)!;
  const provider = hosting.applications!.find((a) => a.appId === PROVIDER_APP)!;
  provider.clientSecrets = [{ value: PROVIDER_SECRET, displayName: 'Key Vault tests' }];
  seed.keyVault!.secrets = [{ name: SEEDED_SECRET, value: 'from the seed', contentType: 'text/plain' }];
  const dir = mkdtempSync(join(tmpdir(), 'kv-seed-'));
  const path = join(dir, 'seed.json');
  writeFileSync(path, JSON.stringify(seed));
  return startEmulator({ seed: path });
}

export interface CredentialOptions {
  tenantId?: string;
  appId?: string;
  resource?: ResourceName;
}

/** Mints emulator access tokens for an app's service principal; records what the SDK asked for. */
export class EmulatorTokenCredential implements TokenCredential {
  readonly requests: { scopes: string[]; tenantId?: string }[] = [];

  constructor(
    private readonly ctx: EmulatorContext,
    private readonly options: CredentialOptions = {},
  ) {}

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    const list = Array.isArray(scopes) ? scopes : [scopes];
    this.requests.push({ scopes: list, tenantId: options?.tenantId });
    const tenant = this.ctx.state.tenant(this.options.tenantId ?? HOSTING_TENANT)!;
    const appId = this.options.appId ?? MANAGED_IDENTITY_APP;
    const sp = this.ctx.state.servicePrincipalByAppId(tenant, appId);
    if (!sp) throw new Error(`no service principal for ${appId} in ${tenant.id}`);
    const issued = issueAccessToken(this.ctx, {
      tenant,
      resource: this.options.resource ?? 'keyvault',
      clientAppId: appId,
      subject: { kind: 'app', servicePrincipal: sp },
      clientAuth: '2',
    });
    return { token: issued.accessToken, expiresOnTimestamp: Date.now() + issued.expiresIn * 1000 };
  }
}

/** Raw HTTPS call to the vault (for status codes and headers the SDKs hide). */
export async function rawCall(
  emu: RunningEmulator,
  method: string,
  path: string,
  options: { token?: string; body?: unknown } = {},
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const response = await fetch(emu.context.endpoints.keyVault + path, {
    method,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : {} };
}

export async function tokenFor(emu: RunningEmulator, options: CredentialOptions = {}): Promise<string> {
  return (
    await new EmulatorTokenCredential(emu.context, options).getToken('https://vault.azure.net/.default')
  ).token;
}

export async function admin(
  emu: RunningEmulator,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(emu.context.endpoints.admin + path, {
    method,
    headers: body !== undefined ? { 'content-type': 'application/json' } : {},
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

let counter = 0;
/** A vault object name unique within the run. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}`;
}
