// A customer-owned connection end to end through the dev host: create (certificate in Key Vault), download,
// upload to the emulated app registration, link, a Graph call with the connection's credential; a missing
// permission or role is named exactly; the private key never leaves the vault; admin endpoints need the key.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, test } from 'node:test';
import { SecretClient } from '@azure/keyvault-secrets';
import { createAppCredential } from '../../shared/azure/credential';
import { tableConnectionRepository } from '../../shared/connections/repository';
import {
  customerAppCredential,
  linkCustomerApp,
  type ConnectionDeps,
} from '../../shared/connections/service';
import { createAzureClients } from '../../shared/azure/clients';
import { scopeOf, cloudEndpoints } from '../../shared/clouds/endpoints';
import { readTokenClaims } from '../../shared/connections/assertion';
import { startDevhost, testStack, type RunningDevhost } from '../support/stack';
import { adminCall, createTestTenant, type TestTenant } from '../support/tenants';

const stack = testStack();
const admin = stack.emulator.admin;
let devhost: RunningDevhost;
let tenant: TestTenant;

before(async () => {
  tenant = await createTestTenant(admin);
  devhost = await startDevhost(stack.appSettings);
});
after(() => devhost?.stop());

const api = (path: string, init: RequestInit = {}): Promise<Response> =>
  fetch(`${devhost.url}/api${path}`, {
    ...init,
    headers: {
      'x-functions-key': devhost.functionKey,
      'content-type': 'application/json',
      ...(init.headers ?? {}),
    },
  });

interface LinkAnswer {
  status: string;
  missing: { id: string; fix: string }[];
  connection: { id: string; status: string; activeCertificateVersion: string };
}

let connectionId: string;

test('creating a customer-owned connection makes a non-exportable certificate and awaits its upload', async () => {
  const res = await api('/connections', {
    method: 'POST',
    body: JSON.stringify({
      kind: 'customer-app',
      tenantId: tenant.tenantId,
      clientId: tenant.appId,
      addOns: ['exchange'],
    }),
  });
  assert.equal(res.status, 201);
  const c = (await res.json()) as { id: string; status: string; certificateName: string };
  assert.equal(c.status, 'awaiting-certificate-upload');
  assert.equal(c.certificateName, `conn-${c.id}`);
  connectionId = c.id;
});

test('bad create requests get every field-level reason', async () => {
  const res = await api('/connections', {
    method: 'POST',
    body: JSON.stringify({ kind: 'customer-app', cloud: 'mars', tenantId: 'x' }),
  });
  assert.equal(res.status, 400);
  const body = (await res.json()) as { error: { code: string; details: { field: string }[] } };
  assert.equal(body.error.code, 'TENURE_CONNECTION_INVALID');
  assert.deepEqual(body.error.details.map((d) => d.field).sort(), ['clientId', 'cloud', 'tenantId']);
  assert.equal((await api('/connections', { method: 'POST', body: '{not json' })).status, 400);
});

