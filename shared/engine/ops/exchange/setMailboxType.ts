// setMailboxType: Set-Mailbox -Type Shared (leaver) or Regular (return). Licence removal depends on the conversion.
import { APPLIED, type OpModule } from '../../apply/context';
import type { Reason, Target } from '../../plan/model';
import { makeOp } from '../build';
import { mailboxIdentity, mailboxesOf } from './ports';

export function planSetMailboxType(
  target: Target,
  from: string,
  type: 'Shared' | 'Regular',
  reason: Reason,
  dependsOn: string[],
) {
  return makeOp('setMailboxType', {
    id: 'setMailboxType',
    target,
    reason,
    before: { recipientTypeDetails: from },
    after: { recipientTypeDetails: type === 'Shared' ? 'SharedMailbox' : 'UserMailbox' },
    params: { type },
    dependsOn,
  });
}

export const setMailboxType: OpModule<'setMailboxType'> = {
  kind: 'setMailboxType',
  async apply(op, ctx) {
    await mailboxesOf(ctx, op).setMailbox(mailboxIdentity(op, ctx), { type: op.params.type });
    return APPLIED;
  },
};
