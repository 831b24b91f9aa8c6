// awaitManager: the manager is not in Entra yet. Everything else applies; the pending reference is recorded and
// the report is re-driven when the manager's account is created. Never a failure.
import { APPLIED, type OpModule } from '../apply/context';
import type { Target } from '../plan/model';
import { makeOp } from './build';

export function planAwaitManager(target: Target, managerEmployeeId: string) {
  return makeOp('awaitManager', { target, reason: 'managerPending', params: { managerEmployeeId } });
}

export const awaitManager: OpModule<'awaitManager'> = {
  kind: 'awaitManager',
  async apply(op, ctx) {
    await ctx.pending.add(op.target.flow, op.params.managerEmployeeId, op.target.employeeId);
    return APPLIED;
  },
};
