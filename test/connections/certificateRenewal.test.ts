// Certificate renewal of a customer-owned connection. Key Vault renews the certificate 30 days before expiry
// (AutoRenew); the timer then offers the renewed certificate while the old one keeps working; once the admin
// uploads it, link switches the active version. The clock jump needs an emulator of this test's own (the shared
// one serves other tests), and the use cases run in this process with their clock on the emulator's, because
// client assertions must be dated on the clock the token endpoint checks.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { startEmulator, type RunningEmulator } from '../../emulator/src/emulator';
import { createAzureClients } from '../../shared/azure/clients';
import { cloudEndpoints, scopeOf } from '../../shared/clouds/endpoints';
import { readTokenClaims } from '../../shared/connections/assertion';
import { maintainConnections } from '../../shared/connections/maintenance';
import type { Connection } from '../../shared/connections/model';
import {
  certificateForUpload,
  createConnection,
  customerAppCredential,
  linkCustomerApp,
} from '../../shared/connections/service';
import { testStack } from '../support/stack';
import { adminCall, createTestTenant, type TestTenant } from '../support/tenants';
import { appClientsFor, inProcessDeps, onlyConnections } from './support';

const DAY = 86_400_000;
const MANAGED_IDENTITY_CLIENT_ID = '2f9c7e1b-6a4d-4c8e-b3f5-9d0a1e2b3c4f';
const stack = testStack();
let emu: RunningEmulator;
let tenant: TestTenant;
let offsetMs = 0;
const mine = new Set<string>();

/** The App Service managed-identity protocol, asked every time (tokens minted before a clock jump are stale). */
class FreshManagedIdentity implements TokenCredential {
  async getToken(scopes: string | string[]): Promise<AccessToken> {
    const resource = ([] as string[]).concat(scopes)[0]!.replace(/\/\.default$/, '');
    const { endpoint, header } = emu.context.endpoints.managedIdentity;
    const res = await fetch(
      `${endpoint}?api-version=2019-08-01&client_id=${MANAGED_IDENTITY_CLIENT_ID}&resource=${encodeURIComponent(resource)}`,
      { headers: { 'X-IDENTITY-HEADER': header } },
    );
    const body = (await res.json()) as { access_token: string };
    return { token: body.access_token, expiresOnTimestamp: Date.now() + 60_000 };
  }
}

function deps() {
  const env: Record<string, string> = {
    TENURE_KEY_VAULT_URL: emu.context.endpoints.keyVault,
    TENURE_KEY_VAULT_DISABLE_CHALLENGE_RESOURCE_VERIFICATION: 'true',
    TENURE_TABLE_ENDPOINT: stack.tableEndpoint,
    TENURE_DISABLE_INSTANCE_DISCOVERY: 'true',
    TENURE_CLOUD_ENDPOINTS: JSON.stringify({
      login: emu.context.endpoints.login,
      graph: emu.context.endpoints.graph,
    }),
  };
  const vault = createAzureClients(env, new FreshManagedIdentity());
  // Only this test's connections: the Connections table is shared with other test files.
  const base = onlyConnections(
    inProcessDeps(env, appClientsFor(stack), () => new Date(Date.now() + offsetMs)),
    mine,
  );
  return {
    ...base,
    // This clock is months ahead: it must not purge the shared table's live OAuth states as expired.
    states: { create: base.states.create, consume: base.states.consume },
    certificates: () => vault.certificates(),
    // The vault's sign operation by REST: CryptographyClient checks a key's nbf against this machine's clock,
    // which the emulator's jump leaves behind (in Azure both clocks agree).
    signer: (keyId: string) => ({
      async sign(algorithm: 'PS256', digest: Uint8Array) {
        const token = await new FreshManagedIdentity().getToken('https://vault.azure.net/.default');
        const res = await fetch(`${keyId}/sign?api-version=7.5`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ alg: algorithm, value: Buffer.from(digest).toString('base64url') }),
        });
        assert.equal(res.status, 200);
        return { result: Buffer.from(((await res.json()) as { value: string }).value, 'base64url') };
      },
    }),
  };
}

before(async () => {
  emu = await startEmulator();
  tenant = await createTestTenant(emu.context.endpoints.admin);
});
after(() => emu?.close());

async function upload(pem: string): Promise<string> {
  const res = await adminCall(
    emu.context.endpoints.admin,
    'POST',
    `/tenants/${tenant.tenantId}/applications/${tenant.appId}/certificates`,
    { pem },
  );
  assert.equal(res.status, 201, JSON.stringify(res.json));
  return (res.json as { keyId: string }).keyId;
}

