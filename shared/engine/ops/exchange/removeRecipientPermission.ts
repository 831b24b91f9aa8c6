// removeRecipientPermission: Remove-RecipientPermission -AccessRights SendAs, when a returning worker's flow says
// the Send As granted on leaving goes (`revokeOnReturn`).
import { APPLIED, type OpModule } from '../../apply/context';
import type { Reason, Target } from '../../plan/model';
import { makeOp } from '../build';
import { mailboxIdentity, mailboxesOf } from './ports';

export function planRemoveRecipientPermission(
  target: Target,
  trustee: string,
  reason: Reason,
  dependsOn: string[],
) {
  return makeOp('removeRecipientPermission', {
    id: `removeRecipientPermission:${trustee}`,
    target,
    reason,
    before: { [`sendAs:${trustee}`]: true },
    after: { [`sendAs:${trustee}`]: false },
    params: { trustee },
    dependsOn,
  });
}

export const removeRecipientPermission: OpModule<'removeRecipientPermission'> = {
  kind: 'removeRecipientPermission',
  async apply(op, ctx) {
    await mailboxesOf(ctx, op).removeSendAs(mailboxIdentity(op, ctx), op.params.trustee);
    return APPLIED;
  },
};
