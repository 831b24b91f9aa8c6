// The App Service managed-identity endpoint, driven by DefaultAzureCredential exactly as in production: only
// IDENTITY_ENDPOINT / IDENTITY_HEADER (and AZURE_TOKEN_CREDENTIALS) differ.
import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningEmulator } from '../../../emulator/src/emulator';
import { checkAccessToken } from '../../../emulator/src/tokens/accessToken';
import { claimsOf, emulator } from './helpers';

describe('managed identity (App Service protocol)', () => {
  let emu: RunningEmulator;
  const saved = { ...process.env };

  before(async () => {
    emu = await emulator();
    process.env.IDENTITY_ENDPOINT = emu.context.endpoints.managedIdentity.endpoint;
    process.env.IDENTITY_HEADER = emu.context.endpoints.managedIdentity.header;
    process.env.AZURE_TOKEN_CREDENTIALS = 'ManagedIdentityCredential';
  });
  after(async () => {
    for (const k of ['IDENTITY_ENDPOINT', 'IDENTITY_HEADER', 'AZURE_TOKEN_CREDENTIALS']) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    await emu.close();
  });

  it('DefaultAzureCredential gets tokens for Key Vault, Storage, Service Bus and Graph as the seeded identity', async () => {
    const mi = emu.context.state.seed.managedIdentity!;
    const credential = new DefaultAzureCredential({ disableInstanceDiscovery: true });
    const expected: [string, string, 'keyvault' | 'storage' | 'servicebus' | 'graph'][] = [
      ['https://vault.azure.net/.default', 'https://vault.azure.net', 'keyvault'],
      ['https://storage.azure.com/.default', 'https://storage.azure.com', 'storage'],
      ['https://servicebus.azure.net/.default', 'https://servicebus.azure.net', 'servicebus'],
      ['https://graph.microsoft.com/.default', 'https://graph.microsoft.com', 'graph'],
    ];
    for (const [scope, aud, resource] of expected) {
      const token = await credential.getToken(scope);
      const claims = claimsOf(token.token);
      assert.equal(claims.aud, aud);
      assert.equal(claims.iss, `https://sts.windows.net/${mi.tenantId}/`);
      assert.equal(claims.appid, mi.clientId);
      assert.equal(claims.idtyp, 'app');
      assert.ok(token.expiresOnTimestamp > Date.now());
      assert.equal(checkAccessToken(emu.context, `Bearer ${token.token}`, resource).ok, true);
    }
  });

  it('a user-assigned client id must be the seeded identity', async () => {
    const mi = emu.context.state.seed.managedIdentity!;
    const ok = await new ManagedIdentityCredential({ clientId: mi.clientId }).getToken(
      'https://vault.azure.net/.default',
    );
    assert.equal(claimsOf(ok.token).appid, mi.clientId);
    const res = await fetch(
      `${emu.context.endpoints.managedIdentity.endpoint}?api-version=2019-08-01&resource=https://vault.azure.net&client_id=00000000-0000-0000-0000-000000000000`,
      {
        headers: { 'X-IDENTITY-HEADER': emu.context.endpoints.managedIdentity.header },
      },
    );
    assert.equal(res.status, 400);
    assert.match(String(((await res.json()) as { message: string }).message), /No MSI found/);
  });

  it('one id parameter at most; a user-assigned-only identity needs one', async () => {
    const mi = emu.context.state.seed.managedIdentity!;
    const base = `${emu.context.endpoints.managedIdentity.endpoint}?api-version=2019-08-01&resource=https://vault.azure.net`;
    const headers = { 'X-IDENTITY-HEADER': emu.context.endpoints.managedIdentity.header };
    const sp = emu.context.state.servicePrincipalByAppId(
      emu.context.state.tenant(mi.tenantId)!,
      mi.clientId,
    )!;
    assert.equal(
      (await fetch(`${base}&client_id=${mi.clientId}&principal_id=${sp.id}`, { headers })).status,
      400,
    );
    assert.equal((await fetch(`${base}&principal_id=${sp.id}`, { headers })).status, 200);
    mi.userAssignedOnly = true;
    try {
      assert.equal((await fetch(base, { headers })).status, 400, 'no system-assigned identity');
      assert.equal((await fetch(`${base}&client_id=${mi.clientId}`, { headers })).status, 200);
    } finally {
      delete mi.userAssignedOnly;
    }
  });

  it('answers in the App Service shape; a missing header is 400 and a wrong one 401', async () => {
    const url = `${emu.context.endpoints.managedIdentity.endpoint}?api-version=2019-08-01&resource=${encodeURIComponent('https://storage.azure.com/')}`;
    const good = await fetch(url, {
      headers: { 'X-IDENTITY-HEADER': emu.context.endpoints.managedIdentity.header },
    });
    assert.equal(good.status, 200);
    const body = (await good.json()) as Record<string, string>;
    assert.deepEqual(Object.keys(body).sort(), [
      'access_token',
      'client_id',
      'expires_on',
      'resource',
      'token_type',
    ]);
    assert.equal(body.resource, 'https://storage.azure.com/');
    assert.match(body.expires_on!, /^\d+$/);
    assert.equal((await fetch(url)).status, 400);
    assert.equal((await fetch(url, { headers: { 'X-IDENTITY-HEADER': 'guess' } })).status, 401);
  });
});
