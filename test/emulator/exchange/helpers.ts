// Test helpers for the Exchange, mailboxSettings and OneDrive emulation: an emulator of the test's own with an
// isolated tenant, tokens minted for that tenant's service principals, a plain-HTTPS InvokeCommand caller, and the
// Graph endpoint the mailboxSettings and OneDrive routes are served on.
import { Client, GraphError } from '@microsoft/microsoft-graph-client';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { DEFAULT_STATE_DIR, startEmulator, type RunningEmulator } from '../../../emulator/src/emulator';
import type { DirectoryRoleName, ResourceName, Tenant } from '../../../emulator/src/state/model';
import type { SeedPermissions, SeedTenant } from '../../../emulator/src/state/seed';
import { issueAccessToken } from '../../../emulator/src/tokens/accessToken';

export const E3 = '05e9a617-0261-4cee-bb44-138d3ef5d965';
export const PLAN1 = '4b9405b0-7788-4568-add1-99614e613b69';
export const WAC_ONLY = 'e3b1c0a2-0000-4000-8000-0000000000aa';

/** The service principals every test tenant carries, by role in the tests. */
export const APPS = {
  admin: { appId: randomUUID(), exchange: ['Exchange.ManageAsApp'], roles: ['Exchange Administrator'] },
  reader: { appId: randomUUID(), exchange: ['Exchange.ManageAsApp'], roles: ['Global Reader'] },
  noRole: { appId: randomUUID(), exchange: ['Exchange.ManageAsApp'], roles: [] },
  noManageAsApp: { appId: randomUUID(), exchange: [], roles: ['Exchange Administrator'] },
  graphWriter: {
    appId: randomUUID(),
    graph: ['MailboxSettings.ReadWrite', 'Files.ReadWrite.All', 'User.Read.All'],
    roles: [],
  },
  graphReader: { appId: randomUUID(), graph: ['MailboxSettings.Read', 'Files.Read.All'], roles: [] },
  graphNone: { appId: randomUUID(), graph: ['User.Read.All'], roles: [] },
} as const;
export type AppName = keyof typeof APPS;

export function testTenantSeed(): SeedTenant {
  const n = randomUUID().slice(0, 8);
  const domain = `fabrikam-${n}.test`;
  return {
    id: randomUUID(),
    displayName: `Fabrikam ${n}`,
    domains: [
      { name: domain, default: true },
      { name: `fabrikam${n}.onmicrosoft.com`, initial: true },
      { name: `unverified-${n}.test`, verified: false },
    ],
    skus: [
      {
        skuId: E3,
        skuPartNumber: 'SPE_E3',
        seats: 25,
        servicePlans: [
          { servicePlanId: 'efb87545-963c-4e0d-99df-69c6916d9eb0', servicePlanName: 'EXCHANGE_S_ENTERPRISE' },
          { servicePlanId: '5dbe027f-2339-4123-9542-606e4d348a72', servicePlanName: 'SHAREPOINTENTERPRISE' },
        ],
      },
      {
        skuId: PLAN1,
        skuPartNumber: 'EXCHANGESTANDARD',
        seats: 5,
        servicePlans: [
          { servicePlanId: '9aaf7827-d63c-4b61-89c3-182f06f82e5c', servicePlanName: 'EXCHANGE_S_STANDARD' },
        ],
      },
      {
        skuId: WAC_ONLY,
        skuPartNumber: 'OFFICE_WEB_ONLY',
        seats: 5,
        servicePlans: [
          { servicePlanId: 'e95bec33-7c88-4a70-8e19-b10bd9d0c014', servicePlanName: 'SHAREPOINTWAC' },
        ],
      },
    ],
    users: [
      {
        userPrincipalName: `alice@${domain}`,
        displayName: 'Alice Leaver',
        mail: `alice@${domain}`,
        licenses: ['SPE_E3'],
        manager: `bob@${domain}`,
      },
      {
        userPrincipalName: `bob@${domain}`,
        displayName: 'Bob Manager',
        mail: `bob@${domain}`,
        licenses: ['SPE_E3'],
      },
      {
        userPrincipalName: `carol@${domain}`,
        displayName: 'Carol Plan One',
        mail: `carol@${domain}`,
        licenses: ['EXCHANGESTANDARD'],
      },
      { userPrincipalName: `dave@${domain}`, displayName: 'Dave Unlicensed' },
      { userPrincipalName: `erin@${domain}`, displayName: 'Erin Web Only', licenses: ['OFFICE_WEB_ONLY'] },
      {
        userPrincipalName: `frank@${domain}`,
        displayName: 'Frank Provisioned',
        mail: `frank@${domain}`,
        licenses: ['SPE_E3'],
        oneDrive: true,
      },
    ],
    servicePrincipals: Object.entries(APPS).map(([name, a]) => ({
      appId: a.appId,
      displayName: `test app ${name}`,
      appPermissions: {
        ...('exchange' in a && a.exchange.length ? { exchange: [...a.exchange] } : {}),
        ...('graph' in a ? { graph: [...a.graph] } : {}),
      } as SeedPermissions,
      roles: [...a.roles] as DirectoryRoleName[],
    })),
  };
}

