// setManager: PUT /users/{id}/manager/$ref (a manager cannot be set in the create body).
import { objectIdFor, APPLIED, type OpModule } from '../apply/context';
import type { Reason, Target } from '../plan/model';
import { makeOp } from './build';

export function planSetManager(
  target: Target,
  beforeManagerId: string | null,
  manager: { employeeId: string; objectId: string },
  reason: Reason,
  dependsOn: string[],
) {
  return makeOp('setManager', {
    target,
    reason,
    before: { manager: beforeManagerId },
    after: { manager: manager.objectId },
    params: { managerObjectId: manager.objectId, managerEmployeeId: manager.employeeId },
    dependsOn,
  });
}

export const setManager: OpModule<'setManager'> = {
  kind: 'setManager',
  async apply(op, ctx) {
    const userId = objectIdFor(op, ctx);
    await ctx.directory.setManager(userId, op.params.managerObjectId);
    await ctx.pending.remove(op.target.flow, op.params.managerEmployeeId, op.target.employeeId);
    return APPLIED;
  },
};
