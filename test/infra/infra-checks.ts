/**
 * Checks Tenure's Bicep against the product's contract (settings, tables, queues, roles) and its security rules,
 * reading the files as text. Returns findings with stable codes; an empty list means the templates pass.
 * The tests feed it both the real files and mutated copies, so every rule is shown to fail when it should.
 */
import { parse as parseYaml } from 'yaml';
import {
  Evaluator,
  Unknown,
  declBody,
  isRecord,
  loadProject,
  moduleTarget,
  prop,
  propPath,
  resourceType,
  statementExprs,
  walk,
  type BicepModule,
  type Project,
  type ResourceDecl,
  type Value,
} from './bicep-model';
import { flattenTokens, tokenize, type Expr } from './bicep-syntax';

export type FindingCode =
  | 'INFRA_PARSE'
  | 'INFRA_COMPILE'
  | 'INFRA_LIST_KEYS'
  | 'INFRA_CONNECTION_STRING'
  | 'INFRA_SETTING_MISSING'
  | 'INFRA_SETTING_CONDITIONAL'
  | 'INFRA_SETTING_VALUE'
  | 'INFRA_SETTING_FORBIDDEN'
  | 'INFRA_SETTING_UNKNOWN'
  | 'INFRA_ROLE_MISSING'
  | 'INFRA_ROLE_SCOPE'
  | 'INFRA_ROLE_UNEXPECTED'
  | 'INFRA_ROLE_CONDITION'
  | 'INFRA_ROLE_NAME'
  | 'INFRA_ROLE_PRINCIPAL'
  | 'INFRA_QUEUE_MISSING'
  | 'INFRA_QUEUE_PROPERTY'
  | 'INFRA_TABLE_MISSING'
  | 'INFRA_STORAGE'
  | 'INFRA_LOCAL_AUTH'
  | 'INFRA_KEY_VAULT'
  | 'INFRA_FUNCTION_APP'
  | 'INFRA_AUTH'
  | 'INFRA_CLOUD'
  | 'INFRA_AZD';

export interface Finding {
  readonly code: FindingCode;
  readonly file: string;
  readonly line?: number;
  readonly message: string;
}

export interface SettingContract {
  readonly name: string;
  readonly purpose: string;
  readonly production: boolean;
}

export interface QueueContract {
  readonly name: string;
  readonly requiresSession: boolean;
  readonly maxDeliveryCount: number;
  readonly lockDuration: string;
  readonly duplicateDetectionWindow: string;
  readonly deadLetteringOnMessageExpiration: boolean;
}

export interface RoleContract {
  /** Built-in role name, for messages. */
  readonly role: string;
  /** Built-in role definition GUID. */
  readonly id: string;
  /** Resource type the assignment must be scoped to. */
  readonly scopeType: string;
}

export interface InfraContract {
  readonly settings: readonly SettingContract[];
  readonly queues: readonly QueueContract[];
  readonly tables: readonly { readonly name: string }[];
  /** Roles the function app's identity must hold, unconditionally, and no others. */
  readonly identityRoles: readonly RoleContract[];
  /** Roles the deployer may receive (only conditionally). */
  readonly deployerRoles: readonly RoleContract[];
  /** Names of the rbac module parameters carrying each principal. */
  readonly identityPrincipalParam: string;
  readonly deployerPrincipalParam: string;
  /** National clouds TENURE_CLOUD accepts. */
  readonly clouds: readonly string[];
  /** Settings the Functions runtime itself needs, beyond SETTINGS. */
  readonly runtimeSettings: readonly { readonly name: string; readonly value?: string | RegExp }[];
  /** Settings that must never be set in Azure (besides SETTINGS marked local only). */
  readonly forbiddenSettings: readonly string[];
  /** Paths App Service authentication may let through anonymously. */
  readonly anonymousPaths: readonly string[];
}

const BUILTIN_FUNCTIONS = new Set(
  [
    'any array base64 base64ToJson base64ToString bool buildUri cidrHost cidrSubnet coalesce concat contains dataUri',
    'dataUriToString dateTimeAdd dateTimeFromEpoch dateTimeToEpoch deployer deployment empty endsWith environment',
    'extensionResourceId fail filter first flatten format getSecret groupBy guid indexOf int intersection items join',
    'json last lastIndexOf length loadFileAsBase64 loadJsonContent loadTextContent loadYamlContent managementGroup',
    'managementGroupResourceId map mapValues max min newGuid objectKeys padLeft parseCidr parseUri pickZones range',
    'readEnvironmentVariable reduce reference replace resourceGroup resourceId shallowMerge skip sort split',
    'startsWith string subscription subscriptionResourceId substring take tenant tenantResourceId toLogicalZone',
    'toLower toObject toPhysicalZone toUpper trim tryGet union uniqueString uri uriComponent uriComponentToString',
    'utcNow',
  ]
    .join(' ')
    .split(' ')
    .map((f) => f.toLowerCase()),
);

/** Literal text that only a key, SAS or connection string contains. */
const SECRET_PATTERNS: readonly RegExp[] = [
  /AccountKey\s*=/i,
  /SharedAccessKey/i,
  /SharedAccessSignature/i,
  /DefaultEndpointsProtocol\s*=/i,
  /Endpoint\s*=\s*sb:\/\//i,
  /UseDevelopmentStorage/i,
  /InstrumentationKey\s*=/i,
];

