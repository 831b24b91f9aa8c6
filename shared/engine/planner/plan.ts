/**
 * The pure planner: plan(desired, observed, policy, now) → Plan. No I/O, no clock, no env: every input is
 * passed in. Observed == desired gives a plan with no operations.
 */
import { createHash } from 'node:crypto';
import { checkDependencies } from '../plan/codec';
import { PLAN_SCHEMA_VERSION, type Plan, type Reason } from '../plan/model';
import type { DesiredState } from '../desired/model';
import type { ObservedState } from '../observe/model';
import { planScheduleFollowUp } from '../ops/scheduleFollowUp';
import type { StageDecision } from '../stage/stage';
import { planAccount, planAttributes, planEnablement } from './account';
import type { PlanningContext } from './context';
import { planGroups, planLicenses } from './entitlements';
import { planManager, planRedrive } from './manager';
import type { LeaverActions, PlanPolicy } from './policy';
import { planPlaybook } from '../../playbook/planner';

const FOLLOW_UP_PURPOSE: Record<NonNullable<StageDecision['nextChange']>, Reason> = {
  createAccount: 'hire',
  startDate: 'startDateReached',
  termination: 'terminated',
  deletion: 'deleteAfterTermination',
};

export function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 32);
}

function leaverActionsFor(desired: DesiredState, policy: PlanPolicy): LeaverActions | undefined {
  const { phase, leaveKind } = desired.decision;
  if (phase === 'terminated') return policy.run.includes('termination') ? policy.termination : undefined;
  if (phase === 'retired') return policy.run.includes('termination') ? policy.retirement : undefined;
  if (phase === 'leave' && policy.run.includes('leave') && leaveKind) return policy.leave[leaveKind];
  return undefined;
}

function planFollowUp(ctx: PlanningContext): void {
  const { nextChangeAt, nextChange } = ctx.desired.decision;
  if (!nextChangeAt || !nextChange) return;
  if (ctx.observed.bookkeeping.scheduledWakeAt === nextChangeAt) return;
  ctx.ops.push(planScheduleFollowUp(ctx.target, nextChangeAt, FOLLOW_UP_PURPOSE[nextChange], []));
}

export function plan(desired: DesiredState, observed: ObservedState, policy: PlanPolicy, now: Date): Plan {
  const user = observed.user;
  const ctx: PlanningContext = {
    desired,
    observed,
    policy,
    target: {
      flow: desired.flow,
      employeeId: desired.employeeId,
      objectId: user && !user.deleted ? user.id : null,
    },
    ops: [],
    created: false,
    leaverActions: leaverActionsFor(desired, policy),
  };
  const leaverNotRun =
    (desired.decision.phase === 'terminated' || desired.decision.phase === 'retired') && !ctx.leaverActions;
  if (!leaverNotRun && planAccount(ctx, now)) {
    const attributeOpId = planAttributes(ctx);
    planEnablement(ctx);
    planManager(ctx);
    planGroups(ctx);
    planLicenses(ctx, attributeOpId);
    // Exchange/OneDrive leaver playbook (issue 9): its steps, the licence gate, the reversal on return.
    planPlaybook(ctx);
    planRedrive(ctx);
  }
  planFollowUp(ctx);
  checkDependencies(ctx.ops);
  return {
    schemaVersion: PLAN_SCHEMA_VERSION,
    createdAt: now.toISOString(),
    flow: desired.flow,
    employeeId: desired.employeeId,
    snapshot: desired.snapshot,
    observation: { takenAt: observed.takenAt, objectId: user?.id ?? null, hash: hashOf(observed) },
    stage: {
      stage: desired.decision.phase === 'notYet' ? 'prehire' : desired.decision.phase,
      ...(desired.decision.leaveKind ? { leaveKind: desired.decision.leaveKind } : {}),
      ...(desired.decision.nextChangeAt ? { nextChangeAt: desired.decision.nextChangeAt } : {}),
    },
    operations: ctx.ops,
  };
}
