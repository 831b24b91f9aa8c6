// addGroupMember: POST /groups/{id}/members/$ref; "already a member" is success (adapter).
import { objectIdFor, APPLIED, type OpModule } from '../apply/context';
import type { Reason, Target } from '../plan/model';
import { makeOp } from './build';

export function planAddGroupMember(
  target: Target,
  groupRef: string,
  groupId: string,
  reason: Reason,
  dependsOn: string[],
) {
  return makeOp('addGroupMember', {
    id: `addGroupMember:${groupId}`,
    target,
    reason,
    before: { [`group:${groupRef}`]: false },
    after: { [`group:${groupRef}`]: true },
    params: { groupId, groupRef },
    dependsOn,
  });
}

export const addGroupMember: OpModule<'addGroupMember'> = {
  kind: 'addGroupMember',
  async apply(op, ctx) {
    await ctx.directory.addGroupMember(op.params.groupId, objectIdFor(op, ctx));
    return APPLIED;
  },
};
