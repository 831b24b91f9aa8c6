/**
 * The azd files: main.parameters.json maps exactly main.bicep's parameters; azure.yaml deploys a function.
 */
import { parse as parseYaml } from 'yaml';
import type { BicepModule } from './bicep-model';
import type { Add } from './check-types';

export function checkParametersFile(files: ReadonlyMap<string, string>, main: BicepModule, add: Add): void {
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

export function checkAzureYaml(files: ReadonlyMap<string, string>, add: Add): void {
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
