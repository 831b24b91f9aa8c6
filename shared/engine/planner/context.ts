// Shared state of one planning pass: the inputs, the target, and the operations collected so far.
import type { DesiredState } from '../desired/model';
import type { ObservedState } from '../observe/model';
import type { Operation, Target } from '../plan/model';
import type { LeaverActions, PlanPolicy } from './policy';

export interface PlanningContext {
  readonly desired: DesiredState;
  readonly observed: ObservedState;
  readonly policy: PlanPolicy;
  readonly target: Target;
  readonly ops: Operation[];
  /** Id of the createUser/restoreUser op in this plan, which every later op depends on. */
  accountOpId?: string;
  /** True when the account is created by this plan (nothing observed to diff against). */
  created: boolean;
  /** Leave/termination/retirement actions for the current phase; undefined when none apply. */
  readonly leaverActions?: LeaverActions;
}

export function accountDeps(ctx: PlanningContext): string[] {
  return ctx.accountOpId ? [ctx.accountOpId] : [];
}

export function runs(ctx: PlanningContext, stage: PlanPolicy['run'][number]): boolean {
  return ctx.policy.run.includes(stage);
}

export function isLeaverPhase(ctx: PlanningContext): boolean {
  const p = ctx.desired.decision.phase;
  return p === 'terminated' || p === 'retired';
}
