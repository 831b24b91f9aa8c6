// Shared set-up for the connection end-to-end tests: the deployment's service-provider app (a multi-tenant app in
// the hosting tenant whose certificate key lives in Key Vault), in-process connection deps on the same Tables and
// vault as the dev host, a dev host whose output is captured, and headless Chromium.
import { randomBytes, randomUUID } from 'node:crypto';
import { chromium, type Browser } from 'playwright-core';
import { createAppCredential } from '../../shared/azure/credential';
import { createAzureClients, type AzureClients } from '../../shared/azure/clients';
import { createConnectionCertificate } from '../../shared/connections/certificates';
import { tableConnectionRepository } from '../../shared/connections/repository';
import { tableOAuthStateStore } from '../../shared/connections/oauthState';
import type { ServiceProviderDeps } from '../../shared/connections/serviceProvider';
import { startDevhost, type RunningDevhost, type TestStack } from '../support/stack';
import { adminCall, type TestTenant } from '../support/tenants';

export const HOSTING_TENANT = '0d3d9e3c-5e1a-4b7e-9a55-7c2a1f4e8b01';

export interface ServiceProviderApp {
  clientId: string;
  certificateName: string;
}

/**
 * What an operator does once per deployment: register the multi-tenant app, create its certificate in Key Vault
 * (non-exportable) and upload the public part to the app registration. Each test file makes its own app.
 */
export async function setUpServiceProviderApp(
  stack: TestStack,
  clients: AzureClients,
): Promise<ServiceProviderApp> {
  const clientId = randomUUID();
  const certificateName = `sp-${randomBytes(6).toString('hex')}`;
  const created = await adminCall(stack.emulator.admin, 'POST', `/tenants/${HOSTING_TENANT}/applications`, {
    appId: clientId,
    displayName: 'Tenure service-provider app (test)',
    multiTenant: true,
    redirectUris: [
      'http://127.0.0.1:7071/api/oauth/callback',
      'http://127.0.0.1:7071/api/oauth/adminconsent',
    ],
    requiredPermissions: {
      delegated: {
        graph: ['User.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.AccessAsUser.All', 'offline_access'],
      },
    },
  });
  if (created.status !== 201) throw new Error(`creating the app failed: ${JSON.stringify(created.json)}`);
  const cert = await createConnectionCertificate(
    clients.certificates(),
    certificateName,
    'service-provider',
    50,
  );
  const upload = await adminCall(
    stack.emulator.admin,
    'POST',
    `/tenants/${HOSTING_TENANT}/applications/${clientId}/certificates`,
    { pem: cert.pem },
  );
  if (upload.status !== 201)
    throw new Error(`uploading the certificate failed: ${JSON.stringify(upload.json)}`);
  return { clientId, certificateName };
}

export function appClientsFor(stack: TestStack): AzureClients {
  return createAzureClients(stack.appSettings, createAppCredential(stack.appSettings));
}

/** The use cases' dependencies in this process, on the same Tables and vault the dev host uses. */
export function inProcessDeps(
  env: Record<string, string>,
  clients: AzureClients,
  now: () => Date = () => new Date(),
): ServiceProviderDeps {
  return {
    env,
    repo: tableConnectionRepository(() => clients.table('Connections')),
    certificates: () => clients.certificates(),
    signer: (keyId) => clients.cryptography(keyId),
    now,
    states: tableOAuthStateStore(() => clients.table('OAuthStates')),
    secrets: () => clients.secrets(),
    certificatePollIntervalMs: 50,
  };
}

/** Deps whose repository lists only the given connections (the Connections table is shared between test files). */
export function onlyConnections(deps: ServiceProviderDeps, ids: ReadonlySet<string>): ServiceProviderDeps {
  return {
    ...deps,
    repo: { ...deps.repo, list: async () => (await deps.repo.list()).filter((c) => ids.has(c.id)) },
  };
}

export interface CapturedDevhost extends RunningDevhost {
  /** Everything the dev host printed since it was ready (stdout and stderr). */
  output(): string;
}

export async function startCapturedDevhost(
  appSettings: Record<string, string>,
  extraEnv: Record<string, string>,
): Promise<CapturedDevhost> {
  const devhost = await startDevhost(appSettings, extraEnv);
  const chunks: string[] = [];
  devhost.child.process.stdout?.on('data', (d: Buffer) => chunks.push(d.toString()));
  devhost.child.process.stderr?.on('data', (d: Buffer) => chunks.push(d.toString()));
  return { ...devhost, output: () => chunks.join('') };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A tenant with a Global Administrator (`admin@`) and a user without any role (`user@`), same password. */
export async function createTenantWithPlainUser(admin: string): Promise<TestTenant & { userUpn: string }> {
  const tenantId = randomUUID();
  const domain = `t${tenantId.slice(0, 8)}.test`;
  const adminPassword = 'Test-Password-1!';
  const user = (name: string, roles: string[]) => ({
    userPrincipalName: `${name}@${domain}`,
    displayName: name,
    password: adminPassword,
    roles,
    usageLocation: 'US',
  });
  const res = await adminCall(admin, 'POST', '/tenants', {
    id: tenantId,
    displayName: `Test tenant ${domain}`,
    domains: [{ name: domain, verified: true, default: true }],
    users: [user('admin', ['Global Administrator']), user('user', [])],
  });
  if (res.status !== 201) throw new Error(`creating a test tenant failed: ${JSON.stringify(res.json)}`);
  return {
    tenantId,
    domain,
    appId: '',
    adminUpn: `admin@${domain}`,
    adminPassword,
    userUpn: `user@${domain}`,
  };
}
