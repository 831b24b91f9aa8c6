// setAutoReply: Set-MailboxAutoReplyConfiguration — Enabled with the flow's templated messages (leaver), or
// Disabled (return).
import { APPLIED, type OpModule } from '../../apply/context';
import type { Attributes, OperationParamsByKind, Reason, Target } from '../../plan/model';
import { makeOp } from '../build';
import { mailboxIdentity, mailboxesOf } from './ports';

export function planSetAutoReply(
  target: Target,
  before: Attributes,
  params: OperationParamsByKind['setAutoReply'],
  reason: Reason,
  dependsOn: string[],
) {
  return makeOp('setAutoReply', {
    target,
    reason,
    before,
    after: {
      autoReplyState: params.state,
      ...(params.internalMessage !== undefined ? { internalMessage: params.internalMessage } : {}),
      ...(params.externalMessage !== undefined ? { externalMessage: params.externalMessage } : {}),
      ...(params.externalAudience !== undefined ? { externalAudience: params.externalAudience } : {}),
    },
    params,
    dependsOn,
  });
}

export const setAutoReply: OpModule<'setAutoReply'> = {
  kind: 'setAutoReply',
  async apply(op, ctx) {
    await mailboxesOf(ctx, op).setAutoReply(mailboxIdentity(op, ctx), op.params);
    return APPLIED;
  },
};
