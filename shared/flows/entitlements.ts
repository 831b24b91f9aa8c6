/**
 * Desired groups and licences of one worker: defaults plus every rule whose condition holds, then for each
 * mutually exclusive set only the granted member with the lowest priority number is kept. Pure; refs are
 * returned as written (GUIDs or names — the engine resolves names against the tenant).
 */
import { evaluateCondition } from './conditions';
import type { EntitlementRules, Flow } from './model';

export interface Entitlements {
  readonly groups: string[];
  readonly licenses: string[];
}

function resolve(rules: EntitlementRules, record: Readonly<Record<string, unknown>>): string[] {
  const granted: string[] = [];
  const add = (ref: string): void => {
    if (!granted.includes(ref)) granted.push(ref);
  };
  rules.defaults.forEach(add);
  for (const rule of rules.rules) if (evaluateCondition(rule.when, record)) rule.grant.forEach(add);
  const dropped = new Set<string>();
  for (const set of rules.exclusive) {
    const present = set.members
      .filter((m) => granted.includes(m.ref))
      .sort((a, b) => a.priority - b.priority);
    present.slice(1).forEach((m) => dropped.add(m.ref));
  }
  return granted.filter((g) => !dropped.has(g));
}

export function evaluateEntitlements(
  flow: Pick<Flow, 'groups' | 'licenses'>,
  record: Readonly<Record<string, unknown>>,
): Entitlements {
  return { groups: resolve(flow.groups, record), licenses: resolve(flow.licenses, record) };
}

/** Every ref the flow can grant (defaults, rules, exclusive sets): what `managed-only` retention may remove. */
export function managedEntitlements(flow: Pick<Flow, 'groups' | 'licenses'>): Entitlements {
  const all = (r: EntitlementRules): string[] => [
    ...new Set([
      ...r.defaults,
      ...r.rules.flatMap((x) => x.grant),
      ...r.exclusive.flatMap((s) => s.members.map((m) => m.ref)),
    ]),
  ];
  return { groups: all(flow.groups), licenses: all(flow.licenses) };
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when a ref is an object id / SKU id rather than a name to resolve. */
export function isGuidRef(ref: string): boolean {
  return GUID.test(ref);
}
