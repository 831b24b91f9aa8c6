/**
 * infra/ against the product's contract and Tenure's security rules, read as text (no Bicep CLI here).
 * The first test checks the real files; the others mutate one thing in a copy and assert the checker names it,
 * so each rule is shown to fail when the templates break it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { QUEUES, TABLES } from '../../shared/config/resources';
import { SETTINGS } from '../../shared/config/settings';
import { checkInfra, type Finding, type FindingCode } from './infra-checks';
import { CONTRACT, OVERBROAD_ROLES, ROLES, readInfraFiles } from './infra-contract';

const real = readInfraFiles();

function check(files: ReadonlyMap<string, string>): Finding[] {
  return checkInfra(files, CONTRACT);
}

/** A copy of the real files with `from` replaced by `to` in `file`; `from` must occur exactly once. */
function mutate(
  file: string,
  from: string,
  to: string,
  base: ReadonlyMap<string, string> = real,
): Map<string, string> {
  const text = base.get(file);
  assert.ok(text !== undefined, `${file} is not among the infra files`);
  const count = text.split(from).length - 1;
  assert.equal(count, 1, `mutation target must occur once in ${file}: ${from}`);
  return new Map(base).set(file, text.replace(from, to));
}

function codes(findings: Finding[]): FindingCode[] {
  return [...new Set(findings.map((f) => f.code))].sort();
}

function assertFinds(findings: Finding[], code: FindingCode, mention: string): void {
  const hit = findings.find((f) => f.code === code && f.message.includes(mention));
  assert.ok(
    hit,
    `expected ${code} mentioning '${mention}', got:\n${findings.map((f) => `${f.code} ${f.message}`).join('\n')}`,
  );
}

describe('infra/ as committed', () => {
  it('has the files azd needs', () => {
    for (const f of [
      'infra/main.bicep',
      'infra/main.parameters.json',
      'infra/abbreviations.json',
      'infra/app/rbac.bicep',
      'azure.yaml',
    ]) {
      assert.ok(real.has(f), `${f} is missing`);
    }
  });

  it('passes every check', () => {
    assert.deepEqual(check(real), []);
  });

  it('checks every production setting, queue and table the code declares', () => {
    // Guards against an empty contract making "passes every check" vacuous.
    assert.ok(SETTINGS.filter((s) => s.production).length >= 8);
    assert.ok(QUEUES.some((q) => q.name === 'hr-events' && q.requiresSession));
    assert.ok(TABLES.length >= 7);
    assert.equal(CONTRACT.identityRoles.length, 9);
  });
});

