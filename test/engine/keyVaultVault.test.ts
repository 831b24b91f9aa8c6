// The initial-credential vault against the emulator's Key Vault through the production client path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import type { SecretClient } from '@azure/keyvault-secrets';
import { TenureError } from '../../shared/engine/errors';
import { createAzureClients } from '../../shared/azure/clients';
import {
  initialCredentialSecretName,
  KeyVaultCredentialVault,
} from '../../shared/engine/adapters/keyVaultVault';
import { testStack } from '../support/stack';

test('secret names are Key Vault-safe and distinct', () => {
  assert.equal(initialCredentialSecretName('hr', 'E1'), 'initial-hr--E1');
  assert.match(initialCredentialSecretName('work_day', 'a.b/c'), /^[A-Za-z0-9-]+$/);
  assert.notEqual(initialCredentialSecretName('a', 'b_c'), initialCredentialSecretName('a', 'b.c'));
});

test('stores the initial credential as a short-lived secret and returns only its name', async () => {
  const clients = createAzureClients(testStack().appSettings);
  const vault = new KeyVaultCredentialVault(() => clients.secrets());
  const expires = new Date(Date.now() + 7 * 86_400_000);
  const employeeId = `E${Date.now()}`;
  const name = await vault.storeInitialCredential('hr', employeeId, 'Initial-Pass-123!', expires);
  assert.equal(name, `initial-hr--${employeeId}`);
  const secret = await clients.secrets().getSecret(name);
  assert.equal(secret.value, 'Initial-Pass-123!');
  assert.equal(secret.properties.expiresOn?.toISOString().slice(0, 19), expires.toISOString().slice(0, 19));
  assert.equal(secret.properties.contentType, 'application/vnd.tenure.initial-credential');
});

test('a Key Vault failure never carries the credential: no SDK error (its request body) as cause', async () => {
  const secret = 'Leak-Me-If-You-Can-42!';
  const failing = {
    setSecret: async (name: string, value: string) => {
      throw Object.assign(new Error('Forbidden'), {
        statusCode: 403,
        request: { url: `https://vault.test/secrets/${name}`, body: JSON.stringify({ value }) },
      });
    },
  } as unknown as SecretClient;
  const vault = new KeyVaultCredentialVault(() => failing);
  const error = await vault.storeInitialCredential('hr', 'E1', secret, new Date()).then(
    () => assert.fail('stored'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof TenureError);
  assert.equal(error.code, 'TENURE_SECRET_STORE_UNAVAILABLE');
  assert.equal(error.terminal, true);
  assert.equal(inspect(error, { depth: 10 }).includes(secret), false);
  assert.equal(JSON.stringify({ ...error, message: error.message }).includes(secret), false);
});
