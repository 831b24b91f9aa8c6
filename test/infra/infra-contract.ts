/**
 * What Tenure's infrastructure must provide, assembled from the product's own lists (SETTINGS, QUEUES, TABLES)
 * and from the built-in role ids published by Microsoft. The infra tests check infra/ against this.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { QUEUES, TABLES } from '../../shared/config/resources';
import { SETTINGS } from '../../shared/config/settings';
import type { InfraContract, RoleContract } from './infra-checks';

const STORAGE = 'Microsoft.Storage/storageAccounts';
const SERVICE_BUS = 'Microsoft.ServiceBus/namespaces';
const KEY_VAULT = 'Microsoft.KeyVault/vaults';
const APP_INSIGHTS = 'Microsoft.Insights/components';

// Role definition ids from learn.microsoft.com/azure/role-based-access-control/built-in-roles (pages Storage,
// Integration, Security and Monitor; MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/).
export const ROLES = {
  storageBlobDataOwner: {
    role: 'Storage Blob Data Owner',
    id: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
    scopeType: STORAGE,
  },
  storageQueueDataContributor: {
    role: 'Storage Queue Data Contributor',
    id: '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
    scopeType: STORAGE,
  },
  storageTableDataContributor: {
    role: 'Storage Table Data Contributor',
    id: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
    scopeType: STORAGE,
  },
  serviceBusDataSender: {
    role: 'Azure Service Bus Data Sender',
    id: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39',
    scopeType: SERVICE_BUS,
  },
  serviceBusDataReceiver: {
    role: 'Azure Service Bus Data Receiver',
    id: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0',
    scopeType: SERVICE_BUS,
  },
  keyVaultCertificatesOfficer: {
    role: 'Key Vault Certificates Officer',
    id: 'a4417e6f-fecd-4de8-b567-7b0420556985',
    scopeType: KEY_VAULT,
  },
  keyVaultSecretsOfficer: {
    role: 'Key Vault Secrets Officer',
    id: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7',
    scopeType: KEY_VAULT,
  },
  keyVaultCryptoUser: {
    role: 'Key Vault Crypto User',
    id: '12338af0-0e69-4776-bea7-57ae8d297424',
    scopeType: KEY_VAULT,
  },
  monitoringMetricsPublisher: {
    role: 'Monitoring Metrics Publisher',
    id: '3913510d-42f4-4e42-8a64-420c390055eb',
    scopeType: APP_INSIGHTS,
  },
} as const satisfies Record<string, RoleContract>;

/** Roles Tenure must never hand its identity (broader than it needs). */
export const OVERBROAD_ROLES = {
  owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  serviceBusDataOwner: '090c5cfd-751d-490a-894a-3ce6f1109419',
} as const;

export const CONTRACT: InfraContract = {
  settings: SETTINGS,
  queues: QUEUES,
  tables: TABLES,
  identityRoles: Object.values(ROLES),
  deployerRoles: [
    ROLES.keyVaultCertificatesOfficer,
    ROLES.keyVaultSecretsOfficer,
    ROLES.storageTableDataContributor,
    ROLES.serviceBusDataSender,
    ROLES.serviceBusDataReceiver,
  ],
  identityPrincipalParam: 'identityPrincipalId',
  deployerPrincipalParam: 'deployerPrincipalId',
  clouds: ['global', 'usgov', 'usgovdod', 'china'],
  runtimeSettings: [
    { name: 'AzureWebJobsStorage__accountName' },
    { name: 'AzureWebJobsStorage__blobServiceUri' },
    { name: 'AzureWebJobsStorage__queueServiceUri' },
    { name: 'AzureWebJobsStorage__tableServiceUri' },
    { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' },
    { name: 'AzureWebJobsStorage__clientId' },
    { name: 'ServiceBusConnection__credential', value: 'managedidentity' },
    { name: 'ServiceBusConnection__clientId' },
    {
      name: 'APPLICATIONINSIGHTS_CONNECTION_STRING',
      value: /^applicationInsights\.properties\.ConnectionString$/,
    },
    { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: /Authorization=AAD/ },
  ],
  forbiddenSettings: [
    // Key-based forms of the same connections.
    'AzureWebJobsStorage',
    'ServiceBusConnection',
    'APPINSIGHTS_INSTRUMENTATIONKEY',
    'WEBSITE_CONTENTAZUREFILECONNECTIONSTRING',
    // Flex Consumption rejects these: the runtime is set in functionAppConfig.
    'FUNCTIONS_WORKER_RUNTIME',
    'FUNCTIONS_EXTENSION_VERSION',
    'WEBSITE_NODE_DEFAULT_VERSION',
    'WEBSITE_RUN_FROM_PACKAGE',
  ],
  anonymousPaths: ['/api/oauth/callback', '/api/oauth/adminconsent'],
};

/** The repository root, from dist/test/infra/ or test/infra/. */
export function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('package.json not found above ' + __dirname);
    dir = up;
  }
  return dir;
}

/** infra/**, azure.yaml: the files the checker reads, keyed by repository-relative path. */
export function readInfraFiles(root = repoRoot()): Map<string, string> {
  const files = new Map<string, string>();
  const visit = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = path.posix.join(rel, entry.name);
      if (entry.isDirectory()) visit(child);
      else if (/\.(bicep|json)$/.test(entry.name))
        files.set(child, fs.readFileSync(path.join(root, child), 'utf8'));
    }
  };
  visit('infra');
  const yamlPath = path.join(root, 'azure.yaml');
  if (fs.existsSync(yamlPath)) files.set('azure.yaml', fs.readFileSync(yamlPath, 'utf8'));
  return files;
}