describe('no keys or connection strings', () => {
  it('refuses listKeys()', () => {
    const files = mutate(
      'infra/app/api.bicep',
      "  AzureWebJobsStorage__credential: 'managedidentity'\n",
      "  AzureWebJobsStorage__credential: 'managedidentity'\n  STORAGE_KEY: storage.listKeys().keys[0].value\n",
    );
    assertFinds(check(files), 'INFRA_LIST_KEYS', 'listKeys');
  });

  it('refuses listConnectionStrings() on a member, but not a variable named list…', () => {
    let files = mutate(
      'infra/app/servicebus.bicep',
      'output hrQueueName string = hrEvents.name\n',
      "output hrQueueName string = hrEvents.name\nvar listOfQueues = ['hr-events']\noutput queues array = listOfQueues\n",
    );
    assert.deepEqual(check(files), []);
    files = mutate(
      'infra/app/storage.bicep',
      'output name string = storage.name\n',
      "output name string = storage.name\noutput sas object = storage.listAccountSas('2023-05-01', {})\n",
      files,
    );
    assertFinds(check(files), 'INFRA_LIST_KEYS', 'listAccountSas');
  });

  it('refuses a storage connection string literal', () => {
    const files = mutate(
      'infra/app/api.bicep',
      "  AzureWebJobsStorage__credential: 'managedidentity'\n",
      "  AzureWebJobsStorage__credential: 'managedidentity'\n  LEGACY: 'DefaultEndpointsProtocol=https;AccountName=${storage.name};AccountKey=abc'\n",
    );
    assertFinds(check(files), 'INFRA_CONNECTION_STRING', 'AccountKey');
  });

  it('refuses a Service Bus connection string and the key-based trigger setting', () => {
    const files = mutate(
      'infra/app/api.bicep',
      "  ServiceBusConnection__credential: 'managedidentity'\n",
      "  ServiceBusConnection__credential: 'managedidentity'\n  ServiceBusConnection: 'Endpoint=sb://x.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=k'\n",
    );
    const found = check(files);
    assertFinds(found, 'INFRA_CONNECTION_STRING', 'SharedAccessKey');
    assertFinds(found, 'INFRA_SETTING_FORBIDDEN', 'ServiceBusConnection');
  });

  it('refuses a connection string read from a resource other than Application Insights', () => {
    const files = mutate(
      'infra/app/servicebus.bicep',
      'output hrQueueName string = hrEvents.name\n',
      'output hrQueueName string = hrEvents.name\noutput primary string = namespace.properties.primaryConnectionString\n',
    );
    assertFinds(check(files), 'INFRA_CONNECTION_STRING', 'primaryConnectionString');
  });

  it('refuses a variable or output named like a connection string', () => {
    const files = mutate(
      'infra/app/keyvault.bicep',
      'output uri string = vault.properties.vaultUri\n',
      "output uri string = vault.properties.vaultUri\noutput storageConnectionString string = ''\n",
    );
    assertFinds(check(files), 'INFRA_CONNECTION_STRING', 'storageConnectionString');
  });

  it('scans non-Bicep files too', () => {
    const files = new Map(real).set(
      'infra/main.parameters.json',
      real.get('infra/main.parameters.json')!.replace('"${AZURE_ENV_NAME}"', '"AccountKey=abc"'),
    );
    assertFinds(check(files), 'INFRA_CONNECTION_STRING', 'AccountKey');
  });
});

describe('app settings', () => {
  it('names a production setting that is missing', () => {
    const files = mutate('infra/app/api.bicep', '  TENURE_KEY_VAULT_URL: keyVaultUri\n', '');
    assertFinds(check(files), 'INFRA_SETTING_MISSING', 'TENURE_KEY_VAULT_URL');
  });

  it('names a production setting that is only set under a condition', () => {
    let files = mutate('infra/app/api.bicep', '  TENURE_HR_QUEUE: hrQueueName\n', '');
    files = mutate(
      'infra/app/api.bicep',
      '  TENURE_SP_CLIENT_ID: spClientId\n',
      '  TENURE_SP_CLIENT_ID: spClientId\n  TENURE_HR_QUEUE: hrQueueName\n',
      files,
    );
    assertFinds(check(files), 'INFRA_SETTING_CONDITIONAL', 'TENURE_HR_QUEUE');
  });

  it('needs the identity-based Service Bus trigger connection', () => {
    const files = mutate(
      'infra/app/api.bicep',
      '  ServiceBusConnection__fullyQualifiedNamespace: serviceBusFullyQualifiedNamespace\n',
      '',
    );
    assertFinds(check(files), 'INFRA_SETTING_MISSING', 'ServiceBusConnection__fullyQualifiedNamespace');
  });

  it('needs the runtime storage to use the managed identity', () => {
    const files = mutate(
      'infra/app/api.bicep',
      "  AzureWebJobsStorage__credential: 'managedidentity'\n",
      "  AzureWebJobsStorage__credential: 'connectionstring'\n",
    );
    assertFinds(check(files), 'INFRA_SETTING_VALUE', 'AzureWebJobsStorage__credential');
  });

  it('refuses local-only and Flex-incompatible settings, and unknown TENURE_ names', () => {
    const files = mutate(
      'infra/app/api.bicep',
      '  TENURE_CLOUD: cloud\n',
      "  TENURE_CLOUD: cloud\n  TENURE_DISABLE_INSTANCE_DISCOVERY: 'true'\n  FUNCTIONS_WORKER_RUNTIME: 'node'\n  TENURE_KEYVAULT_URL: keyVaultUri\n",
    );
    const found = check(files);
    assertFinds(found, 'INFRA_SETTING_FORBIDDEN', 'TENURE_DISABLE_INSTANCE_DISCOVERY');
    assertFinds(found, 'INFRA_SETTING_FORBIDDEN', 'FUNCTIONS_WORKER_RUNTIME');
    assertFinds(found, 'INFRA_SETTING_UNKNOWN', 'TENURE_KEYVAULT_URL');
  });

  it('needs TENURE_CLOUD to accept exactly the four clouds', () => {
    const files = mutate(
      'infra/app/api.bicep',
      "  'usgovdod'\n  'china'\n])\nparam cloud string",
      "  'china'\n])\nparam cloud string",
    );
    assertFinds(check(files), 'INFRA_CLOUD', 'TENURE_CLOUD');
  });
});

