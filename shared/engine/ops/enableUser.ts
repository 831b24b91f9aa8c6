// enableUser: accountEnabled false → true (start date reached, return from leave, rehire).
import { objectIdFor, APPLIED, type OpModule } from '../apply/context';
import type { Reason, Target } from '../plan/model';
import { makeOp } from './build';

export function planEnableUser(target: Target, reason: Reason, dependsOn: string[]) {
  return makeOp('enableUser', {
    target,
    reason,
    before: { accountEnabled: false },
    after: { accountEnabled: true },
    params: {},
    dependsOn,
  });
}

export const enableUser: OpModule<'enableUser'> = {
  kind: 'enableUser',
  async apply(op, ctx) {
    await ctx.directory.updateUser(objectIdFor(op, ctx), { accountEnabled: true });
    return APPLIED;
  },
};
