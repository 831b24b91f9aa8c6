// Mass-change guard (pure part): what a plan would destroy, and whether window totals cross the flow's limits.
import type { Plan } from './plan/model';
import type { GuardCounts } from './repositories';

export interface GuardLimits {
  readonly windowMs: number;
  readonly maxDisables: number;
  readonly maxDeletes: number;
  readonly maxGroupRemovals: number;
}

export function destructiveCounts(plan: Plan): GuardCounts {
  let disables = 0;
  let deletes = 0;
  let groupRemovals = 0;
  for (const op of plan.operations) {
    if (op.kind === 'disableUser') disables++;
    else if (op.kind === 'deleteUser') deletes++;
    else if (op.kind === 'removeGroupMember') groupRemovals++;
  }
  return { disables, deletes, groupRemovals };
}

export function isDestructive(counts: GuardCounts): boolean {
  return counts.disables + counts.deletes + counts.groupRemovals > 0;
}

/** The limit crossed by the window totals, as an admin-readable reason; undefined when within limits. */
export function crossedLimit(totals: GuardCounts, limits: GuardLimits): string | undefined {
  const window = `${Math.round(limits.windowMs / 60_000)} min`;
  if (totals.disables > limits.maxDisables)
    return `more than ${limits.maxDisables} disables within ${window}`;
  if (totals.deletes > limits.maxDeletes) return `more than ${limits.maxDeletes} deletes within ${window}`;
  if (totals.groupRemovals > limits.maxGroupRemovals) {
    return `more than ${limits.maxGroupRemovals} group removals within ${window}`;
  }
  return undefined;
}
