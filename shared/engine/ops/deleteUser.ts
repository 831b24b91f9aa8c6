// deleteUser: DELETE /users/{id} N days after termination (Entra keeps it restorable for 30 days).
import { objectIdFor, APPLIED, type OpModule } from '../apply/context';
import type { Target } from '../plan/model';
import { makeOp } from './build';

export function planDeleteUser(target: Target) {
  return makeOp('deleteUser', {
    target,
    reason: 'deleteAfterTermination',
    before: { deleted: false },
    after: { deleted: true },
    params: {},
  });
}

export const deleteUser: OpModule<'deleteUser'> = {
  kind: 'deleteUser',
  async apply(op, ctx) {
    await ctx.directory.deleteUser(objectIdFor(op, ctx));
    return APPLIED;
  },
};
