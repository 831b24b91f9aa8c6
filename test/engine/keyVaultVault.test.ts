// The initial-credential vault against the emulator's Key Vault through the production client path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
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
