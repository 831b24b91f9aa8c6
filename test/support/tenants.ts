// Test isolation in the shared emulator: each test file adds a tenant of its own (unique domain, its own
// customer-owned app and service principal) through the emulator's admin API.
import { randomUUID } from 'node:crypto';

export interface TestTenant {
  tenantId: string;
  domain: string;
  appId: string;
  adminUpn: string;
  adminPassword: string;
}

export const FULL_GRAPH = [
  'User.ReadWrite.All',
  'Group.ReadWrite.All',
  'Directory.ReadWrite.All',
  'User.EnableDisableAccount.All',
  'MailboxSettings.ReadWrite',
  'Files.ReadWrite.All',
];

export async function adminCall(
  admin: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${admin}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = text;
  }
  return { status: res.status, json };
}

export async function createTestTenant(
  admin: string,
  options: { graph?: string[]; exchange?: string[]; roles?: string[]; extra?: Record<string, unknown> } = {},
): Promise<TestTenant> {
  const tenantId = randomUUID();
  const appId = randomUUID();
  const domain = `t${tenantId.slice(0, 8)}.test`;
  const adminUpn = `admin@${domain}`;
  const adminPassword = 'Test-Password-1!';
  const graph = options.graph ?? FULL_GRAPH;
  const exchange = options.exchange ?? ['Exchange.ManageAsApp'];
  const seed = {
    id: tenantId,
    displayName: `Test tenant ${domain}`,
    domains: [{ name: domain, verified: true, default: true }],
    users: [
      {
        userPrincipalName: adminUpn,
        displayName: 'Test Admin',
        password: adminPassword,
        roles: ['Global Administrator'],
        usageLocation: 'US',
      },
    ],
    applications: [
      { appId, displayName: 'Test customer app', requiredPermissions: { application: { graph, exchange } } },
    ],
    servicePrincipals: [
      {
        appId,
        appPermissions: { graph, exchange },
        roles: options.roles ?? ['User Administrator', 'Exchange Administrator'],
      },
    ],
    ...(options.extra ?? {}),
  };
  const res = await adminCall(admin, 'POST', '/tenants', seed);
  if (res.status !== 201)
    throw new Error(`creating a test tenant failed: ${res.status} ${JSON.stringify(res.json)}`);
  return { tenantId, domain, appId, adminUpn, adminPassword };
}
