// setForwarding: Set-Mailbox -ForwardingSmtpAddress (null clears) -DeliverToMailboxAndForward.
import { APPLIED, type OpModule } from '../../apply/context';
import type { Attributes, Reason, Target } from '../../plan/model';
import { makeOp } from '../build';
import { mailboxIdentity, mailboxesOf } from './ports';

export function planSetForwarding(
  target: Target,
  before: Attributes,
  address: string | null,
  keepCopy: boolean,
  reason: Reason,
  dependsOn: string[],
) {
  return makeOp('setForwarding', {
    target,
    reason,
    before,
    after: { forwardingSmtpAddress: address, deliverToMailboxAndForward: keepCopy },
    params: { address, keepCopy },
    dependsOn,
  });
}

export const setForwarding: OpModule<'setForwarding'> = {
  kind: 'setForwarding',
  async apply(op, ctx) {
    await mailboxesOf(ctx, op).setMailbox(mailboxIdentity(op, ctx), {
      forwardingSmtpAddress: op.params.address,
      deliverToMailboxAndForward: op.params.keepCopy,
    });
    return APPLIED;
  },
};
