/**
 * What the flows using a connection add to its needs: a flow that maps a permission-gated attribute
 * (employeeLeaveDateTime) needs that attribute's application permission on the connection, or Graph refuses every
 * write of it (403) and reads it as null. The link check names it with the flows that need it, so the admin fixes
 * it before the first leaver fails.
 */
import { isAbsolute, join } from 'node:path';
import { readSetting, type Env } from '../config/settings';
import { loadFlowCatalog } from '../engine/flowCatalog';
import { GATED_ATTRIBUTES } from '../graph/userShape';
import type { RequiredPermission } from './requirements';

/** The part of a deployed flow the link check looks at. */
export interface FlowUse {
  readonly name: string;
  /** Connection id the flow writes through. */
  readonly connection: string;
  /** Entra attribute → expression (only the names matter here). */
  readonly attributes: Readonly<Record<string, unknown>>;
}

/** Graph application permissions the flows on this connection need beyond the base list, with who needs them. */
export function flowPermissions(flows: readonly FlowUse[], connectionId: string): RequiredPermission[] {
  const needs = new Map<string, string[]>();
  for (const flow of flows) {
    if (flow.connection !== connectionId) continue;
    for (const attribute of Object.keys(flow.attributes).sort()) {
      if (!Object.hasOwn(GATED_ATTRIBUTES, attribute)) continue;
      const permission = GATED_ATTRIBUTES[attribute]!;
      needs.set(permission, [...(needs.get(permission) ?? []), `flow ${flow.name} maps ${attribute}`]);
    }
  }
  return [...needs].map(([name, neededBy]) => ({ resource: 'graph', name, neededBy }));
}

/**
 * The flows this deployment runs (TENURE_FLOWS_DIR, default `flows`, relative to `appRoot`). A
 * flow folder that does not load adds nothing here: the engine refuses it loudly at start (file:line:col).
 */
export function deployedFlows(env: Env, appRoot: string = process.cwd()): FlowUse[] {
  const dir = readSetting(env, 'TENURE_FLOWS_DIR');
  if (!dir) return [];
  try {
    const catalog = loadFlowCatalog(isAbsolute(dir) ? dir : join(appRoot, dir));
    return catalog.names().map((name) => catalog.get(name));
  } catch {
    return [];
  }
}

/** The deployed flows as the connection module sees them: `flows` when given (tests), else TENURE_FLOWS_DIR. */
export function flowsOf(deps: { env: Env; flows?: () => readonly FlowUse[] }): readonly FlowUse[] {
  return deps.flows ? deps.flows() : deployedFlows(deps.env);
}
