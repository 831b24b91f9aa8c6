// setAddressListVisibility: Set-Mailbox -HiddenFromAddressListsEnabled (hidden for a leaver, shown on return).
import { APPLIED, type OpModule } from '../../apply/context';
import type { Reason, Target } from '../../plan/model';
import { makeOp } from '../build';
import { mailboxIdentity, mailboxesOf } from './ports';

export function planSetAddressListVisibility(
  target: Target,
  hidden: boolean,
  reason: Reason,
  dependsOn: string[],
) {
  return makeOp('setAddressListVisibility', {
    target,
    reason,
    before: { hiddenFromAddressListsEnabled: !hidden },
    after: { hiddenFromAddressListsEnabled: hidden },
    params: { hidden },
    dependsOn,
  });
}

export const setAddressListVisibility: OpModule<'setAddressListVisibility'> = {
  kind: 'setAddressListVisibility',
  async apply(op, ctx) {
    await mailboxesOf(ctx, op).setMailbox(mailboxIdentity(op, ctx), {
      hiddenFromAddressListsEnabled: op.params.hidden,
    });
    return APPLIED;
  },
};