describe('role assignments', () => {
  it('names a role scoped to the wrong resource', () => {
    const files = mutate(
      'infra/app/rbac.bicep',
      '  name: guid(keyVault.id, identityPrincipalId, keyVaultSecretsOfficer)\n  scope: keyVault\n',
      '  name: guid(storage.id, identityPrincipalId, keyVaultSecretsOfficer)\n  scope: storage\n',
    );
    assertFinds(check(files), 'INFRA_ROLE_SCOPE', 'Key Vault Secrets Officer');
  });

  it('names a role assigned at resource-group scope (no scope:)', () => {
    const files = mutate(
      'infra/app/rbac.bicep',
      '  name: guid(serviceBus.id, identityPrincipalId, serviceBusDataReceiver)\n  scope: serviceBus\n',
      '  name: guid(serviceBus.id, identityPrincipalId, serviceBusDataReceiver)\n',
    );
    const found = check(files);
    assertFinds(found, 'INFRA_ROLE_SCOPE', 'resource group');
    assertFinds(found, 'INFRA_ROLE_NAME', 'identityServiceBusReceiver');
  });

  it('names a missing role and refuses an over-broad one', () => {
    const files = mutate(
      'infra/app/rbac.bicep',
      `var serviceBusDataSender = '${ROLES.serviceBusDataSender.id}'`,
      `var serviceBusDataSender = '${OVERBROAD_ROLES.serviceBusDataOwner}'`,
    );
    const found = check(files);
    assertFinds(found, 'INFRA_ROLE_MISSING', 'Azure Service Bus Data Sender');
    assertFinds(found, 'INFRA_ROLE_UNEXPECTED', OVERBROAD_ROLES.serviceBusDataOwner);
  });

  it('refuses a role assignment name that is not guid(scope, principal, role)', () => {
    const files = mutate(
      'infra/app/rbac.bicep',
      '  name: guid(storage.id, identityPrincipalId, storageTableDataContributor)\n',
      "  name: guid(storage.id, 'tables')\n",
    );
    assertFinds(check(files), 'INFRA_ROLE_NAME', 'identityTableContributor');
  });

  it("grants the identity's roles to the identity, not to whoever deploys", () => {
    const files = mutate(
      'infra/main.bicep',
      '    identityPrincipalId: identity.outputs.principalId\n',
      '    identityPrincipalId: principalId\n',
    );
    assertFinds(check(files), 'INFRA_ROLE_PRINCIPAL', 'identityPrincipalId');
  });

  it('keeps deployer roles optional', () => {
    const files = mutate(
      'infra/app/rbac.bicep',
      "resource deployerSecretsOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (grantDeployer) {",
      "resource deployerSecretsOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = {",
    );
    assertFinds(check(files), 'INFRA_ROLE_CONDITION', 'deployerSecretsOfficer');
  });
});