test('the certificate downloads as .cer (DER) and PEM, RSA 2048, valid about 12 months', async () => {
  const cer = await api(`/connections/${connectionId}/certificate?format=cer`);
  assert.equal(cer.status, 200);
  assert.equal(cer.headers.get('content-type'), 'application/pkix-cert');
  assert.match(cer.headers.get('content-disposition') ?? '', /attachment; filename="tenure-.*\.cer"/);
  const x509 = new X509Certificate(Buffer.from(await cer.arrayBuffer()));
  assert.equal(x509.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
  const months = (Date.parse(x509.validTo) - Date.parse(x509.validFrom)) / (30.4 * 86_400_000);
  assert.ok(months > 11 && months < 13, `validity ${months} months`);
  const pem = await (await api(`/connections/${connectionId}/certificate?format=pem`)).text();
  assert.equal(new X509Certificate(pem).fingerprint256, x509.fingerprint256);
  assert.ok(!pem.includes('PRIVATE KEY'));
});

test('linking before the upload names the certificate step', async () => {
  const res = await api(`/connections/${connectionId}/link`, { method: 'POST' });
  assert.equal(res.status, 200);
  const body = (await res.json()) as LinkAnswer;
  assert.notEqual(body.status, 'linked');
  assert.deepEqual(
    body.missing.map((m) => m.id),
    ['certificate'],
  );
});

test('after the upload, link answers linked and the credential calls Graph', async () => {
  const pem = await (await api(`/connections/${connectionId}/certificate?format=pem`)).text();
  const upload = await adminCall(
    admin,
    'POST',
    `/tenants/${tenant.tenantId}/applications/${tenant.appId}/certificates`,
    { pem },
  );
  assert.equal(upload.status, 201);
  const res = await api(`/connections/${connectionId}/link`, { method: 'POST' });
  const body = (await res.json()) as LinkAnswer;
  assert.equal(body.status, 'linked', JSON.stringify(body.missing));
  assert.equal(body.connection.status, 'linked');

  // The engine's view: the connection's credential, Key Vault signing the assertion, then Graph.
  const clients = createAzureClients(stack.appSettings, createAppCredential(stack.appSettings));
  const deps: ConnectionDeps = {
    env: stack.appSettings,
    repo: tableConnectionRepository(() => clients.table('Connections')),
    certificates: () => clients.certificates(),
    signer: (keyId) => clients.cryptography(keyId),
    now: () => new Date(),
  };
  const connection = (await deps.repo.get(connectionId))!;
  const endpoints = cloudEndpoints('global', stack.appSettings);
  const token = await customerAppCredential(deps, connection).getToken(scopeOf(endpoints.graphResource));
  const claims = readTokenClaims(token!.token);
  assert.equal(claims.tid, tenant.tenantId);
  assert.equal(claims.appid, tenant.appId);
  const users = await fetch(`${endpoints.graphUrl}/v1.0/users?$select=id,userPrincipalName`, {
    headers: { authorization: `Bearer ${token!.token}` },
  });
  assert.equal(users.status, 200);
  const list = (await users.json()) as { value: { userPrincipalName: string }[] };
  assert.ok(list.value.some((u) => u.userPrincipalName === tenant.adminUpn));
});

test('a permission or role taken away is named exactly', async () => {
  const removed = await adminCall(
    admin,
    'DELETE',
    `/tenants/${tenant.tenantId}/consents/${tenant.appId}/graph/User.EnableDisableAccount.All?type=application`,
  );
  assert.ok(removed.status < 300, JSON.stringify(removed));
  const state = (await adminCall(admin, 'GET', `/tenants/${tenant.tenantId}`)).json as {
    servicePrincipals: Record<string, { id: string; appId: string }>;
    roleAssignments: { id: string; principalId: string; roleDefinitionId: string }[];
  };
  const sp = Object.values(state.servicePrincipals).find((s) => s.appId === tenant.appId)!;
  const exo = state.roleAssignments.find(
    (r) => r.principalId === sp.id && r.roleDefinitionId === '29232cdf-9323-42fd-ade2-1d097af3e4de',
  )!;
  assert.equal(
    (await adminCall(admin, 'DELETE', `/tenants/${tenant.tenantId}/roleAssignments/${exo.id}`)).status,
    204,
  );
  const body = (await (
    await api(`/connections/${connectionId}/link`, { method: 'POST' })
  ).json()) as LinkAnswer;
  assert.equal(body.status, 'incomplete');
  assert.deepEqual(body.missing.map((m) => m.id).sort(), [
    'permission:graph:User.EnableDisableAccount.All',
    'role:Exchange Administrator',
  ]);
});

test('a flow mapping employeeLeaveDateTime adds User-LifeCycleInfo.ReadWrite.All, named with the flow and the portal step', async () => {
  const clients = createAzureClients(stack.appSettings, createAppCredential(stack.appSettings));
  const deps: ConnectionDeps = {
    env: stack.appSettings,
    repo: tableConnectionRepository(() => clients.table('Connections')),
    certificates: () => clients.certificates(),
    signer: (keyId) => clients.cryptography(keyId),
    now: () => new Date(),
    flows: () => [
      { name: 'hr-main', connection: connectionId, attributes: { employeeLeaveDateTime: '[LastDay]' } },
      // Another connection's flow adds nothing here.
      { name: 'other', connection: 'someone-else', attributes: { employeeLeaveDateTime: '[LastDay]' } },
    ],
  };
  const { check, connection } = await linkCustomerApp(deps, connectionId);
  assert.equal(check.linked, false);
  assert.equal(connection.status, 'incomplete');
  const item = check.missing.find((m) => m.id === 'permission:graph:User-LifeCycleInfo.ReadWrite.All');
  assert.ok(item, JSON.stringify(check.missing));
  assert.equal(item.kind, 'application-permission');
  assert.match(item.name, /User-LifeCycleInfo\.ReadWrite\.All \(application\)/);
  assert.match(item.name, /flow hr-main maps employeeLeaveDateTime/);
  assert.doesNotMatch(item.name, /other/);
  assert.match(item.fix, /API permissions → Add a permission → Microsoft Graph → Application permissions/);
  assert.match(item.fix, /Grant admin consent/);
  assert.ok(connection.diagnostics.missing.some((m) => m.id === item.id));

  // Granted (admin consent): the link check no longer names it.
  const granted = await adminCall(admin, 'POST', `/tenants/${tenant.tenantId}/consents`, {
    clientAppId: tenant.appId,
    appPermissions: { graph: ['User-LifeCycleInfo.ReadWrite.All'] },
  });
  assert.equal(granted.status, 200, JSON.stringify(granted.json));
  const again = await linkCustomerApp(deps, connectionId);
  assert.equal(
    again.check.missing.some((m) => m.id === 'permission:graph:User-LifeCycleInfo.ReadWrite.All'),
    false,
    JSON.stringify(again.check.missing),
  );
  assert.ok(again.check.granted.includes('graph:User-LifeCycleInfo.ReadWrite.All'));
});

test("the certificate's private key cannot be exported from Key Vault", async () => {
  const secrets = new SecretClient(
    stack.appSettings.TENURE_KEY_VAULT_URL!,
    createAppCredential(stack.appSettings),
    { disableChallengeResourceVerification: true },
  );
  const secret = await secrets.getSecret(`conn-${connectionId}`);
  assert.ok(!String(secret.value).includes('PRIVATE KEY'), 'the certificate secret holds no private key');
  const key = await fetch(
    `${stack.appSettings.TENURE_KEY_VAULT_URL}/keys/conn-${connectionId}?api-version=7.5`,
    {
      headers: {
        authorization: `Bearer ${(await createAppCredential(stack.appSettings).getToken('https://vault.azure.net/.default'))!.token}`,
      },
    },
  );
  const jwk = ((await key.json()) as { key: Record<string, unknown> }).key;
  for (const privatePart of ['d', 'p', 'q', 'dp', 'dq', 'qi'])
    assert.equal(jwk[privatePart], undefined, `no ${privatePart} in the key`);
});

test('admin endpoints refuse callers without the function key', async () => {
  for (const [method, path] of [
    ['GET', '/connections'],
    ['POST', '/connections'],
    ['GET', `/connections/${connectionId}`],
    ['GET', `/connections/${connectionId}/certificate`],
    ['POST', `/connections/${connectionId}/link`],
    ['GET', `/connections/${connectionId}/link`],
    ['GET', '/admin'],
  ] as const) {
    const res = await fetch(`${devhost.url}/api${path}`, { method, redirect: 'manual' });
    assert.equal(res.status, 401, `${method} ${path}`);
  }
});
