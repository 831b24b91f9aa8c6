/**
 * Leaver steps → operations for the differences only, chained by dependsOn in the playbook's order: litigation
 * hold (while the licence is still there) → convert to shared → Full Access / Send As → auto-reply → forwarding →
 * hidden from the address lists → aliases removed → OneDrive shared (the order the hand-over is audited in). When the mailbox
 * could not be observed for a lasting reason, its steps are planned as they are written so each fails with that
 * reason at apply time (and the licence gate keeps the licence).
 */
import { planAddMailboxPermission } from '../../engine/ops/exchange/addMailboxPermission';
import { planAddRecipientPermission } from '../../engine/ops/exchange/addRecipientPermission';
import { planRemoveMailAliases } from '../../engine/ops/exchange/removeMailAliases';
import { planSetAddressListVisibility } from '../../engine/ops/exchange/setAddressListVisibility';
import { planSetAutoReply } from '../../engine/ops/exchange/setAutoReply';
import { planSetForwarding } from '../../engine/ops/exchange/setForwarding';
import { planSetLitigationHold } from '../../engine/ops/exchange/setLitigationHold';
import { planSetMailboxType } from '../../engine/ops/exchange/setMailboxType';
import { planShareOneDrive } from '../../engine/ops/onedrive/shareOneDrive';
import type { Attributes, Operation } from '../../engine/plan/model';
import { accountDeps, type PlanningContext } from '../../engine/planner/context';
import type { ObservedMailbox, ObservedPlaybook } from '../model';
import type { StepOptions } from '../steps';
import { sameMessage } from './messages';
import { mailOf, resolveAll, trusteeOf } from './recipients';
import { planNote } from './note';

const ROUTING_DOMAIN = /@[^@]+\.onmicrosoft\.(com|us|cn|de)$/i;

/** What the planner knows of the mailbox: observed, or unknown (plan every step as written). */
type Known = ObservedMailbox | null;

function noManager(ctx: PlanningContext, step: string): Operation {
  return planNote(
    ctx.target,
    `${step}:noManager`,
    `${step}: the worker has no manager in Entra, so nobody was added.`,
  );
}

function mailboxOps(
  ctx: PlanningContext,
  step: StepOptions,
  mb: Known,
  observed: ObservedPlaybook,
  deps: string[],
): Operation[] {
  const t = ctx.target;
  const m = mb?.mailbox;
  switch (step.kind) {
    case 'litigationHold':
      return m?.litigationHold ? [] : [planSetLitigationHold(t, true, step.durationDays, 'playbook', deps)];
    case 'convertToSharedMailbox':
      return m?.type === 'SharedMailbox'
        ? []
        : [planSetMailboxType(t, m?.type ?? 'UserMailbox', 'Shared', 'playbook', deps)];
    case 'grantMailboxAccess': {
      const { addresses, missing } = resolveAll(step.to, (r) => trusteeOf(r, observed.manager));
      const ops: Operation[] = missing > 0 ? [noManager(ctx, step.kind)] : [];
      for (const who of addresses) {
        if (step.fullAccess && !mb?.fullAccess.includes(who))
          ops.push(planAddMailboxPermission(t, who, step.autoMapping, 'playbook', deps));
        if (step.sendAs && !mb?.sendAs.includes(who))
          ops.push(planAddRecipientPermission(t, who, 'playbook', deps));
      }
      return ops;
    }
    case 'setAutoReply': {
      const r = mb?.autoReply;
      const same =
        r !== undefined &&
        r.state === 'Enabled' &&
        r.externalAudience === step.externalAudience &&
        sameMessage(r.internalMessage, step.internalMessage) &&
        sameMessage(r.externalMessage, step.externalMessage);
      if (same) return [];
      const params = {
        state: 'Enabled' as const,
        internalMessage: step.internalMessage,
        externalMessage: step.externalMessage,
        externalAudience: step.externalAudience,
      };
      return [planSetAutoReply(t, r ? { autoReplyState: r.state } : {}, params, 'playbook', deps)];
    }
    case 'forwardMail': {
      const to = mailOf(step.to, observed.manager)?.toLowerCase();
      if (!to) return [noManager(ctx, step.kind)];
      if (
        m &&
        m.forwardingSmtpAddress?.toLowerCase() === to &&
        m.deliverToMailboxAndForward === step.keepCopy
      )
        return [];
      const before: Attributes = m
        ? {
            forwardingSmtpAddress: m.forwardingSmtpAddress,
            deliverToMailboxAndForward: m.deliverToMailboxAndForward,
          }
        : {};
      return [planSetForwarding(t, before, to, step.keepCopy, 'playbook', deps)];
    }
    case 'hideFromAddressLists':
      return m?.hiddenFromAddressLists ? [] : [planSetAddressListVisibility(t, true, 'playbook', deps)];
    case 'removeAliases': {
      if (!m) return [];
      const aliases = m.emailAddresses.filter((a) => a.startsWith('smtp:') && !ROUTING_DOMAIN.test(a));
      return aliases.length === 0 ? [] : [planRemoveMailAliases(t, aliases, 'playbook', deps)];
    }
    default:
      return [];
  }
}

function oneDriveOps(
  ctx: PlanningContext,
  deps: string[],
  step: Extract<StepOptions, { kind: 'shareOneDrive' }>,
  observed: ObservedPlaybook,
): Operation[] {
  const drive = observed.oneDrive;
  if (!drive) return [];
  if (drive.status === 'absent')
    return [
      planNote(ctx.target, 'shareOneDrive:noDrive', 'shareOneDrive: the worker has no OneDrive to share.'),
    ];
  const { addresses, missing } = resolveAll(step.to, (r) => mailOf(r, observed.manager));
  const ops: Operation[] = missing > 0 ? [noManager(ctx, step.kind)] : [];
  const granted = (a: string): boolean =>
    drive.status === 'present' &&
    drive.grants.some(
      (g) =>
        g.roles.some((r) => r === step.role || r === 'write') &&
        (g.email === a ||
          (observed.manager !== null &&
            g.userId === observed.manager.objectId &&
            (a === observed.manager.mail || a === observed.manager.userPrincipalName))),
    );
  const notYetGranted = addresses.filter((a) => !granted(a));
  if (notYetGranted.length > 0) {
    const driveId = drive.status === 'present' ? drive.driveId : null;
    ops.push(planShareOneDrive(ctx.target, driveId, notYetGranted, step.role, 'playbook', deps));
  }
  return ops;
}

/** Pushes the leaver operations; returns the ids the licence removal must wait for. */
export function planLeaverSteps(
  ctx: PlanningContext,
  steps: readonly StepOptions[],
  observed: ObservedPlaybook,
): string[] {
  const waitFor: string[] = [];
  const mb = observed.mailbox;
  let deps = accountDeps(ctx);
  if (mb.status !== 'absent') {
    const known: Known = mb.status === 'present' ? mb : null;
    for (const step of steps) {
      const ops = mailboxOps(ctx, step, known, observed, deps);
      const writes = ops.filter((o) => o.kind !== 'noop');
      ctx.ops.push(...ops);
      if (writes.length > 0) {
        deps = writes.map((o) => o.id);
        waitFor.push(...deps);
      }
    }
  }
  for (const step of steps) {
    if (step.kind !== 'shareOneDrive') continue;
    const ops = oneDriveOps(ctx, deps, step, observed);
    ctx.ops.push(...ops);
    waitFor.push(...ops.filter((o) => o.kind !== 'noop').map((o) => o.id));
  }
  return waitFor;
}
