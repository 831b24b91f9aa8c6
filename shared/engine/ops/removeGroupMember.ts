// removeGroupMember: DELETE /groups/{id}/members/{userId}/$ref; "not a member" is success (adapter).
import { objectIdFor, APPLIED, type OpModule } from '../apply/context';
import type { Reason, Target } from '../plan/model';
import { makeOp } from './build';

export function planRemoveGroupMember(
  target: Target,
  groupRef: string,
  groupId: string,
  reason: Reason,
  dependsOn: string[],
) {
  return makeOp('removeGroupMember', {
    id: `removeGroupMember:${groupId}`,
    target,
    reason,
    before: { [`group:${groupRef}`]: true },
    after: { [`group:${groupRef}`]: false },
    params: { groupId, groupRef },
    dependsOn,
  });
}

export const removeGroupMember: OpModule<'removeGroupMember'> = {
  kind: 'removeGroupMember',
  async apply(op, ctx) {
    await ctx.directory.removeGroupMember(op.params.groupId, objectIdFor(op, ctx));
    return APPLIED;
  },
};
