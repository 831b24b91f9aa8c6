/**
 * What `bicep build` would reject (undeclared names, unknown functions, module parameter and output
 * mismatches), and files main.bicep does not deploy.
 */
import {
  Evaluator,
  declBody,
  isRecord,
  moduleTarget,
  prop,
  resourceType,
  statementExprs,
  walk,
  type BicepModule,
  type Project,
} from './bicep-model';
import type { Expr } from './bicep-syntax';
import type { Add } from './check-types';

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

export function checkCompiles(project: Project, m: BicepModule, add: Add): void {
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

export function checkMain(project: Project, main: BicepModule, add: Add): void {
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

/** Every file is deployed, and the ones holding the contract (roles, app, queues, tables) unconditionally. */
export function checkDeployed(project: Project, add: Add): void {
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
