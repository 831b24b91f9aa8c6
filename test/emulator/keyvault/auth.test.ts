// Who may call the emulated vault: the 401 bearer challenge the SDKs answer, token checks (audience, tenant),
// the vault's access list (403 AccessDenied) with its admin endpoints, and sign-in through @azure/identity.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ClientSecretCredential, DefaultAzureCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import type { RunningEmulator } from '../../../emulator/src/emulator';
import {
  CLIENT_OPTIONS,
  DEMO_APP,
  DEMO_TENANT,
  EmulatorTokenCredential,
  HOSTING_TENANT,
  MANAGED_IDENTITY_OID,
  PROVIDER_APP,
  PROVIDER_SECRET,
  admin,
  rawCall,
  startKeyVaultEmulator,
  tokenFor,
  uniqueName,
} from './harness';

interface RestErrorLike {
  statusCode?: number;
  code?: string;
  message?: string;
  details?: { error?: { code?: string; innerError?: { code?: string } } };
}

describe('Key Vault authorization', () => {
  let emu: RunningEmulator;

  before(async () => {
    emu = await startKeyVaultEmulator();
  });
  after(() => emu.close());

  test('no token: 401 Unauthorized with the bearer challenge naming the login endpoint, tenant and resource', async () => {
    const r = await rawCall(emu, 'GET', '/secrets/anything/?api-version=2025-07-01');
    assert.equal(r.status, 401);
    assert.equal(
      r.headers.get('www-authenticate'),
      `Bearer authorization="${emu.context.endpoints.login}/${HOSTING_TENANT}", resource="https://vault.azure.net"`,
    );
    assert.equal((r.body.error as { code: string }).code, 'Unauthorized');
    assert.match(r.headers.get('x-ms-request-id') ?? '', /^[0-9a-f-]{36}$/);
    // Key Vault challenges before it looks at the path.
    assert.equal((await rawCall(emu, 'GET', '/no/such/route?api-version=2025-07-01')).status, 401);
  });

  test('the SDK answers the challenge: scope https://vault.azure.net/.default, tenant from the challenge', async () => {
    const credential = new EmulatorTokenCredential(emu.context);
    const client = new SecretClient(emu.context.endpoints.keyVault, credential, CLIENT_OPTIONS);
    const name = uniqueName('challenge');
    await client.setSecret(name, 'held-back body is resent');
    assert.equal((await client.getSecret(name)).value, 'held-back body is resent');
    assert.deepEqual(credential.requests[0], {
      scopes: ['https://vault.azure.net/.default'],
      tenantId: HOSTING_TENANT,
    });
  });

  test('without disableChallengeResourceVerification the SDK refuses a loopback vault', async () => {
    const client = new SecretClient(emu.context.endpoints.keyVault, new EmulatorTokenCredential(emu.context));
    await assert.rejects(client.getSecret('x'), /does not match the requested domain/);
  });

  test('a token for another audience is 401', async () => {
    const client = new SecretClient(
      emu.context.endpoints.keyVault,
      new EmulatorTokenCredential(emu.context, { resource: 'graph' }),
      CLIENT_OPTIONS,
    );
    await assert.rejects(
      client.getSecret('x'),
      (e: RestErrorLike) => e.statusCode === 401 && e.code === 'Unauthorized',
    );
    const r = await rawCall(emu, 'GET', '/secrets/x?api-version=2025-07-01', {
      token: await tokenFor(emu, { resource: 'graph' }),
    });
    assert.equal(r.status, 401);
    assert.match((r.body.error as { message: string }).message, /AKV10022: Invalid audience/);
    assert.ok(r.headers.get('www-authenticate'));
  });

  test("a token from another tenant than the vault's is 401", async () => {
    const r = await rawCall(emu, 'GET', '/secrets/x?api-version=2025-07-01', {
      token: await tokenFor(emu, { tenantId: DEMO_TENANT, appId: DEMO_APP }),
    });
    assert.equal(r.status, 401);
    assert.match((r.body.error as { message: string }).message, /AKV10032/);
  });

  test('a principal not on the access list is 403 Forbidden/AccessDenied until an admin grants it', async () => {
    const name = uniqueName('acl');
    const owner = new SecretClient(
      emu.context.endpoints.keyVault,
      new EmulatorTokenCredential(emu.context),
      CLIENT_OPTIONS,
    );
    await owner.setSecret(name, 'guarded');
    const outsider = () =>
      new SecretClient(
        emu.context.endpoints.keyVault,
        new EmulatorTokenCredential(emu.context, { appId: PROVIDER_APP }),
        CLIENT_OPTIONS,
      );
    await assert.rejects(outsider().getSecret(name), (e: RestErrorLike) => {
      assert.equal(e.statusCode, 403);
      assert.equal(e.code, 'Forbidden');
      assert.equal(e.details?.error?.innerError?.code, 'AccessDenied');
      assert.match(e.message ?? '', /does not have secrets get permission on key vault/);
      return true;
    });
    const sp = emu.context.state.servicePrincipalByAppId(
      emu.context.state.tenant(HOSTING_TENANT)!,
      PROVIDER_APP,
    )!;
    const granted = await admin(emu, 'POST', '/keyvault/access', { objectId: sp.id });
    assert.equal(granted.status, 200);
    assert.deepEqual(
      (granted.body.allowedObjectIds as string[]).sort(),
      [MANAGED_IDENTITY_OID, sp.id.toLowerCase()].sort(),
    );
    assert.equal((await outsider().getSecret(name)).value, 'guarded');
    assert.equal((await admin(emu, 'DELETE', `/keyvault/access/${sp.id}`)).status, 200);
    await assert.rejects(outsider().getSecret(name), (e: RestErrorLike) => e.statusCode === 403);
    assert.equal((await admin(emu, 'DELETE', `/keyvault/access/${sp.id}`)).status, 404);
    assert.equal((await admin(emu, 'POST', '/keyvault/access', { objectId: 'not-a-guid' })).status, 400);
    // By app id: the app's service principal in the vault's tenant; an app without one there is refused.
    assert.equal((await admin(emu, 'POST', '/keyvault/access', { appId: PROVIDER_APP })).status, 200);
    assert.equal((await outsider().getSecret(name)).value, 'guarded');
    await admin(emu, 'DELETE', `/keyvault/access/${sp.id}`);
    assert.equal((await admin(emu, 'POST', '/keyvault/access', { appId: DEMO_APP })).status, 400);
  });

  test('a token past its expiry on the emulator clock is 401 with the challenge', async () => {
    const token = await tokenFor(emu);
    assert.equal((await rawCall(emu, 'GET', '/secrets?api-version=2025-07-01', { token })).status, 200);
    emu.context.state.clock.advance(2 * 3_600_000);
    const r = await rawCall(emu, 'GET', '/secrets?api-version=2025-07-01', { token });
    assert.equal(r.status, 401);
    assert.equal((r.body.error as { code: string }).code, 'Unauthorized');
    assert.ok(r.headers.get('www-authenticate'));
  });

  test('a missing or unknown api-version is 400 BadParameter', async () => {
    const token = await tokenFor(emu);
    const missing = await rawCall(emu, 'GET', '/secrets', { token });
    assert.equal(missing.status, 400);
    assert.equal((missing.body.error as { code: string }).code, 'BadParameter');
    assert.equal((await rawCall(emu, 'GET', '/secrets?api-version=1999-01-01', { token })).status, 400);
  });

  test('through @azure/identity: DefaultAzureCredential via the managed identity endpoint (the production path)', async () => {
    const names = ['IDENTITY_ENDPOINT', 'IDENTITY_HEADER', 'AZURE_TOKEN_CREDENTIALS'] as const;
    const saved = names.map((n) => process.env[n]);
    const mi = emu.context.endpoints.managedIdentity;
    assert.ok(mi.endpoint, 'the emulator serves the App Service identity endpoint');
    process.env.IDENTITY_ENDPOINT = mi.endpoint;
    process.env.IDENTITY_HEADER = mi.header;
    process.env.AZURE_TOKEN_CREDENTIALS = 'ManagedIdentityCredential';
    try {
      const client = new SecretClient(
        emu.context.endpoints.keyVault,
        new DefaultAzureCredential({ disableInstanceDiscovery: true }),
        CLIENT_OPTIONS,
      );
      const name = uniqueName('mi');
      await client.setSecret(name, 'via managed identity');
      assert.equal((await client.getSecret(name)).value, 'via managed identity');
    } finally {
      names.forEach((n, i) => {
        if (saved[i] === undefined) delete process.env[n];
        else process.env[n] = saved[i];
      });
    }
  });

  test('through @azure/identity: ClientSecretCredential against the emulated sign-in', async (t) => {
    const tokenUrl = `${emu.context.endpoints.login}/${HOSTING_TENANT}/oauth2/v2.0/token`;
    const probe = await fetch(tokenUrl, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'none' }),
    });
    if (probe.status === 404) {
      t.skip('the sign-in service (token endpoint) is not part of this build yet');
      return;
    }
    const sp = emu.context.state.servicePrincipalByAppId(
      emu.context.state.tenant(HOSTING_TENANT)!,
      PROVIDER_APP,
    )!;
    await admin(emu, 'POST', '/keyvault/access', { objectId: sp.id });
    try {
      const credential = new ClientSecretCredential(HOSTING_TENANT, PROVIDER_APP, PROVIDER_SECRET, {
        authorityHost: emu.context.endpoints.login,
        disableInstanceDiscovery: true,
      });
      const client = new SecretClient(emu.context.endpoints.keyVault, credential, CLIENT_OPTIONS);
      const name = uniqueName('identity');
      await client.setSecret(name, 'via identity');
      assert.equal((await client.getSecret(name)).value, 'via identity');
    } finally {
      await admin(emu, 'DELETE', `/keyvault/access/${sp.id}`);
    }
  });
});