export function checkInfra(files: ReadonlyMap<string, string>, contract: InfraContract): Finding[] {
  const findings: Finding[] = [];
  const add = (code: FindingCode, file: string, message: string, line?: number) =>
    findings.push({ code, file, message, line });

  scanForSecrets(files, add);
  const project = loadProject(files);
  for (const f of project.failures) add('INFRA_PARSE', f.file, f.message, f.line);

  const main = project.modules.get('infra/main.bicep');
  if (!main) {
    if (!project.failures.some((f) => f.file === 'infra/main.bicep'))
      add('INFRA_COMPILE', 'infra/main.bicep', 'missing');
    return findings;
  }
  for (const m of project.modules.values()) checkCompiles(project, m, add);
  checkDeployed(project, add);
  checkMain(project, main, add);
  checkConnectionStringUses(project, add);
  checkSecurityProperties(project, add);
  checkQueues(project, contract, add);
  checkTables(project, contract, add);
  checkRoles(project, contract, add);
  checkFunctionApp(project, contract, add);
  checkParametersFile(files, main, add);
  checkAzureYaml(files, add);
  return findings;
}

type Add = (code: FindingCode, file: string, message: string, line?: number) => void;

// ---- No keys: list*() functions and secret-bearing literals, at token level so it works even on broken files ----

function scanForSecrets(files: ReadonlyMap<string, string>, add: Add): void {
  for (const [file, text] of files) {
    if (file.endsWith('.bicep')) {
      let tokens;
      try {
        tokens = flattenTokens(tokenize(text));
      } catch {
        tokens = undefined;
      }
      if (tokens) {
        for (const t of tokens) {
          if (t.kind === 'ident' && /^list([A-Z].*)?$/.test(t.value)) {
            add(
              'INFRA_LIST_KEYS',
              file,
              `${t.value}() hands out keys or secrets; use role assignments instead`,
              t.line,
            );
          }
          if (t.kind === 'string') {
            for (const p of t.parts ?? []) {
              if (typeof p !== 'string') continue;
              const hit = SECRET_PATTERNS.find((re) => re.test(p));
              if (hit)
                add(
                  'INFRA_CONNECTION_STRING',
                  file,
                  `string literal looks like a key or connection string (${hit.source})`,
                  t.line,
                );
            }
          }
        }
        continue;
      }
    }
    // Not Bicep, or not tokenizable: a plain text scan still catches the patterns.
    text.split('\n').forEach((lineText, i) => {
      if (/\blist(Keys|ConnectionStrings|AccountSas|ServiceSas|Secrets)\b/.test(lineText)) {
        add('INFRA_LIST_KEYS', file, 'a list*() call hands out keys or secrets', i + 1);
      }
      const hit = SECRET_PATTERNS.find((re) => re.test(lineText));
      if (hit)
        add(
          'INFRA_CONNECTION_STRING',
          file,
          `text looks like a key or connection string (${hit.source})`,
          i + 1,
        );
    });
  }
}

/**
 * Any identifier, property or member named like a connection string is refused, with one exception: the
 * Application Insights component's own ConnectionString property (an endpoint plus an instrumentation key that,
 * with local auth disabled, authorizes nothing; APPLICATIONINSIGHTS_AUTHENTICATION_STRING makes the host sign in).
 */
function checkConnectionStringUses(project: Project, add: Add): void {
  const named = (s: string) => /connection_?string/i.test(s) && s !== 'APPLICATIONINSIGHTS_CONNECTION_STRING';
  for (const m of project.modules.values()) {
    for (const s of m.ast.statements) {
      if (s.kind !== 'targetScope' && s.kind !== 'other' && named(s.name)) {
        add('INFRA_CONNECTION_STRING', m.file, `${s.kind} '${s.name}' carries a connection string`, s.line);
      }
      for (const root of statementExprs(s)) {
        for (const e of walk(root)) {
          if (e.kind === 'object') {
            for (const p of e.props) {
              if (named(p.key))
                add(
                  'INFRA_CONNECTION_STRING',
                  m.file,
                  `property '${p.key}' carries a connection string`,
                  p.line,
                );
            }
          }
          if (e.kind === 'member' && named(e.name) && !isAppInsightsConnectionString(m, e)) {
            add('INFRA_CONNECTION_STRING', m.file, `'${e.text}' reads a connection string`, e.line);
          }
        }
      }
    }
  }
}

function isAppInsightsConnectionString(m: BicepModule, e: Extract<Expr, { kind: 'member' }>): boolean {
  if (e.name !== 'ConnectionString') return false;
  const props = e.object;
  if (props.kind !== 'member' || props.name !== 'properties' || props.object.kind !== 'ident') return false;
  const r = m.resources.get(props.object.name);
  return r !== undefined && resourceType(r) === 'Microsoft.Insights/components';
}

// ---- What `bicep build` would reject: undeclared names, unknown functions, module parameter mismatches ----