describe('queues and tables', () => {
  it('names a queue that is no longer session-enabled', () => {
    const files = mutate(
      'infra/app/servicebus.bicep',
      '    requiresSession: true\n',
      '    requiresSession: false\n',
    );
    assertFinds(check(files), 'INFRA_QUEUE_PROPERTY', 'requiresSession');
  });

  it('names each queue property that drifts from QUEUES', () => {
    let files = mutate(
      'infra/app/servicebus.bicep',
      '    maxDeliveryCount: 10\n',
      '    maxDeliveryCount: 5\n',
    );
    files = mutate(
      'infra/app/servicebus.bicep',
      "    lockDuration: 'PT1M'\n",
      "    lockDuration: 'PT5M'\n",
      files,
    );
    files = mutate('infra/app/servicebus.bicep', '    requiresDuplicateDetection: true\n', '', files);
    files = mutate('infra/app/servicebus.bicep', '    deadLetteringOnMessageExpiration: true\n', '', files);
    const found = check(files).filter((f) => f.code === 'INFRA_QUEUE_PROPERTY');
    for (const key of [
      'maxDeliveryCount',
      'lockDuration',
      'requiresDuplicateDetection',
      'deadLetteringOnMessageExpiration',
    ]) {
      assertFinds(found, 'INFRA_QUEUE_PROPERTY', key);
    }
  });

  it('names a missing queue', () => {
    const files = mutate('infra/app/servicebus.bicep', "  name: 'hr-events'\n", "  name: 'hr-events-v2'\n");
    assertFinds(check(files), 'INFRA_QUEUE_MISSING', 'hr-events');
  });

  it('names a missing table', () => {
    const files = mutate('infra/app/storage.bicep', "  'HeldPlans'\n", '');
    assertFinds(check(files), 'INFRA_TABLE_MISSING', 'HeldPlans');
  });
});

describe('resource security properties', () => {
  it('storage: shared key and TLS', () => {
    let files = mutate(
      'infra/app/storage.bicep',
      '    allowSharedKeyAccess: false\n',
      '    allowSharedKeyAccess: true\n',
    );
    files = mutate(
      'infra/app/storage.bicep',
      "    minimumTlsVersion: 'TLS1_2'\n",
      "    minimumTlsVersion: 'TLS1_0'\n",
      files,
    );
    const found = check(files);
    assertFinds(found, 'INFRA_STORAGE', 'allowSharedKeyAccess');
    assertFinds(found, 'INFRA_STORAGE', 'minimumTlsVersion');
  });

  it('Service Bus and Application Insights: local auth', () => {
    let files = mutate(
      'infra/app/servicebus.bicep',
      '    disableLocalAuth: true\n',
      '    disableLocalAuth: false\n',
    );
    files = mutate('infra/app/monitoring.bicep', '    DisableLocalAuth: true\n', '', files);
    const found = check(files).filter((f) => f.code === 'INFRA_LOCAL_AUTH');
    assert.equal(found.length, 2, JSON.stringify(found));
  });

  it('Key Vault: RBAC, purge protection, soft delete', () => {
    let files = mutate('infra/app/keyvault.bicep', '    enableRbacAuthorization: true\n', '');
    files = mutate(
      'infra/app/keyvault.bicep',
      '    enablePurgeProtection: true\n',
      '    enablePurgeProtection: false\n',
      files,
    );
    files = mutate('infra/app/keyvault.bicep', '    enableSoftDelete: true\n', '', files);
    const found = check(files);
    for (const key of ['enableRbacAuthorization', 'enablePurgeProtection', 'enableSoftDelete']) {
      assertFinds(found, 'INFRA_KEY_VAULT', key);
    }
  });

  it('function app: Flex Consumption and a supported Node version', () => {
    let files = mutate('infra/app/api.bicep', "    name: 'FC1'\n", "    name: 'Y1'\n");
    files = mutate(
      'infra/app/api.bicep',
      "@allowed([\n  '20'\n  '22'\n])\nparam nodeVersion",
      "@allowed([\n  '18'\n  '20'\n])\nparam nodeVersion",
      files,
    );
    const found = check(files);
    assertFinds(found, 'INFRA_FUNCTION_APP', 'FC1');
    assertFinds(found, 'INFRA_FUNCTION_APP', 'nodeVersion');
  });

  it('App Service authentication stays optional and lets only the OAuth redirects through', () => {
    const files = mutate(
      'infra/app/api.bicep',
      "  '/api/oauth/adminconsent'\n",
      "  '/api/oauth/adminconsent'\n  '/api/connections'\n",
    );
    assertFinds(check(files), 'INFRA_AUTH', 'bypass');
  });
});

