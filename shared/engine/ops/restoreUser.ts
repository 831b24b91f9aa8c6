// restoreUser: POST /directory/deletedItems/{id}/restore — a rehire within 30 days gets the same account back
// (with its group memberships); the rest of the plan then reconciles it.
import { APPLIED, type OpModule } from '../apply/context';
import type { Target } from '../plan/model';
import { makeOp } from './build';

export function planRestoreUser(target: Target, deletedObjectId: string) {
  return makeOp('restoreUser', {
    target,
    reason: 'restoreFromDeleted',
    before: { deleted: true },
    after: { deleted: false },
    params: { deletedObjectId },
  });
}

export const restoreUser: OpModule<'restoreUser'> = {
  kind: 'restoreUser',
  async apply(op, ctx) {
    await ctx.directory.restoreUser(op.params.deletedObjectId);
    ctx.objectId = op.params.deletedObjectId;
    return APPLIED;
  },
};
