// updateUser: PATCH only the attributes that differ (before/after hold exactly those).
import { objectIdFor, APPLIED, type OpModule } from '../apply/context';
import type { Attributes, Reason, Target } from '../plan/model';
import { makeOp } from './build';

export function planUpdateUser(
  target: Target,
  before: Attributes,
  after: Attributes,
  reason: Reason,
  dependsOn: string[],
) {
  return makeOp('updateUser', {
    id: `updateUser:${reason}`,
    target,
    reason,
    before,
    after,
    params: {},
    dependsOn,
  });
}

export const updateUser: OpModule<'updateUser'> = {
  kind: 'updateUser',
  async apply(op, ctx) {
    await ctx.directory.updateUser(objectIdFor(op, ctx), op.after);
    return APPLIED;
  },
};
