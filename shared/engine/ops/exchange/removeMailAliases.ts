// removeMailAliases: Set-Mailbox -EmailAddresses @{Remove=…} for the secondary SMTP aliases (the primary address
// and the tenant's routing address stay).
import { APPLIED, type OpModule } from '../../apply/context';
import type { Reason, Target } from '../../plan/model';
import { makeOp } from '../build';
import { mailboxIdentity, mailboxesOf } from './ports';

export function planRemoveMailAliases(
  target: Target,
  addresses: readonly string[],
  reason: Reason,
  dependsOn: string[],
) {
  return makeOp('removeMailAliases', {
    target,
    reason,
    before: { aliases: [...addresses] },
    after: { aliases: [] },
    params: { addresses: [...addresses] },
    dependsOn,
  });
}

export const removeMailAliases: OpModule<'removeMailAliases'> = {
  kind: 'removeMailAliases',
  async apply(op, ctx) {
    await mailboxesOf(ctx, op).setMailbox(mailboxIdentity(op, ctx), {
      removeEmailAddresses: op.params.addresses,
    });
    return APPLIED;
  },
};
