// One place that builds the official SDK clients for Tenure's own resources from app settings. Each client is
// created on first use and reused for the life of the process (the Functions worker keeps it warm).
import type { TokenCredential } from '@azure/core-auth';
import { TableClient, TableServiceClient } from '@azure/data-tables';
import { CertificateClient } from '@azure/keyvault-certificates';
import { CryptographyClient, KeyClient } from '@azure/keyvault-keys';
import { SecretClient } from '@azure/keyvault-secrets';
import { ServiceBusClient } from '@azure/service-bus';
import { readFlag, readSetting, requireSetting, type Env } from '../config/settings';
import type { TableName } from '../config/resources';
import { createAppCredential } from './credential';

export interface AzureClients {
  readonly credential: TokenCredential;
  tableService(): TableServiceClient;
  /** A table client; the table is created on first use (idempotent), as infra may not have created it locally. */
  table(name: TableName): Promise<TableClient>;
  secrets(): SecretClient;
  certificates(): CertificateClient;
  keys(): KeyClient;
  /** Signs with a Key Vault key by id (the private key never leaves the vault). */
  cryptography(keyId: string): CryptographyClient;
  serviceBus(): ServiceBusClient;
  /** The session-enabled queue of worker snapshots. */
  readonly hrQueue: string;
  close(): Promise<void>;
}

export function createAzureClients(
  env: Env,
  credential: TokenCredential = createAppCredential(env),
): AzureClients {
  const once = <T>(make: () => T): (() => T) => {
    let value: T | undefined;
    return () => (value ??= make());
  };
  const keyVaultOptions = () => ({
    // Documented for non-Azure hosts (the emulator on loopback); never set in Azure.
    disableChallengeResourceVerification: readFlag(
      env,
      'TENURE_KEY_VAULT_DISABLE_CHALLENGE_RESOURCE_VERIFICATION',
    ),
  });
  const tableService = once(
    () => new TableServiceClient(requireSetting(env, 'TENURE_TABLE_ENDPOINT'), credential),
  );
  const ensured = new Map<string, Promise<TableClient>>();
  const serviceBus = once(() => {
    const connectionString = readSetting(env, 'ServiceBusConnection');
    return connectionString
      ? new ServiceBusClient(connectionString)
      : new ServiceBusClient(
          requireSetting(env, 'ServiceBusConnection__fullyQualifiedNamespace'),
          credential,
        );
  });
  let serviceBusUsed = false;
  return {
    credential,
    tableService,
    table(name) {
      let pending = ensured.get(name);
      if (!pending) {
        const client = new TableClient(requireSetting(env, 'TENURE_TABLE_ENDPOINT'), name, credential);
        pending = client.createTable().then(() => client);
        pending.catch(() => ensured.delete(name));
        ensured.set(name, pending);
      }
      return pending;
    },
    secrets: once(
      () => new SecretClient(requireSetting(env, 'TENURE_KEY_VAULT_URL'), credential, keyVaultOptions()),
    ),
    certificates: once(
      () => new CertificateClient(requireSetting(env, 'TENURE_KEY_VAULT_URL'), credential, keyVaultOptions()),
    ),
    keys: once(
      () => new KeyClient(requireSetting(env, 'TENURE_KEY_VAULT_URL'), credential, keyVaultOptions()),
    ),
    cryptography: (keyId) => new CryptographyClient(keyId, credential, keyVaultOptions()),
    serviceBus: () => {
      serviceBusUsed = true;
      return serviceBus();
    },
    hrQueue: requireSetting(env, 'TENURE_HR_QUEUE'),
    async close() {
      if (serviceBusUsed) await serviceBus().close();
    },
  };
}