function checkCompiles(project: Project, m: BicepModule, add: Add): void {
  for (const d of m.duplicates) add('INFRA_COMPILE', m.file, `symbol '${d}' is declared twice`);
  const declared = new Set<string>([
    ...m.params.keys(),
    ...m.vars.keys(),
    ...m.resources.keys(),
    ...m.modules.keys(),
    'sys',
    'az',
  ]);
  for (const s of m.ast.statements) {
    if (
      s.kind === 'resource' &&
      !/^[A-Za-z0-9.]+\/[A-Za-z0-9./]+@\d{4}-\d{2}-\d{2}(-preview)?$/.test(s.type)
    ) {
      add('INFRA_COMPILE', m.file, `resource '${s.name}' has a malformed type '${s.type}'`, s.line);
    }
    for (const root of statementExprs(s)) checkNames(root, new Set(), declared, m, add);
    if (s.kind === 'module') checkModuleCall(project, m, s, add);
  }
  // Outputs and members like mod.outputs.x must exist in the target module.
  for (const s of m.ast.statements) {
    for (const root of statementExprs(s)) {
      for (const e of walk(root)) {
        if (e.kind !== 'member' || e.object.kind !== 'member' || e.object.name !== 'outputs') continue;
        if (e.object.object.kind !== 'ident') continue;
        const mod = m.modules.get(e.object.object.name);
        const target = mod && moduleTarget(m.file, mod);
        const targetModule = target ? project.modules.get(target) : undefined;
        if (targetModule && !targetModule.outputs.has(e.name)) {
          add('INFRA_COMPILE', m.file, `'${e.text}': module ${target} has no output '${e.name}'`, e.line);
        }
      }
    }
  }
}

function checkNames(
  e: Expr,
  locals: ReadonlySet<string>,
  declared: ReadonlySet<string>,
  m: BicepModule,
  add: Add,
): void {
  switch (e.kind) {
    case 'ident':
      if (!locals.has(e.name) && !declared.has(e.name)) {
        add('INFRA_COMPILE', m.file, `'${e.name}' is not declared`, e.line);
      }
      return;
    case 'call':
      if (e.callee.kind === 'ident') {
        const fn = e.callee.name;
        if (!BUILTIN_FUNCTIONS.has(fn.toLowerCase()) && !/^list/.test(fn)) {
          add('INFRA_COMPILE', m.file, `'${fn}' is not a Bicep function`, e.line);
        }
      } else {
        checkNames(e.callee, locals, declared, m, add);
      }
      for (const a of e.args) checkNames(a, locals, declared, m, add);
      return;
    case 'member':
      checkNames(e.object, locals, declared, m, add);
      return;
    case 'for': {
      checkNames(e.iterable, locals, declared, m, add);
      const inner = new Set([...locals, e.itemName, ...(e.indexName ? [e.indexName] : [])]);
      if (e.condition) checkNames(e.condition, inner, declared, m, add);
      checkNames(e.body, inner, declared, m, add);
      return;
    }
    case 'lambda':
      checkNames(e.body, new Set([...locals, ...e.params]), declared, m, add);
      return;
    case 'string':
      for (const p of e.parts) if (typeof p !== 'string') checkNames(p, locals, declared, m, add);
      return;
    case 'object':
      for (const p of e.props) checkNames(p.value, locals, declared, m, add);
      return;
    case 'array':
      for (const i of e.items) checkNames(i, locals, declared, m, add);
      return;
    case 'if':
      checkNames(e.condition, locals, declared, m, add);
      checkNames(e.body, locals, declared, m, add);
      return;
    case 'index':
      checkNames(e.object, locals, declared, m, add);
      checkNames(e.index, locals, declared, m, add);
      return;
    case 'unary':
    case 'nonNull':
      checkNames(e.operand, locals, declared, m, add);
      return;
    case 'binary':
      checkNames(e.left, locals, declared, m, add);
      checkNames(e.right, locals, declared, m, add);
      return;
    case 'ternary':
      checkNames(e.condition, locals, declared, m, add);
      checkNames(e.whenTrue, locals, declared, m, add);
      checkNames(e.whenFalse, locals, declared, m, add);
      return;
    default:
      return;
  }
}

function checkModuleCall(
  project: Project,
  m: BicepModule,
  s: Extract<BicepModule['ast']['statements'][number], { kind: 'module' }>,
  add: Add,
): void {
  const target = moduleTarget(m.file, s);
  if (target === undefined) {
    if (!/^br(\/public)?:.+:\d+\.\d+\.\d+$/.test(s.path)) {
      add('INFRA_COMPILE', m.file, `registry module '${s.path}' must be pinned to an exact version`, s.line);
    }
    return;
  }
  const targetModule = project.modules.get(target);
  if (!targetModule) {
    if (!project.failures.some((f) => f.file === target)) {
      add('INFRA_COMPILE', m.file, `module '${s.name}' points to ${target}, which does not exist`, s.line);
    }
    return;
  }
  const { object } = declBody(s.body);
  const params = prop(object, 'params');
  const passed = new Set(params?.kind === 'object' ? params.props.map((p) => p.key) : []);
  for (const [name, decl] of targetModule.params) {
    if (!decl.defaultValue && !passed.has(name)) {
      add(
        'INFRA_COMPILE',
        m.file,
        `module '${s.name}' does not pass required parameter '${name}' of ${target}`,
        s.line,
      );
    }
  }
  for (const name of passed) {
    if (!targetModule.params.has(name)) {
      add(
        'INFRA_COMPILE',
        m.file,
        `module '${s.name}' passes '${name}', which ${target} does not declare`,
        s.line,
      );
    }
  }
}

