/**
 * The playbook planner, called by the engine's pure planner (engine/planner/plan.ts) after licences: leaver steps
 * (differences only, ordered by dependsOn), the licence gate, or the reversal on return. Pure.
 */
import type { PlanningContext } from '../../engine/planner/context';
import { gateLicenceRemoval } from './licenceGate';
import { planLeaverSteps } from './leaver';
import { planReturnSteps } from './reverse';

export function planPlaybook(ctx: PlanningContext): void {
  const desired = ctx.desired.playbook;
  if (!desired) return;
  const observed = ctx.observed.playbook;
  if (desired.mode === 'return') {
    planReturnSteps(ctx, desired.steps, observed);
    return;
  }
  if (!observed || ctx.created) return;
  const waitFor = planLeaverSteps(ctx, desired.steps, observed);
  gateLicenceRemoval(ctx, desired.steps, observed, waitFor);
}
