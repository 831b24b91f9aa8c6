// removeMailboxPermission: Remove-MailboxPermission -AccessRights FullAccess, when a returning worker's flow says
// the access granted on leaving goes (`revokeOnReturn`).
import { APPLIED, type OpModule } from '../../apply/context';
import type { Reason, Target } from '../../plan/model';
import { makeOp } from '../build';
import { mailboxIdentity, mailboxesOf } from './ports';

export function planRemoveMailboxPermission(
  target: Target,
  trustee: string,
  reason: Reason,
  dependsOn: string[],
) {
  return makeOp('removeMailboxPermission', {
    id: `removeMailboxPermission:${trustee}`,
    target,
    reason,
    before: { [`fullAccess:${trustee}`]: true },
    after: { [`fullAccess:${trustee}`]: false },
    params: { trustee },
    dependsOn,
  });
}

export const removeMailboxPermission: OpModule<'removeMailboxPermission'> = {
  kind: 'removeMailboxPermission',
  async apply(op, ctx) {
    await mailboxesOf(ctx, op).removeFullAccess(mailboxIdentity(op, ctx), op.params.trustee);
    return APPLIED;
  },
};