function checkMain(project: Project, main: BicepModule, add: Add): void {
  const scope = main.ast.statements.find((s) => s.kind === 'targetScope');
  const ev = new Evaluator(project, main);
  if (!scope || scope.kind !== 'targetScope' || ev.eval(scope.value) !== 'subscription') {
    add('INFRA_COMPILE', main.file, "main.bicep must declare targetScope = 'subscription'");
  }
  for (const mod of main.modules.values()) {
    if (!prop(declBody(mod.body).object, 'scope')) {
      add(
        'INFRA_COMPILE',
        main.file,
        `module '${mod.name}' needs scope: (a resource group) at subscription scope`,
        mod.line,
      );
    }
  }
  // Names taken from abbreviations.json must exist there.
  for (const s of main.ast.statements) {
    for (const root of statementExprs(s)) {
      for (const e of walk(root)) {
        if (e.kind !== 'member' || e.object.kind !== 'ident') continue;
        const decl = main.vars.get(e.object.name);
        if (decl?.value.kind !== 'call' || decl.value.callee.kind !== 'ident') continue;
        if (decl.value.callee.name !== 'loadJsonContent') continue;
        const json = ev.eval(decl.value);
        if (!isRecord(json))
          add('INFRA_COMPILE', main.file, `${decl.value.text} does not load a JSON object`, e.line);
        else if (!(e.name in json))
          add('INFRA_COMPILE', main.file, `'${e.text}' is not in the loaded JSON`, e.line);
      }
    }
  }
}

// ---- Security properties of each resource the templates create ----

/** Resources of a type that main.bicep actually deploys (files no module reaches are ignored). */
function createdResources(project: Project, type: string): { m: BicepModule; r: ResourceDecl }[] {
  const out: { m: BicepModule; r: ResourceDecl }[] = [];
  for (const m of project.modules.values()) {
    if (!project.deployed.has(m.file)) continue;
    for (const r of m.resources.values()) if (!r.existing && resourceType(r) === type) out.push({ m, r });
  }
  return out;
}

/** Every file is deployed, and the ones holding the contract (roles, app, queues, tables) unconditionally. */
function checkDeployed(project: Project, add: Add): void {
  const contractTypes = [
    'Microsoft.Authorization/roleAssignments',
    'Microsoft.Web/sites',
    'Microsoft.ServiceBus/namespaces/queues',
    'Microsoft.Storage/storageAccounts/tableServices/tables',
  ];
  for (const m of project.modules.values()) {
    const conditional = project.deployed.get(m.file);
    if (conditional === undefined) {
      add('INFRA_COMPILE', m.file, 'no module of main.bicep deploys this file');
    } else if (
      conditional &&
      [...m.resources.values()].some((r) => contractTypes.includes(resourceType(r)))
    ) {
      add(
        'INFRA_COMPILE',
        m.file,
        'is deployed only under a condition but declares roles, the app, queues or tables',
      );
    }
  }
}

function literal(project: Project, m: BicepModule, e: Expr | undefined): Value | undefined {
  return e === undefined ? undefined : new Evaluator(project, m).eval(e);
}

