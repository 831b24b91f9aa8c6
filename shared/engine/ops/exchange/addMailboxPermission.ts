// addMailboxPermission: Add-MailboxPermission -AccessRights FullAccess for the manager or a listed person.
import { APPLIED, type OpModule } from '../../apply/context';
import type { Reason, Target } from '../../plan/model';
import { makeOp } from '../build';
import { mailboxIdentity, mailboxesOf } from './ports';

export function planAddMailboxPermission(
  target: Target,
  trustee: string,
  autoMapping: boolean,
  reason: Reason,
  dependsOn: string[],
) {
  return makeOp('addMailboxPermission', {
    id: `addMailboxPermission:${trustee}`,
    target,
    reason,
    before: { [`fullAccess:${trustee}`]: false },
    after: { [`fullAccess:${trustee}`]: true },
    params: { trustee, autoMapping },
    dependsOn,
  });
}

export const addMailboxPermission: OpModule<'addMailboxPermission'> = {
  kind: 'addMailboxPermission',
  async apply(op, ctx) {
    await mailboxesOf(ctx, op).addFullAccess(
      mailboxIdentity(op, ctx),
      op.params.trustee,
      op.params.autoMapping,
    );
    return APPLIED;
  },
};
