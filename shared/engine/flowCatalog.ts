// The flows this deployment runs, by name: loaded once from the flows folder (YAML) with the flow module's loader.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadFlow, type Flow } from '../flows/index';
import { TenureError } from './errors';

export interface FlowCatalog {
  /** Throws TENURE_UNKNOWN_FLOW (terminal) for a name not deployed. */
  get(name: string): Flow;
  names(): string[];
}

export class StaticFlowCatalog implements FlowCatalog {
  private readonly byName: Map<string, Flow>;
  constructor(flows: readonly Flow[]) {
    this.byName = new Map(flows.map((f) => [f.name, f]));
  }
  get(name: string): Flow {
    const flow = this.byName.get(name);
    if (!flow)
      throw new TenureError('TENURE_UNKNOWN_FLOW', 'No flow with this name is deployed.', { target: name });
    return flow;
  }
  names(): string[] {
    return [...this.byName.keys()];
  }
}

/** Loads every `*.yaml`/`*.yml` file of a folder; a broken flow file fails loudly (file:line:col). */
export function loadFlowCatalog(dir: string): StaticFlowCatalog {
  const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
  return new StaticFlowCatalog(files.map((f) => loadFlow(join(dir, f))));
}