function checkSecurityProperties(project: Project, add: Add): void {
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

function checkQueues(project: Project, contract: InfraContract, add: Add): void {
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

function checkTables(project: Project, contract: InfraContract, add: Add): void {
  const tables = instances(project, 'Microsoft.Storage/storageAccounts/tableServices/tables');
  for (const spec of contract.tables) {
    if (!tables.some((t) => t.name === spec.name)) {
      add('INFRA_TABLE_MISSING', 'infra', `table '${spec.name}' (TABLES) is not created`);
    }
  }
}

// ---- Role assignments ----

interface Assignment {
  readonly m: BicepModule;
  readonly r: ResourceDecl;
  readonly principal: 'identity' | 'deployer' | 'other';
  readonly roleId: string | undefined;
  readonly scopeType: string;
  readonly conditional: boolean;
}

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

function readAssignment(
  project: Project,
  m: BicepModule,
  r: ResourceDecl,
  contract: InfraContract,
  add: Add,
): Assignment | undefined {
  const { object, condition, loop } = declBody(r.body);
  if (!object || loop) {
    add('INFRA_ROLE_NAME', m.file, `${r.name}: write one explicit assignment per role (no loops)`, r.line);
    return undefined;
  }
  const ev = new Evaluator(project, m);
  const scopeExpr = prop(object, 'scope');
  let scopeType = 'resource group (no scope:)';
  if (scopeExpr?.kind === 'ident') {
    const target = m.resources.get(scopeExpr.name);
    scopeType = target ? resourceType(target) : `'${scopeExpr.text}'`;
  } else if (scopeExpr) scopeType = `'${scopeExpr.text}'`;

  const roleExpr = propPath(object, ['properties', 'roleDefinitionId']);
  let roleId: string | undefined;
  let roleArg: Expr | undefined;
  if (roleExpr?.kind === 'call' && roleExpr.callee.kind === 'ident' && roleExpr.args.length === 2) {
    const [kind, id] = roleExpr.args;
    if (ev.eval(kind) === 'Microsoft.Authorization/roleDefinitions') {
      roleArg = id;
      const v = ev.eval(id);
      if (typeof v === 'string' && GUID.test(v)) roleId = v.toLowerCase();
    }
  } else if (roleExpr) {
    const v = ev.eval(roleExpr);
    if (typeof v === 'string') roleId = GUID.exec(v)?.[0].toLowerCase();
  }
  if (!roleId)
    add(
      'INFRA_ROLE_UNEXPECTED',
      m.file,
      `${r.name}: role definition id is not a literal built-in role GUID`,
      r.line,
    );

  const principalExpr = propPath(object, ['properties', 'principalId']);
  const principal =
    principalExpr?.kind === 'ident' && principalExpr.name === contract.identityPrincipalParam
      ? 'identity'
      : principalExpr?.kind === 'ident' && principalExpr.name === contract.deployerPrincipalParam
        ? 'deployer'
        : 'other';
  if (principal === 'other') {
    add(
      'INFRA_ROLE_PRINCIPAL',
      m.file,
      `${r.name}: principalId must be ${contract.identityPrincipalParam} or ${contract.deployerPrincipalParam}`,
      r.line,
    );
  }

  // Idempotent names: guid(<scope>.id, <principal>, <role>).
  const name = prop(object, 'name');
  const ok =
    name?.kind === 'call' &&
    name.callee.kind === 'ident' &&
    name.callee.name === 'guid' &&
    name.args.length === 3 &&
    scopeExpr?.kind === 'ident' &&
    name.args[0].text === `${scopeExpr.name}.id` &&
    name.args[1].text === principalExpr?.text &&
    name.args[2].text === roleArg?.text;
  if (!ok)
    add(
      'INFRA_ROLE_NAME',
      m.file,
      `${r.name}: name must be guid(<scope>.id, <principalId>, <role id>)`,
      r.line,
    );

  return { m, r, principal, roleId, scopeType, conditional: condition !== undefined };
}

/** The module parameter carrying the identity's principal id must be fed from the user-assigned identity. */
function checkPrincipalWiring(project: Project, contract: InfraContract, add: Add): void {
  for (const m of project.modules.values()) {
    if (!project.deployed.has(m.file)) continue;
    for (const mod of m.modules.values()) {
      const target = moduleTarget(m.file, mod);
      const targetModule = target ? project.modules.get(target) : undefined;
      if (!targetModule?.params.has(contract.identityPrincipalParam)) continue;
      const passed = prop(prop(declBody(mod.body).object, 'params'), contract.identityPrincipalParam);
      const source = passed?.kind === 'member' && passed.name === 'principalId' ? passed.object : undefined;
      const sourceModule =
        source?.kind === 'member' && source.name === 'outputs' && source.object.kind === 'ident'
          ? m.modules.get(source.object.name)
          : undefined;
      const sourceTarget = sourceModule ? moduleTarget(m.file, sourceModule) : undefined;
      const sourceFile = sourceTarget ? project.modules.get(sourceTarget) : undefined;
      const isIdentity = [...(sourceFile?.resources.values() ?? [])].some(
        (r) => !r.existing && resourceType(r) === 'Microsoft.ManagedIdentity/userAssignedIdentities',
      );
      if (!isIdentity) {
        add(
          'INFRA_ROLE_PRINCIPAL',
          m.file,
          `module '${mod.name}': ${contract.identityPrincipalParam} must be <identity module>.outputs.principalId, not ${passed?.text ?? 'missing'}`,
          mod.line,
        );
      }
    }
  }
}

function checkRoles(project: Project, contract: InfraContract, add: Add): void {
  checkPrincipalWiring(project, contract, add);
  const assignments: Assignment[] = [];
  for (const { m, r } of createdResources(project, 'Microsoft.Authorization/roleAssignments')) {
    const a = readAssignment(project, m, r, contract, add);
    if (a) assignments.push(a);
  }
  const identity = assignments.filter((a) => a.principal === 'identity');
  for (const want of contract.identityRoles) {
    const matches = identity.filter((a) => a.roleId === want.id.toLowerCase());
    if (matches.length === 0) {
      add(
        'INFRA_ROLE_MISSING',
        'infra/app/rbac.bicep',
        `the function identity lacks ${want.role} (${want.id}) on ${want.scopeType}`,
      );
    }
    for (const a of matches) {
      if (a.scopeType !== want.scopeType) {
        add(
          'INFRA_ROLE_SCOPE',
          a.m.file,
          `${a.r.name}: ${want.role} must be scoped to ${want.scopeType}, not ${a.scopeType}`,
          a.r.line,
        );
      }
      if (a.conditional)
        add(
          'INFRA_ROLE_CONDITION',
          a.m.file,
          `${a.r.name}: the function identity's ${want.role} must not be conditional`,
          a.r.line,
        );
    }
  }
  for (const a of identity) {
    if (a.roleId && !contract.identityRoles.some((w) => w.id.toLowerCase() === a.roleId)) {
      add(
        'INFRA_ROLE_UNEXPECTED',
        a.m.file,
        `${a.r.name}: role ${a.roleId} is not one the function identity needs`,
        a.r.line,
      );
    }
  }
  for (const a of assignments.filter((x) => x.principal === 'deployer')) {
    const want = contract.deployerRoles.find((w) => w.id.toLowerCase() === a.roleId);
    if (!want) {
      add(
        'INFRA_ROLE_UNEXPECTED',
        a.m.file,
        `${a.r.name}: role ${a.roleId ?? '?'} is not an allowed deployer role`,
        a.r.line,
      );
    } else if (a.scopeType !== want.scopeType) {
      add(
        'INFRA_ROLE_SCOPE',
        a.m.file,
        `${a.r.name}: ${want.role} must be scoped to ${want.scopeType}, not ${a.scopeType}`,
        a.r.line,
      );
    }
    if (!a.conditional)
      add(
        'INFRA_ROLE_CONDITION',
        a.m.file,
        `${a.r.name}: deployer roles must be optional (if (...))`,
        a.r.line,
      );
  }
}

// ---- The function app: plan, runtime, identity, app settings, authentication ----

interface SettingKeys {
  readonly always: Map<string, Expr>;
  readonly sometimes: Map<string, Expr>;
  readonly opaque: string[];
}

/** The app-setting keys an expression certainly or possibly yields (union(), ternaries, vars). */
function settingKeys(m: BicepModule, e: Expr, seen = new Set<string>()): SettingKeys {
  const out: SettingKeys = { always: new Map(), sometimes: new Map(), opaque: [] };
  const merge = (k: SettingKeys, always: boolean) => {
    for (const [key, v] of k.always) (always ? out.always : out.sometimes).set(key, v);
    for (const [key, v] of k.sometimes) out.sometimes.set(key, v);
    out.opaque.push(...k.opaque);
  };
  if (e.kind === 'object') {
    for (const p of e.props) out.always.set(p.key, p.value);
  } else if (e.kind === 'ident' && m.vars.has(e.name) && !seen.has(e.name)) {
    merge(settingKeys(m, m.vars.get(e.name)!.value, new Set([...seen, e.name])), true);
  } else if (e.kind === 'call' && e.callee.kind === 'ident' && e.callee.name === 'union') {
    for (const a of e.args) merge(settingKeys(m, a, seen), true);
  } else if (e.kind === 'ternary') {
    const a = settingKeys(m, e.whenTrue, seen);
    const b = settingKeys(m, e.whenFalse, seen);
    for (const [key, v] of a.always) (b.always.has(key) ? out.always : out.sometimes).set(key, v);
    for (const [key, v] of b.always) if (!a.always.has(key)) out.sometimes.set(key, v);
    merge(
      {
        always: new Map(),
        sometimes: new Map([...a.sometimes, ...b.sometimes]),
        opaque: [...a.opaque, ...b.opaque],
      },
      false,
    );
  } else {
    out.opaque.push(e.text);
  }
  for (const key of out.always.keys()) out.sometimes.delete(key);
  return out;
}

function checkFunctionApp(project: Project, contract: InfraContract, add: Add): void {
  const plans = createdResources(project, 'Microsoft.Web/serverfarms');
  if (plans.length === 0) add('INFRA_FUNCTION_APP', 'infra', 'no App Service plan is created');
  for (const { m, r } of plans) {
    const sku = literal(project, m, propPath(declBody(r.body).object, ['sku', 'name']));
    if (sku !== 'FC1')
      add(
        'INFRA_FUNCTION_APP',
        m.file,
        `${r.name}: plan sku must be FC1 (Flex Consumption), found ${String(sku)}`,
        r.line,
      );
  }
  const sites = createdResources(project, 'Microsoft.Web/sites');
  if (sites.length !== 1)
    add('INFRA_FUNCTION_APP', 'infra', `expected exactly one function app, found ${sites.length}`);
  for (const { m, r } of sites) {
    const body = declBody(r.body).object;
    const ev = new Evaluator(project, m);
    const at = (keys: string[]) => propPath(body, keys);
    const valueAt = (keys: string[]) => {
      const e = at(keys);
      return e === undefined ? undefined : ev.eval(e);
    };
    if (valueAt(['identity', 'type']) !== 'UserAssigned') {
      add('INFRA_FUNCTION_APP', m.file, `${r.name}: identity.type must be 'UserAssigned'`, r.line);
    }
    if (valueAt(['properties', 'httpsOnly']) !== true) {
      add('INFRA_FUNCTION_APP', m.file, `${r.name}: properties.httpsOnly must be true`, r.line);
    }
    const cfg = ['properties', 'functionAppConfig'];
    if (valueAt([...cfg, 'runtime', 'name']) !== 'node') {
      add('INFRA_FUNCTION_APP', m.file, `${r.name}: runtime must be node`, r.line);
    }
    if (valueAt([...cfg, 'deployment', 'storage', 'authentication', 'type']) !== 'UserAssignedIdentity') {
      add(
        'INFRA_FUNCTION_APP',
        m.file,
        `${r.name}: the deployment container must be read with the user-assigned identity`,
        r.line,
      );
    }
    checkNodeVersion(project, m, at([...cfg, 'runtime', 'version']), add);
    checkAppSettings(project, m, r, contract, add);
    checkAuth(project, m, r, contract, add);
  }
}

function checkNodeVersion(project: Project, m: BicepModule, e: Expr | undefined, add: Add): void {
  const ok = (v: Value) => v === '20' || v === '22';
  if (!e) return add('INFRA_FUNCTION_APP', m.file, 'functionAppConfig.runtime.version is missing');
  const v = literal(project, m, e);
  if (!(v instanceof Unknown)) {
    if (!ok(v as Value)) add('INFRA_FUNCTION_APP', m.file, `Node ${String(v)} is not 20 or 22`, e.line);
    return;
  }
  const param = e.kind === 'ident' ? m.params.get(e.name) : undefined;
  const allowed = param?.decorators.find((d) => d.name === 'allowed')?.args[0];
  const values = allowed ? literal(project, m, allowed) : undefined;
  if (!Array.isArray(values) || !values.every(ok)) {
    add(
      'INFRA_FUNCTION_APP',
      m.file,
      `runtime version '${e.text}' must be '20' or '22' (or a param @allowed to those)`,
      e.line,
    );
  }
}

function findSettingsResource(m: BicepModule, site: ResourceDecl, name: string): ResourceDecl | undefined {
  for (const r of m.resources.values()) {
    if (resourceType(r) !== 'Microsoft.Web/sites/config' || r.existing) continue;
    const { object } = declBody(r.body);
    const parent = prop(object, 'parent');
    const n = prop(object, 'name');
    const literalName =
      n?.kind === 'string' && n.parts.every((p) => typeof p === 'string') ? n.parts.join('') : undefined;
    if (parent?.kind === 'ident' && parent.name === site.name && literalName === name) return r;
  }
  return undefined;
}

function checkAppSettings(
  project: Project,
  m: BicepModule,
  site: ResourceDecl,
  contract: InfraContract,
  add: Add,
): void {
  const config = findSettingsResource(m, site, 'appsettings');
  const propsExpr = config ? prop(declBody(config.body).object, 'properties') : undefined;
  if (!config || !propsExpr) {
    add(
      'INFRA_SETTING_MISSING',
      m.file,
      `${site.name}: no Microsoft.Web/sites/config 'appsettings' resource`,
      site.line,
    );
    return;
  }
  if (declBody(config.body).condition) {
    add(
      'INFRA_SETTING_CONDITIONAL',
      m.file,
      `${config.name}: app settings must not be conditional`,
      config.line,
    );
  }
  const keys = settingKeys(m, propsExpr);
  const ev = new Evaluator(project, m);
  const hint = keys.opaque.length ? ` (could not read: ${keys.opaque.join(', ')})` : '';
  const require = (name: string, why: string) => {
    if (keys.always.has(name)) return true;
    if (keys.sometimes.has(name))
      add('INFRA_SETTING_CONDITIONAL', m.file, `${name} is only set under a condition (${why})`, config.line);
    else add('INFRA_SETTING_MISSING', m.file, `${name} is not set (${why})${hint}`, config.line);
    return false;
  };
  for (const s of contract.settings) {
    if (!s.production) continue;
    if (require(s.name, 'production setting in SETTINGS')) {
      const v = ev.eval(keys.always.get(s.name)!);
      if (v === '' || v === null)
        add('INFRA_SETTING_VALUE', m.file, `${s.name} is set to an empty value`, config.line);
    }
  }
  for (const rs of contract.runtimeSettings) {
    if (!require(rs.name, 'identity-based wiring of the Functions runtime')) continue;
    if (rs.value === undefined) continue;
    const v = ev.eval(keys.always.get(rs.name)!);
    const text = typeof v === 'string' ? v : v instanceof Unknown ? v.text : JSON.stringify(v);
    const ok = typeof rs.value === 'string' ? v === rs.value : rs.value.test(text);
    if (!ok)
      add('INFRA_SETTING_VALUE', m.file, `${rs.name} is ${text}, expected ${String(rs.value)}`, config.line);
  }
  const localOnly = contract.settings
    .filter((s) => !s.production && /^local only|only for the local emulator/i.test(s.purpose))
    .map((s) => s.name);
  const known = new Set(contract.settings.map((s) => s.name));
  for (const key of [...keys.always.keys(), ...keys.sometimes.keys()]) {
    if (localOnly.includes(key) || contract.forbiddenSettings.includes(key)) {
      add('INFRA_SETTING_FORBIDDEN', m.file, `${key} must not be set in Azure`, config.line);
    }
    if (key.startsWith('TENURE_') && !known.has(key)) {
      add('INFRA_SETTING_UNKNOWN', m.file, `${key} is not a setting the code reads (SETTINGS)`, config.line);
    }
  }
  checkCloudSetting(project, m, keys.always.get('TENURE_CLOUD'), contract, add);
}

function checkCloudSetting(
  project: Project,
  m: BicepModule,
  e: Expr | undefined,
  contract: InfraContract,
  add: Add,
): void {
  if (!e) return;
  const param = e.kind === 'ident' ? m.params.get(e.name) : undefined;
  const allowed = param?.decorators.find((d) => d.name === 'allowed')?.args[0];
  const values = allowed ? literal(project, m, allowed) : undefined;
  const ok =
    Array.isArray(values) &&
    values.length === contract.clouds.length &&
    contract.clouds.every((c) => (values as Value[]).includes(c));
  if (!ok)
    add(
      'INFRA_CLOUD',
      m.file,
      `TENURE_CLOUD must come from a parameter @allowed(${JSON.stringify(contract.clouds)})`,
      e.line,
    );
}

function checkAuth(
  project: Project,
  m: BicepModule,
  site: ResourceDecl,
  contract: InfraContract,
  add: Add,
): void {
  const auth = findSettingsResource(m, site, 'authsettingsV2');
  if (!auth) {
    add(
      'INFRA_AUTH',
      m.file,
      `${site.name}: no optional authsettingsV2 (App Service authentication)`,
      site.line,
    );
    return;
  }
  const { object, condition } = declBody(auth.body);
  if (!condition)
    add(
      'INFRA_AUTH',
      m.file,
      `${auth.name}: App Service authentication must be optional (if (...))`,
      auth.line,
    );
  const ev = new Evaluator(project, m);
  const at = (keys: string[]) => {
    const e = propPath(object, keys);
    return e === undefined ? undefined : ev.eval(e);
  };
  if (at(['properties', 'globalValidation', 'requireAuthentication']) !== true) {
    add('INFRA_AUTH', m.file, `${auth.name}: globalValidation.requireAuthentication must be true`, auth.line);
  }
  if (at(['properties', 'identityProviders', 'azureActiveDirectory', 'enabled']) !== true) {
    add(
      'INFRA_AUTH',
      m.file,
      `${auth.name}: the Entra (azureActiveDirectory) provider must be enabled`,
      auth.line,
    );
  }
  // Anonymous paths: literal, or a param whose default is literal.
  const excludedExpr = propPath(object, ['properties', 'globalValidation', 'excludedPaths']);
  let excluded: Value | undefined = excludedExpr ? ev.eval(excludedExpr) : [];
  if (excluded instanceof Unknown && excludedExpr?.kind === 'ident') {
    const d = m.params.get(excludedExpr.name)?.defaultValue;
    excluded = d ? ev.eval(d) : excluded;
  }
  if (
    !Array.isArray(excluded) ||
    excluded.some((p) => typeof p !== 'string' || !contract.anonymousPaths.includes(p))
  ) {
    add(
      'INFRA_AUTH',
      m.file,
      `${auth.name}: only ${contract.anonymousPaths.join(', ')} may bypass authentication`,
      auth.line,
    );
  }
  // TENURE_REQUIRE_ADMIN_ROLE must follow the same switch.
  const config = findSettingsResource(m, site, 'appsettings');
  const propsExpr = config ? prop(declBody(config.body).object, 'properties') : undefined;
  const req = propsExpr ? settingKeys(m, propsExpr).always.get('TENURE_REQUIRE_ADMIN_ROLE') : undefined;
  if (!req || req.kind !== 'ternary' || req.condition.text !== condition?.text) {
    add(
      'INFRA_AUTH',
      m.file,
      `TENURE_REQUIRE_ADMIN_ROLE must be '<auth switch> ? 'true' : 'false'' with the same switch as ${auth.name}`,
      auth.line,
    );
  } else if (ev.eval(req.whenTrue) !== 'true' || ev.eval(req.whenFalse) !== 'false') {
    add(
      'INFRA_AUTH',
      m.file,
      "TENURE_REQUIRE_ADMIN_ROLE must be 'true' when authentication is on, else 'false'",
      auth.line,
    );
  }
}

// ---- azd files ----

function checkParametersFile(files: ReadonlyMap<string, string>, main: BicepModule, add: Add): void {
  const file = 'infra/main.parameters.json';
  const text = files.get(file);
  if (text === undefined) return add('INFRA_AZD', file, 'missing');
  let json: { parameters?: Record<string, unknown> };
  try {
    json = JSON.parse(text) as typeof json;
  } catch (err) {
    return add('INFRA_AZD', file, `not JSON: ${(err as Error).message}`);
  }
  const given = Object.keys(json.parameters ?? {});
  for (const name of given) {
    if (!main.params.has(name)) add('INFRA_AZD', file, `parameter '${name}' is not declared in main.bicep`);
  }
  for (const [name, p] of main.params) {
    if (!p.defaultValue && !given.includes(name))
      add('INFRA_AZD', file, `required parameter '${name}' is not mapped`);
  }
}

function checkAzureYaml(files: ReadonlyMap<string, string>, add: Add): void {
  const text = files.get('azure.yaml');
  if (text === undefined) return add('INFRA_AZD', 'azure.yaml', 'missing');
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    return add('INFRA_AZD', 'azure.yaml', `not YAML: ${(err as Error).message}`);
  }
  const d = doc as {
    infra?: { path?: string };
    services?: Record<string, { host?: string; language?: string }>;
  };
  const services = Object.values(d.services ?? {});
  if (!services.some((s) => s.host === 'function' && (s.language === 'ts' || s.language === 'js'))) {
    add('INFRA_AZD', 'azure.yaml', 'needs a service with host: function and language: ts');
  }
  if ((d.infra?.path ?? 'infra') !== 'infra') add('INFRA_AZD', 'azure.yaml', 'infra.path must be infra');
}
