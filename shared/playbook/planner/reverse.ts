/**
 * Return (rehire, end of leave): undo the reversible steps the flow's playbooks have — auto-reply off, forwarding
 * off, shown in the address lists, litigation hold released only with `releaseOnReturn`, and last the mailbox back
 * to a user mailbox (after the licence is back), so a shared mailbox keeps signalling an unfinished return. Granted
 * access stays unless the step says `revokeOnReturn`: then the step's recipients as they resolve now lose Full
 * Access / Send As (grantMailboxAccess) or their grant on the OneDrive root (shareOneDrive). Runs when the worker
 * comes back from a leaver phase, when this plan restores the account, or when an active worker still has a shared
 * mailbox.
 */
import { planRemoveMailboxPermission } from '../../engine/ops/exchange/removeMailboxPermission';
import { planRemoveRecipientPermission } from '../../engine/ops/exchange/removeRecipientPermission';
import { planSetAddressListVisibility } from '../../engine/ops/exchange/setAddressListVisibility';
import { planSetAutoReply } from '../../engine/ops/exchange/setAutoReply';
import { planSetForwarding } from '../../engine/ops/exchange/setForwarding';
import { planSetLitigationHold } from '../../engine/ops/exchange/setLitigationHold';
import { planSetMailboxType } from '../../engine/ops/exchange/setMailboxType';
import { grantsOf, planRevokeOneDriveShare } from '../../engine/ops/onedrive/revokeOneDriveShare';
import type { Operation, Reason } from '../../engine/plan/model';
import { accountDeps, type PlanningContext } from '../../engine/planner/context';
import type { ObservedMailbox, ObservedPlaybook } from '../model';
import type { StepOptions } from '../steps';
import { mailOf, resolveAll, trusteeOf } from './recipients';

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
  const mb = mbObs?.status === 'present' ? mbObs : null;
  if (!returning(ctx, mb)) return;
  const why = reason(ctx);
  const deps = accountDeps(ctx);
  const ops: Operation[] = mbObs?.status === 'absent' ? [] : mailboxReversal(ctx, steps, observed, why, deps);
  ops.push(...oneDriveReversal(ctx, steps, observed, why, deps));
  const has = (k: StepOptions['kind']): StepOptions | undefined => steps.find((s) => s.kind === k);
  const m = mb?.mailbox;
  if (mbObs?.status !== 'absent' && has('convertToSharedMailbox') && (!m || m.type === 'SharedMailbox')) {
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

/** The mailbox's reversals before its conversion back (each only when observed set, or unobserved). */
function mailboxReversal(
  ctx: PlanningContext,
  steps: readonly StepOptions[],
  observed: ObservedPlaybook | undefined,
  why: Reason,
  deps: string[],
): Operation[] {
  const mbObs = observed?.mailbox;
  const mb = mbObs?.status === 'present' ? mbObs : null;
  const m = mb?.mailbox;
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
  if (
    grant?.kind === 'grantMailboxAccess' &&
    grant.revokeOnReturn &&
    (mb || mbObs?.status === 'unavailable')
  ) {
    // What can be seen granted now; when the mailbox could not be read (restored by this plan, or a lasting
    // refusal) the removals are planned as written: they are idempotent, or fail with the refusal's reason.
    const { addresses } = resolveAll(grant.to, (r) => trusteeOf(r, observed?.manager ?? null));
    for (const who of addresses) {
      if (grant.fullAccess && (!mb || mb.fullAccess.includes(who)))
        ops.push(planRemoveMailboxPermission(ctx.target, who, why, deps));
      if (grant.sendAs && (!mb || mb.sendAs.includes(who)))
        ops.push(planRemoveRecipientPermission(ctx.target, who, why, deps));
    }
  }
  return ops;
}

/**
 * shareOneDrive with `revokeOnReturn`: the root grants of the step's recipients as they resolve now (the manager by
 * object id, mail or UPN; listed addresses by e-mail), never the owner's, inherited ones or anyone else's. When the
 * drive could not be read (the account is restored by this plan, or a lasting refusal) the revocation is planned as
 * written and finds the grants at apply time (or fails with the refusal's reason).
 */
function oneDriveReversal(
  ctx: PlanningContext,
  steps: readonly StepOptions[],
  observed: ObservedPlaybook | undefined,
  why: Reason,
  deps: string[],
): Operation[] {
  const share = steps.find((s) => s.kind === 'shareOneDrive');
  if (share?.kind !== 'shareOneDrive' || !share.revokeOnReturn) return [];
  const drive = observed?.oneDrive;
  // Read and missing, or not read because no return is under way.
  if (drive?.status === 'absent' || (observed && !drive)) return [];
  const manager = observed?.manager ?? null;
  const { addresses } = resolveAll(share.to, (r) => mailOf(r, manager));
  if (manager && share.to.includes('manager') && !addresses.includes(manager.userPrincipalName))
    addresses.push(manager.userPrincipalName);
  const managerId = share.to.includes('manager')
    ? (manager?.objectId ?? ctx.observed.resolved.manager?.objectId ?? null)
    : null;
  const userIds = managerId ? [managerId] : [];
  if (drive?.status !== 'present') {
    if (addresses.length === 0 && userIds.length === 0) return [];
    const revocation = { driveId: null, recipients: addresses, userIds, permissionIds: [] };
    return [planRevokeOneDriveShare(ctx.target, revocation, {}, why, deps)];
  }
  const grants = grantsOf(drive.grants, addresses, userIds);
  if (grants.length === 0) return [];
  const revocation = {
    driveId: drive.driveId,
    recipients: addresses,
    userIds,
    permissionIds: grants.map((g) => g.permissionId),
  };
  const roles = Object.fromEntries(
    grants.map((g) => [g.email ?? g.userId ?? g.permissionId, g.roles.join(',')]),
  );
  return [planRevokeOneDriveShare(ctx.target, revocation, roles, why, deps)];
}
