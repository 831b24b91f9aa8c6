/**
 * The playbook planner, called by the engine's pure planner (engine/planner/plan.ts) after licences: leaver steps
 * (differences only, ordered by dependsOn), the licence gate, or the reversal on return. Pure.
 */
import { ONEDRIVE_OPERATION_KINDS, PLAYBOOK_OPERATION_KINDS } from '../../engine/ops/exchange/kinds';
import type { Operation } from '../../engine/plan/model';
import type { PlanningContext } from '../../engine/planner/context';
import { gateLicenceRemoval } from './licenceGate';
import { planLeaverSteps } from './leaver';
import { planReturnSteps } from './reverse';

const MAILBOX_KINDS: ReadonlySet<string> = new Set(
  PLAYBOOK_OPERATION_KINDS.filter((k) => !ONEDRIVE_OPERATION_KINDS.includes(k)),
);

/** Records the mailbox's UPN on the Exchange operations (the documented -Identity form); only this planner makes them. */
function stampMailbox(ctx: PlanningContext): void {
  const user = ctx.observed.user;
  const upn = user && !user.deleted ? user.attributes.userPrincipalName : undefined;
  if (typeof upn !== 'string' || upn === '') return;
  for (let i = 0; i < ctx.ops.length; i++) {
    const op = ctx.ops[i]!;
    if (MAILBOX_KINDS.has(op.kind))
      ctx.ops[i] = { ...op, params: { ...op.params, mailbox: upn } } as Operation;
  }
}

export function planPlaybook(ctx: PlanningContext): void {
  const desired = ctx.desired.playbook;
  if (!desired) return;
  const observed = ctx.observed.playbook;
  if (desired.mode === 'return') {
    // A new account (the old one purged, or past the restore window) has nothing of the leaver's to undo.
    if (!ctx.created) planReturnSteps(ctx, desired.steps, observed);
  } else if (observed && !ctx.created) {
    const waitFor = planLeaverSteps(ctx, desired.steps, observed);
    gateLicenceRemoval(ctx, desired.steps, observed, waitFor);
  }
  stampMailbox(ctx);
}
