/**
 * The resources main.bicep deploys: their security properties, and the queues and tables of
 * shared/config/resources.ts with exactly their properties.
 */
import {
  Evaluator,
  Unknown,
  declBody,
  isRecord,
  prop,
  propPath,
  resourceType,
  type BicepModule,
  type Project,
  type ResourceDecl,
  type Value,
} from './bicep-model';
import type { Expr } from './bicep-syntax';
import type { Add, FindingCode, InfraContract } from './check-types';

/** Resources of a type that main.bicep actually deploys (files no module reaches are ignored). */
export function createdResources(project: Project, type: string): { m: BicepModule; r: ResourceDecl }[] {
  const out: { m: BicepModule; r: ResourceDecl }[] = [];
  for (const m of project.modules.values()) {
    if (!project.deployed.has(m.file)) continue;
    for (const r of m.resources.values()) if (!r.existing && resourceType(r) === type) out.push({ m, r });
  }
  return out;
}

export function literal(project: Project, m: BicepModule, e: Expr | undefined): Value | undefined {
  return e === undefined ? undefined : new Evaluator(project, m).eval(e);
}

export function checkSecurityProperties(project: Project, add: Add): void {
  const expect = (
    code: FindingCode,
    type: string,
    keys: string[],
    wanted: Value,
    why: string,
    required = true,
  ): void => {
    const found = createdResources(project, type);
    if (required && found.length === 0) add(code, 'infra', `no ${type} is created`);
    for (const { m, r } of found) {
      const v = literal(project, m, propPath(declBody(r.body).object, keys));
      if (v !== wanted) {
        add(code, m.file, `${r.name}: ${keys.join('.')} must be ${JSON.stringify(wanted)} (${why})`, r.line);
      }
    }
  };
  const storage = 'Microsoft.Storage/storageAccounts';
  expect('INFRA_STORAGE', storage, ['properties', 'allowSharedKeyAccess'], false, 'Entra authorization only');
  expect('INFRA_STORAGE', storage, ['properties', 'minimumTlsVersion'], 'TLS1_2', 'TLS 1.2 minimum');
  expect(
    'INFRA_STORAGE',
    storage,
    ['properties', 'allowBlobPublicAccess'],
    false,
    'no anonymous blob access',
  );
  expect(
    'INFRA_LOCAL_AUTH',
    'Microsoft.ServiceBus/namespaces',
    ['properties', 'disableLocalAuth'],
    true,
    'no SAS keys',
  );
  expect(
    'INFRA_LOCAL_AUTH',
    'Microsoft.Insights/components',
    ['properties', 'DisableLocalAuth'],
    true,
    'Entra-authenticated telemetry only',
  );
  const kv = 'Microsoft.KeyVault/vaults';
  expect(
    'INFRA_KEY_VAULT',
    kv,
    ['properties', 'enableRbacAuthorization'],
    true,
    'Azure RBAC, no access policies',
  );
  expect(
    'INFRA_KEY_VAULT',
    kv,
    ['properties', 'enablePurgeProtection'],
    true,
    'deleted secrets stay recoverable',
  );
  expect('INFRA_KEY_VAULT', kv, ['properties', 'enableSoftDelete'], true, 'soft delete');
  for (const { m, r } of createdResources(project, kv)) {
    const policies = propPath(declBody(r.body).object, ['properties', 'accessPolicies']);
    if (policies && !(policies.kind === 'array' && policies.items.length === 0)) {
      add('INFRA_KEY_VAULT', m.file, `${r.name}: access policies are not used with RBAC`, r.line);
    }
  }
}

// ---- Queues and tables against shared/config/resources.ts ----

interface Instance {
  readonly m: BicepModule;
  readonly r: ResourceDecl;
  readonly name: Value;
  readonly body: Value;
}

/** Every instance of a created resource type, with loops over literal arrays expanded. */
function instances(project: Project, type: string): Instance[] {
  const out: Instance[] = [];
  for (const { m, r } of createdResources(project, type)) {
    const ev = new Evaluator(project, m);
    const { object, loop } = declBody(r.body);
    if (!object) continue;
    if (loop) {
      const items = ev.eval(loop.iterable);
      if (!Array.isArray(items)) {
        out.push({ m, r, name: new Unknown(loop.iterable.text), body: new Unknown(object.text) });
        continue;
      }
      items.forEach((item, index) => {
        const locals = new Map<string, Value>([[loop.itemName, item]]);
        if (loop.indexName) locals.set(loop.indexName, index);
        out.push({
          m,
          r,
          name: ev.eval(prop(object, 'name') ?? object, locals),
          body: ev.eval(object, locals),
        });
      });
    } else {
      out.push({ m, r, name: ev.eval(prop(object, 'name') ?? object), body: ev.eval(object) });
    }
  }
  return out;
}

function getCI(v: Value | undefined, key: string): Value | undefined {
  if (!isRecord(v)) return undefined;
  const k = Object.keys(v).find((x) => x.toLowerCase() === key.toLowerCase());
  return k === undefined ? undefined : v[k];
}

export function checkQueues(project: Project, contract: InfraContract, add: Add): void {
  const queues = instances(project, 'Microsoft.ServiceBus/namespaces/queues');
  for (const spec of contract.queues) {
    const q = queues.find((x) => x.name === spec.name);
    if (!q) {
      add('INFRA_QUEUE_MISSING', 'infra', `queue '${spec.name}' (QUEUES) is not created`);
      continue;
    }
    const props = getCI(q.body, 'properties');
    const wanted: [string, Value][] = [
      ['requiresSession', spec.requiresSession],
      ['maxDeliveryCount', spec.maxDeliveryCount],
      ['lockDuration', spec.lockDuration],
      ['requiresDuplicateDetection', true],
      ['duplicateDetectionHistoryTimeWindow', spec.duplicateDetectionWindow],
      ['deadLetteringOnMessageExpiration', spec.deadLetteringOnMessageExpiration],
    ];
    for (const [key, value] of wanted) {
      const actual = getCI(props, key);
      if (actual !== value) {
        const shown = actual instanceof Unknown ? actual.text : JSON.stringify(actual);
        add(
          'INFRA_QUEUE_PROPERTY',
          q.m.file,
          `queue '${spec.name}': ${key} is ${shown}, QUEUES says ${JSON.stringify(value)}`,
          q.r.line,
        );
      }
    }
  }
}

export function checkTables(project: Project, contract: InfraContract, add: Add): void {
  const tables = instances(project, 'Microsoft.Storage/storageAccounts/tableServices/tables');
  for (const spec of contract.tables) {
    if (!tables.some((t) => t.name === spec.name)) {
      add('INFRA_TABLE_MISSING', 'infra', `table '${spec.name}' (TABLES) is not created`);
    }
  }
}
