/**
 * Checks Tenure's Bicep against the product's contract (settings, tables, queues, roles) and its security rules,
 * reading the files as text. Returns findings with stable codes; an empty list means the templates pass.
 * The tests feed it both the real files and mutated copies, so every rule is shown to fail when it should.
 */
import { loadProject, MAIN_FILE } from './bicep-model';
import { checkAzureYaml, checkParametersFile } from './check-azd';
import { checkCompiles, checkDeployed, checkMain } from './check-compile';
import { checkFunctionApp } from './check-function-app';
import { checkQueues, checkSecurityProperties, checkTables } from './check-resources';
import { checkRoles } from './check-roles';
import { checkConnectionStringUses, scanForSecrets } from './check-secrets';
import type { Finding, FindingCode, InfraContract } from './check-types';

export type {
  Finding,
  FindingCode,
  InfraContract,
  QueueContract,
  RoleContract,
  SettingContract,
} from './check-types';

export function checkInfra(files: ReadonlyMap<string, string>, contract: InfraContract): Finding[] {
  const findings: Finding[] = [];
  const add = (code: FindingCode, file: string, message: string, line?: number) =>
    findings.push({ code, file, message, line });

  scanForSecrets(files, add);
  const project = loadProject(files);
  for (const f of project.failures) add('INFRA_PARSE', f.file, f.message, f.line);

  const main = project.modules.get(MAIN_FILE);
  if (!main) {
    if (!project.failures.some((f) => f.file === MAIN_FILE)) add('INFRA_COMPILE', MAIN_FILE, 'missing');
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
