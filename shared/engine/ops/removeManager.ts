// removeManager: DELETE /users/{id}/manager/$ref; a manager already gone counts as success.
import { objectIdFor, APPLIED, type OpModule } from '../apply/context';
import type { Reason, Target } from '../plan/model';
import { makeOp } from './build';

export function planRemoveManager(
  target: Target,
  beforeManagerId: string,
  reason: Reason,
  dependsOn: string[],
) {
  return makeOp('removeManager', {
    target,
    reason,
    before: { manager: beforeManagerId },
    after: { manager: null },
    params: {},
    dependsOn,
  });
}

export const removeManager: OpModule<'removeManager'> = {
  kind: 'removeManager',
  async apply(op, ctx) {
    await ctx.directory.removeManager(objectIdFor(op, ctx));
    return APPLIED;
  },
};
