/**
 * Role assignments: the function identity's least-privilege set, each on its own resource, named
 * guid(scope, principal, role); the deployer's roles only optional.
 */
import {
  Evaluator,
  declBody,
  moduleTarget,
  prop,
  propPath,
  resourceType,
  type BicepModule,
  type Project,
  type ResourceDecl,
} from './bicep-model';
import type { Expr } from './bicep-syntax';
import { createdResources } from './check-resources';
import type { Add, InfraContract } from './check-types';

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

export function checkRoles(project: Project, contract: InfraContract, add: Add): void {
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
