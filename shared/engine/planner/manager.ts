// Manager reference: set, change or remove by employee id; a manager not in Entra yet is awaited, never failed.
import { planAwaitManager } from '../ops/awaitManager';
import { planRedriveReports } from '../ops/redriveReports';
import { planRemoveManager } from '../ops/removeManager';
import { planSetManager } from '../ops/setManager';
import { accountDeps, isLeaverPhase, runs, type PlanningContext } from './context';

export function planManager(ctx: PlanningContext): void {
  const wanted = ctx.desired.managerEmployeeId;
  if (wanted === undefined || isLeaverPhase(ctx)) return;
  if (!ctx.created && !runs(ctx, 'update')) return;
  const current = ctx.created ? null : ctx.observed.managerObjectId;
  if (wanted === null) {
    if (current) ctx.ops.push(planRemoveManager(ctx.target, current, 'managerRemoved', accountDeps(ctx)));
    return;
  }
  const resolved = ctx.observed.resolved.manager;
  const managerId = resolved && resolved.employeeId === wanted ? resolved.objectId : null;
  if (!managerId) {
    if (ctx.observed.bookkeeping.pendingManager !== wanted)
      ctx.ops.push(planAwaitManager(ctx.target, wanted));
    return;
  }
  if (managerId === current) return;
  const reason = current
    ? 'managerChanged'
    : ctx.observed.bookkeeping.pendingManager
      ? 'managerPending'
      : 'managerChanged';
  ctx.ops.push(
    planSetManager(
      ctx.target,
      current,
      { employeeId: wanted, objectId: managerId },
      reason,
      accountDeps(ctx),
    ),
  );
}

/** When this worker's account appears (or reports still wait), re-drive the reports waiting for it. */
export function planRedrive(ctx: PlanningContext): void {
  const appears = ctx.accountOpId !== undefined;
  if (!appears && ctx.observed.bookkeeping.waitingReports === 0) return;
  if (!appears && (!ctx.observed.user || ctx.observed.user.deleted)) return;
  ctx.ops.push(planRedriveReports(ctx.target, accountDeps(ctx)));
}
