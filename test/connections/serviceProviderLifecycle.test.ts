// Service-provider (delegated) connections whose flows map employeeLeaveDateTime: Link Account asks for
// User-LifeCycleInfo.ReadWrite.All, and an account that is not a Global Administrator (required for delegated
// writes of lifecycle information) leaves the connection incomplete with that role named. In process against the
// emulator's identity platform, Azurite and the emulator's Key Vault.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { before, test } from 'node:test';
import type { AzureClients } from '../../shared/azure/clients';
import type { FlowUse } from '../../shared/connections/flowRequirements';
import { createConnection } from '../../shared/connections/service';
import { beginLink, completeLink, type ServiceProviderDeps } from '../../shared/connections/serviceProvider';
import { testStack } from '../support/stack';
import { adminCall } from '../support/tenants';
import { appClientsFor, inProcessDeps, setUpServiceProviderApp, type ServiceProviderApp } from './support';

const stack = testStack();
const admin = stack.emulator.admin;
const PASSWORD = 'Test-Password-1!';
let clients: AzureClients;
let sp: ServiceProviderApp;
let tenant: { tenantId: string; domain: string };

before(async () => {
  clients = appClientsFor(stack);
  sp = await setUpServiceProviderApp(stack, clients);
  // A Global Administrator and a User Administrator who may both sign in.
  const tenantId = randomUUID();
  const domain = `t${tenantId.slice(0, 8)}.test`;
  const user = (name: string, role: string) => ({
    userPrincipalName: `${name}@${domain}`,
    displayName: name,
    password: PASSWORD,
    roles: [role],
    usageLocation: 'US',
  });
  const created = await adminCall(admin, 'POST', '/tenants', {
    id: tenantId,
    displayName: `Lifecycle ${domain}`,
    domains: [{ name: domain, verified: true, default: true }],
    users: [user('admin', 'Global Administrator'), user('useradmin', 'User Administrator')],
  });
  assert.equal(created.status, 201, JSON.stringify(created.json));
  tenant = { tenantId, domain };
  // Tenant-wide consent beforehand (no consent page), the lifecycle scope included.
  const consent = await adminCall(admin, 'POST', `/tenants/${tenant.tenantId}/consents`, {
    clientAppId: sp.clientId,
    delegated: {
      graph: [
        'User.ReadWrite.All',
        'Group.ReadWrite.All',
        'Directory.AccessAsUser.All',
        'User-LifeCycleInfo.ReadWrite.All',
        'offline_access',
      ],
    },
  });
  assert.equal(consent.status, 200, JSON.stringify(consent.json));
});

function deps(flows: FlowUse[]): ServiceProviderDeps {
  const env = {
    ...stack.appSettings,
    TENURE_SP_CLIENT_ID: sp.clientId,
    TENURE_SP_CERTIFICATE_NAME: sp.certificateName,
    TENURE_PUBLIC_BASE_URL: 'http://127.0.0.1:7071',
  };
  return { ...inProcessDeps(env, clients), flows: () => flows };
}

/** Link Account for a new connection: the authorize URL's scopes and the callback outcome for this account. */
async function link(flowsFor: (id: string) => FlowUse[], upn: string, password: string) {
  const id = `lc${randomBytes(5).toString('hex')}`;
  const d = deps(flowsFor(id));
  await createConnection(d, {
    id,
    kind: 'service-provider',
    cloud: 'global',
    tenantId: tenant.tenantId,
    clientId: sp.clientId,
    addOns: [],
  });
  const begun = await beginLink(d, id);
  const authorize = new URL(begun.location);
  const scopes = (authorize.searchParams.get('scope') ?? '').split(' ');
  authorize.searchParams.set('login_hint', upn);
  authorize.searchParams.set('emulator_password', password);
  const res = await fetch(authorize, { redirect: 'manual' });
  assert.equal(res.status, 302, await res.text());
  const callback = new URL(res.headers.get('location')!);
  const outcome = await completeLink(d, callback.searchParams, begun.browserNonce);
  return { scopes, outcome };
}

const mapsLeaveDate = (id: string): FlowUse[] => [
  { name: 'hr-main', connection: id, attributes: { employeeLeaveDateTime: '[LastDay]' } },
];

test('Link Account asks for User-LifeCycleInfo.ReadWrite.All only when a flow on the connection maps the leave date', async () => {
  const withFlow = await link(mapsLeaveDate, `admin@${tenant.domain}`, PASSWORD);
  assert.ok(
    withFlow.scopes.some((s) => s.endsWith('/User-LifeCycleInfo.ReadWrite.All')),
    withFlow.scopes.join(' '),
  );
  assert.equal(withFlow.outcome.kind, 'linked', JSON.stringify(withFlow.outcome));
  const without = await link(() => [], `admin@${tenant.domain}`, PASSWORD);
  assert.equal(
    without.scopes.some((s) => s.includes('LifeCycleInfo')),
    false,
  );
  assert.equal(without.outcome.kind, 'linked');
});

test('an account without Global Administrator links incomplete, the role named with the flow that needs it', async () => {
  const { outcome } = await link(mapsLeaveDate, `useradmin@${tenant.domain}`, PASSWORD);
  assert.equal(outcome.kind, 'incomplete', JSON.stringify(outcome));
  if (outcome.kind !== 'incomplete') return;
  const missing = outcome.connection.diagnostics.missing;
  assert.deepEqual(
    missing.map((m) => m.id),
    ['role:Global Administrator'],
  );
  assert.equal(missing[0]!.kind, 'directory-role');
  assert.match(missing[0]!.name, /flow hr-main maps employeeLeaveDateTime/);
  assert.equal(outcome.connection.status, 'incomplete');
  // The same account is fine for a connection whose flows do not map the leave date.
  const plain = await link(() => [], `useradmin@${tenant.domain}`, PASSWORD);
  assert.equal(plain.outcome.kind, 'linked', JSON.stringify(plain.outcome));
});
