// removeLicenses: POST /users/{id}/assignLicense with removeLicenses. Exchange steps (issue 9) that need the
// mailbox licence add themselves to this operation's dependsOn.
import { objectIdFor, APPLIED, type OpModule } from '../apply/context';
import type { Reason, Target } from '../plan/model';
import { makeOp } from './build';

export function planRemoveLicenses(
  target: Target,
  skus: readonly { ref: string; id: string }[],
  reason: Reason,
  dependsOn: string[],
) {
  return makeOp('removeLicenses', {
    target,
    reason,
    before: Object.fromEntries(skus.map((s) => [`license:${s.ref}`, true])),
    after: Object.fromEntries(skus.map((s) => [`license:${s.ref}`, false])),
    params: { skuIds: skus.map((s) => s.id), skuRefs: skus.map((s) => s.ref) },
    dependsOn,
  });
}

export const removeLicenses: OpModule<'removeLicenses'> = {
  kind: 'removeLicenses',
  async apply(op, ctx) {
    await ctx.directory.assignLicenses(objectIdFor(op, ctx), [], op.params.skuIds);
    return APPLIED;
  },
};
