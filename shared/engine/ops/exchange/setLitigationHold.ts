// setLitigationHold: Set-Mailbox -LitigationHoldEnabled. Planned before the conversion (hold needs Plan 2 rights,
// which the mailbox still has then); the licence gate keeps that licence afterwards.
import { APPLIED, type OpModule } from '../../apply/context';
import type { Reason, Target } from '../../plan/model';
import { makeOp } from '../build';
import { mailboxIdentity, mailboxesOf } from './ports';

export function planSetLitigationHold(
  target: Target,
  enabled: boolean,
  durationDays: number | undefined,
  reason: Reason,
  dependsOn: string[],
) {
  return makeOp('setLitigationHold', {
    target,
    reason,
    before: { litigationHoldEnabled: !enabled },
    after: {
      litigationHoldEnabled: enabled,
      ...(durationDays ? { litigationHoldDurationDays: durationDays } : {}),
    },
    params: { enabled, ...(durationDays ? { durationDays } : {}) },
    dependsOn,
  });
}

export const setLitigationHold: OpModule<'setLitigationHold'> = {
  kind: 'setLitigationHold',
  async apply(op, ctx) {
    await mailboxesOf(ctx, op).setMailbox(mailboxIdentity(op, ctx), {
      litigationHoldEnabled: op.params.enabled,
      ...(op.params.durationDays ? { litigationHoldDurationDays: op.params.durationDays } : {}),
    });
    return APPLIED;
  },
};
