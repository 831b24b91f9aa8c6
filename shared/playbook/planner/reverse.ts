/**
 * Return (rehire, end of leave): undo the reversible steps the flow's playbooks have — auto-reply off, forwarding
 * off, shown in the address lists, litigation hold released only with `releaseOnReturn`, and last the mailbox back
 * to a user mailbox (after the licence is back), so a shared mailbox keeps signalling an unfinished return. Granted
 * access stays unless the step says `revokeOnReturn` (then the step's recipients lose Full Access / Send As). Runs when the worker comes back from a leaver phase, when this plan restores the
 * account, or when an active worker still has a shared mailbox.
 */
import { planRemoveMailboxPermission } from '../../engine/ops/exchange/removeMailboxPermission';
import { planRemoveRecipientPermission } from '../../engine/ops/exchange/removeRecipientPermission';
import { planSetAddressListVisibility } from '../../engine/ops/exchange/setAddressListVisibility';
import { planSetAutoReply } from '../../engine/ops/exchange/setAutoReply';
import { planSetForwarding } from '../../engine/ops/exchange/setForwarding';
import { planSetLitigationHold } from '../../engine/ops/exchange/setLitigationHold';
import { planSetMailboxType } from '../../engine/ops/exchange/setMailboxType';
import type { Operation, Reason } from '../../engine/plan/model';
import { accountDeps, type PlanningContext } from '../../engine/planner/context';
import type { ObservedMailbox, ObservedPlaybook } from '../model';
import type { StepOptions } from '../steps';
import { resolveAll, trusteeOf } from './recipients';

const LEAVER_PHASES = new Set(['leave', 'terminated', 'retired', 'deleted']);

function returning(ctx: PlanningContext, mb: ObservedMailbox | null): boolean {
  const prev = ctx.desired.previousPhase;
  return (
    (prev !== undefined && LEAVER_PHASES.has(prev)) ||
    ctx.accountOpId === 'restoreUser' ||
    mb?.mailbox.type === 'SharedMailbox'
  );
}

function reason(ctx: PlanningContext): Reason {
  return ctx.desired.previousPhase === 'leave' ? 'leaveEnded' : 'rehire';
}

/** `observed` is undefined when the account is being restored (its mailbox cannot be read before). */
export function planReturnSteps(
  ctx: PlanningContext,
  steps: readonly StepOptions[],
  observed: ObservedPlaybook | undefined,
): void {
  const mbObs = observed?.mailbox;
  if (mbObs?.status === 'absent') return;
  const mb = mbObs?.status === 'present' ? mbObs : null;
  if (!returning(ctx, mb)) return;
  const m = mb?.mailbox;
  const why = reason(ctx);
  const deps = accountDeps(ctx);
  const ops: Operation[] = [];
  const has = (k: StepOptions['kind']): StepOptions | undefined => steps.find((s) => s.kind === k);
  if (has('setAutoReply') && (!mb || mb.autoReply.state !== 'Disabled'))
    ops.push(
      planSetAutoReply(
        ctx.target,
        mb ? { autoReplyState: mb.autoReply.state } : {},
        { state: 'Disabled' },
        why,
        deps,
      ),
    );
  if (has('forwardMail') && (!m || m.forwardingSmtpAddress !== null))
    ops.push(
      planSetForwarding(
        ctx.target,
        m ? { forwardingSmtpAddress: m.forwardingSmtpAddress } : {},
        null,
        false,
        why,
        deps,
      ),
    );
  if (has('hideFromAddressLists') && (!m || m.hiddenFromAddressLists))
    ops.push(planSetAddressListVisibility(ctx.target, false, why, deps));
  const hold = has('litigationHold');
  if (hold?.kind === 'litigationHold' && hold.releaseOnReturn && (!m || m.litigationHold))
    ops.push(planSetLitigationHold(ctx.target, false, undefined, why, deps));
  const grant = has('grantMailboxAccess');
  if (grant?.kind === 'grantMailboxAccess' && grant.revokeOnReturn && mb) {
    // Only what can be seen granted now (an unread mailbox gives nothing to revoke).
    const { addresses } = resolveAll(grant.to, (r) => trusteeOf(r, observed?.manager ?? null));
    for (const who of addresses) {
      if (grant.fullAccess && mb.fullAccess.includes(who))
        ops.push(planRemoveMailboxPermission(ctx.target, who, why, deps));
      if (grant.sendAs && mb.sendAs.includes(who))
        ops.push(planRemoveRecipientPermission(ctx.target, who, why, deps));
    }
  }
  if (has('convertToSharedMailbox') && (!m || m.type === 'SharedMailbox')) {
    const licence = ctx.ops.filter((o) => o.kind === 'assignLicenses').map((o) => o.id);
    const enable = ctx.ops.filter((o) => o.kind === 'enableUser').map((o) => o.id);
    ops.push(
      planSetMailboxType(ctx.target, m?.type ?? 'SharedMailbox', 'Regular', why, [
        ...new Set([...deps, ...licence, ...enable, ...ops.map((o) => o.id)]),
      ]),
    );
  }
  ctx.ops.push(...ops);
}