let connection: Connection;
let firstVersion: string;
let firstKeyId: string;

test('a linked customer-owned connection', async () => {
  const d = deps();
  connection = await createConnection(d, {
    kind: 'customer-app',
    cloud: 'global',
    tenantId: tenant.tenantId,
    clientId: tenant.appId,
    addOns: [],
  });
  mine.add(connection.id);
  firstVersion = connection.activeCertificateVersion!;
  firstKeyId = await upload((await certificateForUpload(d, connection)).pem);
  const { connection: linked, check } = await linkCustomerApp(d, connection.id);
  assert.equal(check.linked, true, JSON.stringify(check.missing));
  assert.equal(linked.status, 'linked');
  // Nothing to renew yet: the timer changes nothing.
  const quiet = await maintainConnections(d);
  assert.deepEqual(quiet.renewalOffered, []);
  connection = linked;
});

test('past the AutoRenew trigger, the timer offers the renewed certificate; the old one still gets tokens', async () => {
  const to = new Date(Date.parse(connection.certificateExpiresOn!) - 29 * DAY).toISOString();
  const advanced = await adminCall(emu.context.endpoints.admin, 'POST', '/clock/advance', { to });
  assert.equal(advanced.status, 200, JSON.stringify(advanced.json));
  offsetMs = (advanced.json as { offsetMs: number }).offsetMs;

  const d = deps();
  const summary = await maintainConnections(d);
  assert.deepEqual(summary.renewalOffered, [connection.id], JSON.stringify(summary));
  const offered = (await d.repo.get(connection.id))!;
  assert.equal(offered.status, 'certificate-renewal-required');
  assert.equal(offered.activeCertificateVersion, firstVersion);
  assert.ok(offered.pendingCertificateVersion && offered.pendingCertificateVersion !== firstVersion);
  assert.ok(offered.diagnostics.missing.some((m) => m.id === 'certificate-renewal'));

  // The download offers the renewed certificate: new key, valid about 12 more months.
  const download = await certificateForUpload(d, offered);
  assert.equal(download.version, offered.pendingCertificateVersion);
  const renewed = new X509Certificate(download.der);
  assert.ok(Date.parse(renewed.validTo) > Date.parse(connection.certificateExpiresOn!) + 300 * DAY);

  // The old certificate (still uploaded, still valid) keeps the engine working.
  const token = await customerAppCredential(d, offered, firstVersion, true).getToken(
    scopeOf(cloudEndpoints('global').graphResource),
  );
  assert.equal(readTokenClaims(token!.token).appid, tenant.appId);

  // Linking before the upload keeps the old version and keeps asking for the upload.
  const { connection: still } = await linkCustomerApp(d, connection.id);
  assert.equal(still.status, 'certificate-renewal-required');
  assert.equal(still.activeCertificateVersion, firstVersion);
  assert.ok(still.diagnostics.missing.some((m) => m.id === 'certificate-renewal'));

  // A second timer run offers nothing new.
  assert.deepEqual((await maintainConnections(d)).renewalOffered, []);
  connection = offered;
});

test('after the renewed certificate is uploaded, link switches the active version and the connection is linked', async () => {
  const d = deps();
  await upload((await certificateForUpload(d, connection)).pem);
  const { connection: linked, check } = await linkCustomerApp(d, connection.id);
  assert.equal(check.linked, true, JSON.stringify(check.missing));
  assert.equal(linked.status, 'linked');
  assert.equal(linked.activeCertificateVersion, connection.pendingCertificateVersion);
  assert.equal(linked.pendingCertificateVersion, undefined);
  assert.ok(Date.parse(linked.certificateExpiresOn!) > Date.parse(connection.certificateExpiresOn!));
  assert.ok(!linked.diagnostics.missing.some((m) => m.id === 'certificate-renewal'));
  // With the old certificate removed from the app registration, the engine's credential still gets tokens.
  const removed = await adminCall(
    emu.context.endpoints.admin,
    'DELETE',
    `/tenants/${tenant.tenantId}/applications/${tenant.appId}/certificates/${firstKeyId}`,
  );
  assert.equal(removed.status, 204);
  const token = await customerAppCredential(d, linked, undefined, true).getToken(
    scopeOf(cloudEndpoints('global').graphResource),
  );
  assert.equal(readTokenClaims(token!.token).appid, tenant.appId);
});