describe('what bicep build would reject', () => {
  it('reports a syntax error with its file and line', () => {
    const files = mutate(
      'infra/app/keyvault.bicep',
      '    enableSoftDelete: true\n',
      "    enableSoftDelete: 'true\n",
    );
    const parse = check(files).find((f) => f.code === 'INFRA_PARSE');
    assert.ok(parse, 'expected INFRA_PARSE');
    assert.equal(parse.file, 'infra/app/keyvault.bicep');
    assert.equal(typeof parse.line, 'number');
  });

  it('reports an undeclared name, an unknown function and a missing module output', () => {
    let files = mutate(
      'infra/app/api.bicep',
      '  TENURE_HR_QUEUE: hrQueueName\n',
      '  TENURE_HR_QUEUE: hrQueue\n',
    );
    files = mutate(
      'infra/app/storage.bicep',
      'output name string = storage.name',
      'output name string = lower(storage.name)',
      files,
    );
    files = mutate(
      'infra/main.bicep',
      'keyVaultUri: keyVault.outputs.uri',
      'keyVaultUri: keyVault.outputs.vaultUri',
      files,
    );
    const found = check(files);
    assertFinds(found, 'INFRA_COMPILE', "'hrQueue' is not declared");
    assertFinds(found, 'INFRA_COMPILE', "'lower' is not a Bicep function");
    assertFinds(found, 'INFRA_COMPILE', "no output 'vaultUri'");
  });

  it('reports module parameters that are missing or undeclared', () => {
    const files = mutate(
      'infra/main.bicep',
      '    hrQueueName: serviceBus.outputs.hrQueueName\n',
      '    hrQueue: serviceBus.outputs.hrQueueName\n',
    );
    const found = check(files);
    assertFinds(found, 'INFRA_COMPILE', "required parameter 'hrQueueName'");
    assertFinds(found, 'INFRA_COMPILE', "passes 'hrQueue'");
  });

  it('ignores a file no module deploys, and says so', () => {
    // A correct copy of the queue in an orphan file must not hide the broken queue that is deployed.
    const files = new Map(real).set('infra/app/unused.bicep', real.get('infra/app/servicebus.bicep')!);
    files.set(
      'infra/app/servicebus.bicep',
      real.get('infra/app/servicebus.bicep')!.replace('    requiresSession: true\n', ''),
    );
    const found = check(files);
    assertFinds(found, 'INFRA_COMPILE', 'no module of main.bicep deploys this file');
    assertFinds(found, 'INFRA_QUEUE_PROPERTY', 'requiresSession');
  });

  it('refuses role assignments deployed only under a condition', () => {
    const files = mutate(
      'infra/main.bicep',
      "module rbac 'app/rbac.bicep' = {",
      "module rbac 'app/rbac.bicep' = if (grantDeployerAccess) {",
    );
    assertFinds(check(files), 'INFRA_COMPILE', 'only under a condition');
  });

  it('keeps main.parameters.json in step with main.bicep', () => {
    const files = mutate('infra/main.parameters.json', '"tenureCloud"', '"cloudName"');
    assertFinds(check(files), 'INFRA_AZD', 'cloudName');
  });

  it('reports several problems at once, each with its own code', () => {
    let files = mutate(
      'infra/app/servicebus.bicep',
      '    requiresSession: true\n',
      '    requiresSession: false\n',
    );
    files = mutate('infra/app/api.bicep', '  TENURE_PUBLIC_BASE_URL: baseUrl\n', '', files);
    assert.deepEqual(codes(check(files)), ['INFRA_QUEUE_PROPERTY', 'INFRA_SETTING_MISSING']);
  });
});
