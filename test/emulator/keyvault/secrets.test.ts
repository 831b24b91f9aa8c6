// Secrets through @azure/keyvault-secrets against the emulated vault.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SecretClient } from '@azure/keyvault-secrets';
import type { RunningEmulator } from '../../../emulator/src/emulator';
import {
  CLIENT_OPTIONS,
  EmulatorTokenCredential,
  SEEDED_SECRET,
  rawCall,
  startKeyVaultEmulator,
  tokenFor,
  uniqueName,
} from './harness';

interface RestErrorLike {
  statusCode?: number;
  code?: string;
  details?: { error?: { code?: string; innerError?: { code?: string } } };
}

async function rejectsWith(p: Promise<unknown>, status: number, code: string, inner?: string): Promise<void> {
  await assert.rejects(p, (e: RestErrorLike) => {
    assert.equal(e.statusCode, status);
    assert.equal(e.code, code);
    if (inner) assert.equal(e.details?.error?.innerError?.code, inner);
    return true;
  });
}

describe('Key Vault secrets', () => {
  let emu: RunningEmulator;
  let client: SecretClient;

  before(async () => {
    emu = await startKeyVaultEmulator();
    client = new SecretClient(
      emu.context.endpoints.keyVault,
      new EmulatorTokenCredential(emu.context),
      CLIENT_OPTIONS,
    );
  });
  after(() => emu.close());

  test('set makes a new version each time; get reads the latest or a given version', async () => {
    const name = uniqueName('db-password');
    const v1 = await client.setSecret(name, 'first');
    const v2 = await client.setSecret(name, 'second', { contentType: 'text/plain', tags: { owner: 'hr' } });
    assert.notEqual(v1.properties.version, v2.properties.version);
    assert.match(v2.properties.version!, /^[0-9a-f]{32}$/);
    assert.equal(
      v2.properties.id,
      `${emu.context.endpoints.keyVault}/secrets/${name}/${v2.properties.version}`,
    );
    assert.equal((await client.getSecret(name)).value, 'second');
    assert.equal((await client.getSecret(name, { version: v1.properties.version })).value, 'first');
    const latest = await client.getSecret(name);
    assert.equal(latest.properties.contentType, 'text/plain');
    assert.deepEqual(latest.properties.tags, { owner: 'hr' });
    assert.equal(latest.properties.recoveryLevel, 'Recoverable+Purgeable');
    const versions = [];
    for await (const p of client.listPropertiesOfSecretVersions(name)) versions.push(p.version);
    assert.deepEqual(versions.sort(), [v1.properties.version, v2.properties.version].sort());
  });

  test('secrets from the seed (keyVault.secrets) are there from the start', async () => {
    const seeded = await client.getSecret(SEEDED_SECRET);
    assert.equal(seeded.value, 'from the seed');
    assert.equal(seeded.properties.contentType, 'text/plain');
  });

  test('a missing secret or version is 404 SecretNotFound', async () => {
    await rejectsWith(client.getSecret(uniqueName('nope')), 404, 'SecretNotFound');
    const name = uniqueName('one');
    await client.setSecret(name, 'x');
    await rejectsWith(client.getSecret(name, { version: '0'.repeat(32) }), 404, 'SecretNotFound');
  });

  test('lists page 25 at a time (or maxresults) through nextLink', async () => {
    const name = uniqueName('paged');
    for (let i = 0; i < 12; i++) await client.setSecret(name, `v${i}`);
    const sizes: number[] = [];
    for await (const page of client.listPropertiesOfSecretVersions(name).byPage({ maxPageSize: 5 }))
      sizes.push(page.length);
    assert.deepEqual(sizes, [5, 5, 2]);
    const token = await tokenFor(emu);
    const first = await rawCall(emu, 'GET', `/secrets/${name}/versions?api-version=2025-07-01&maxresults=5`, {
      token,
    });
    assert.equal(first.status, 200);
    assert.match(String(first.body.nextLink), /\$skiptoken=.*maxresults=5/);
    const bad = await rawCall(emu, 'GET', `/secrets?api-version=2025-07-01&maxresults=26`, { token });
    assert.equal(bad.status, 400);
    assert.equal((bad.body.error as { code: string }).code, 'BadParameter');
    const names: string[] = [];
    for await (const p of client.listPropertiesOfSecrets()) names.push(p.name);
    assert.ok(names.includes(name));
  });

  test('update properties; a disabled secret is 403 Forbidden/SecretDisabled', async () => {
    const name = uniqueName('rotating');
    const set = await client.setSecret(name, 'value');
    const expires = new Date(Date.now() + 86_400_000);
    const updated = await client.updateSecretProperties(name, set.properties.version!, {
      enabled: false,
      contentType: 'application/json',
      tags: { env: 'test' },
      expiresOn: expires,
    });
    assert.equal(updated.enabled, false);
    assert.equal(updated.contentType, 'application/json');
    assert.equal(updated.expiresOn?.getTime(), Math.floor(expires.getTime() / 1000) * 1000);
    await rejectsWith(client.getSecret(name), 403, 'Forbidden', 'SecretDisabled');
    await client.updateSecretProperties(name, set.properties.version!, { enabled: true });
    assert.equal((await client.getSecret(name)).value, 'value');
  });

  test('delete is soft: the name is taken until recovered or purged', async () => {
    const name = uniqueName('soft');
    await client.setSecret(name, 'keep me');
    const poller = await client.beginDeleteSecret(name, { intervalInMs: 10 });
    const deleted = await poller.pollUntilDone();
    assert.equal(deleted.recoveryId, `${emu.context.endpoints.keyVault}/deletedsecrets/${name}`);
    assert.ok(deleted.scheduledPurgeDate! > deleted.deletedOn!);
    await rejectsWith(client.getSecret(name), 404, 'SecretNotFound');
    await rejectsWith(client.setSecret(name, 'again'), 409, 'Conflict');
    assert.equal((await client.getDeletedSecret(name)).name, name);
    const deletedNames: string[] = [];
    for await (const d of client.listDeletedSecrets()) deletedNames.push(d.name);
    assert.ok(deletedNames.includes(name));

    await (await client.beginRecoverDeletedSecret(name, { intervalInMs: 10 })).pollUntilDone();
    assert.equal((await client.getSecret(name)).value, 'keep me');

    await (await client.beginDeleteSecret(name, { intervalInMs: 10 })).pollUntilDone();
    await client.purgeDeletedSecret(name);
    await rejectsWith(client.getDeletedSecret(name), 404, 'SecretNotFound');
    assert.equal((await client.setSecret(name, 'fresh')).value, 'fresh');
  });

  test('names are case-insensitive and bad input is 400 BadParameter', async () => {
    const name = uniqueName('Mixed');
    await client.setSecret(name, 'v');
    assert.equal((await client.getSecret(name.toLowerCase())).value, 'v');
    await rejectsWith(client.setSecret('bad_name', 'v'), 400, 'BadParameter');
    const token = await tokenFor(emu);
    const noValue = await rawCall(emu, 'PUT', `/secrets/${uniqueName('x')}?api-version=2025-07-01`, {
      token,
      body: { contentType: 'x' },
    });
    assert.equal(noValue.status, 400);
  });
});
