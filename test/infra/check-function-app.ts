/**
 * The function app: Flex Consumption plan, Node runtime, user-assigned identity, every app setting the code
 * reads (identity-based, unconditional), nothing local-only, and the optional App Service authentication.
 */
import {
  Evaluator,
  Unknown,
  declBody,
  prop,
  propPath,
  resourceType,
  type BicepModule,
  type Project,
  type ResourceDecl,
  type Value,
} from './bicep-model';
import type { Expr } from './bicep-syntax';
import { createdResources, literal } from './check-resources';
import type { Add, InfraContract } from './check-types';

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

export function checkFunctionApp(project: Project, contract: InfraContract, add: Add): void {
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
