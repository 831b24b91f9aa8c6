// addRecipientPermission: Add-RecipientPermission -AccessRights SendAs for the manager or a listed person.
import { APPLIED, type OpModule } from '../../apply/context';
import type { Reason, Target } from '../../plan/model';
import { makeOp } from '../build';
import { mailboxIdentity, mailboxesOf } from './ports';

export function planAddRecipientPermission(
  target: Target,
  trustee: string,
  reason: Reason,
  dependsOn: string[],
) {
  return makeOp('addRecipientPermission', {
    id: `addRecipientPermission:${trustee}`,
    target,
    reason,
    before: { [`sendAs:${trustee}`]: false },
    after: { [`sendAs:${trustee}`]: true },
    params: { trustee },
    dependsOn,
  });
}

export const addRecipientPermission: OpModule<'addRecipientPermission'> = {
  kind: 'addRecipientPermission',
  async apply(op, ctx) {
    await mailboxesOf(ctx, op).addSendAs(mailboxIdentity(op, ctx), op.params.trustee);
    return APPLIED;
  },
};