export interface TestCloud {
  emulator: RunningEmulator;
  tenant: Tenant;
  domain: string;
  ca: string;
  close(): Promise<void>;
}

export async function startTestCloud(): Promise<TestCloud> {
  const emulator = await startEmulator();
  const tenant = emulator.context.state.addTenant(testTenantSeed());
  const domain = tenant.domains.find((d) => d.isDefault)!.id;
  const ca = readFileSync(join(DEFAULT_STATE_DIR, 'ca', 'ca.pem'), 'utf8');
  return { emulator, tenant, domain, ca, close: () => emulator.close() };
}

/** An app-only token for one of the test tenant's service principals. */
export function appToken(cloud: TestCloud, app: AppName, resource: ResourceName): string {
  const sp = cloud.emulator.context.state.servicePrincipalByAppId(cloud.tenant, APPS[app].appId)!;
  return issueAccessToken(cloud.emulator.context, {
    tenant: cloud.tenant,
    resource,
    clientAppId: sp.appId,
    subject: { kind: 'app', servicePrincipal: sp },
    clientAuth: '1',
  }).accessToken;
}

/** A delegated token for a user of the test tenant. */
export function userToken(cloud: TestCloud, upn: string, resource: ResourceName, scopes: string[]): string {
  const user = [...cloud.tenant.users.values()].find((u) => u.properties.userPrincipalName === upn)!;
  return issueAccessToken(cloud.emulator.context, {
    tenant: cloud.tenant,
    resource,
    clientAppId: APPS.graphWriter.appId,
    subject: { kind: 'user', user, scopes },
    clientAuth: '0',
  }).accessToken;
}

/** Parsed JSON as tests read it: any key, any depth (arrays are read by index; cast to list them). */
export interface Loose {
  [key: string]: Loose | undefined;
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: Loose;
}

export function httpsRequest(
  url: string,
  ca: string,
  options: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const payload = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
    const req = request(
      url,
      {
        method: options.method ?? 'GET',
        ca,
        headers: {
          ...(payload
            ? { 'Content-Type': 'application/json', 'Content-Length': String(payload.length) }
            : {}),
          ...(options.headers ?? {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: Loose = {};
          try {
            json = text ? (JSON.parse(text) as Loose) : {};
          } catch {
            json = {};
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** POST /adminapi/beta/{tenant}/InvokeCommand as the ExchangeOnlineManagement module does. */
export function invoke(
  cloud: TestCloud,
  token: string,
  cmdlet: string,
  parameters: Record<string, unknown> = {},
  options: { tenant?: string; query?: string; headers?: Record<string, string> } = {},
): Promise<HttpAnswer> {
  const tenant = options.tenant ?? cloud.tenant.id;
  return httpsRequest(
    `${cloud.emulator.context.endpoints.exchange}/adminapi/beta/${tenant}/InvokeCommand${options.query ?? ''}`,
    cloud.ca,
    {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        'X-AnchorMailbox': `APP:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@${tenant}`,
        'X-CmdletName': cmdlet,
        ...(options.headers ?? {}),
      },
      body: { CmdletInput: { CmdletName: cmdlet, Parameters: parameters } },
    },
  );
}

/** The pipe-delimited parts of an InvokeCommand error's first detail. */
export function errorDetail(answer: HttpAnswer): { errorId: string; exceptionType: string; message: string } {
  const [errorId, exceptionType, ...rest] = String(answer.json.error?.details?.[0]?.message ?? '').split('|');
  return { errorId: errorId ?? '', exceptionType: exceptionType ?? '', message: rest.join('|') };
}

/**
 * The emulator's Graph endpoint, where the mailboxSettings and OneDrive routes run through the Graph kernel like
 * every other Graph route (token, faults, throttling, permission, request log). Kept as a function so tests read
 * the same as before the routes moved onto the kernel.
 */
export async function startGraphRoutes(cloud: TestCloud): Promise<{ url: string; close(): Promise<void> }> {
  return { url: cloud.emulator.context.endpoints.graph, close: async () => {} };
}

/** The Graph SDK client the mailboxSettings and OneDrive tests call the test listener with. */
export function graphClient(baseUrl: string, token: string): Client {
  return Client.initWithMiddleware({
    authProvider: { getAccessToken: async () => token },
    baseUrl,
    defaultVersion: 'v1.0',
    customHosts: new Set(['127.0.0.1']),
  });
}

/** The GraphError a call rejects with; fails the test if the call succeeds. */
export async function graphError(call: Promise<unknown>): Promise<GraphError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof GraphError) return error;
    throw error;
  }
  assert.fail('the call succeeded');
}

/** A Loose value read as a list. */
export const list = (x: Loose | undefined): Loose[] => (x ?? []) as unknown as Loose[];
