// disableUser: accountEnabled true → false (leave with disable, termination, retirement).
import { objectIdFor, APPLIED, type OpModule } from '../apply/context';
import type { Reason, Target } from '../plan/model';
import { makeOp } from './build';

export function planDisableUser(target: Target, reason: Reason, dependsOn: string[]) {
  return makeOp('disableUser', {
    target,
    reason,
    before: { accountEnabled: true },
    after: { accountEnabled: false },
    params: {},
    dependsOn,
  });
}

export const disableUser: OpModule<'disableUser'> = {
  kind: 'disableUser',
  async apply(op, ctx) {
    await ctx.directory.updateUser(objectIdFor(op, ctx), { accountEnabled: false });
    return APPLIED;
  },
};
