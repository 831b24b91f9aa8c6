// assignLicenses: POST /users/{id}/assignLicense with addLicenses; runs after usageLocation is set.
import { objectIdFor, APPLIED, type OpModule } from '../apply/context';
import type { Reason, Target } from '../plan/model';
import { makeOp } from './build';

export function planAssignLicenses(
  target: Target,
  skus: readonly { ref: string; id: string }[],
  reason: Reason,
  dependsOn: string[],
) {
  return makeOp('assignLicenses', {
    target,
    reason,
    before: Object.fromEntries(skus.map((s) => [`license:${s.ref}`, false])),
    after: Object.fromEntries(skus.map((s) => [`license:${s.ref}`, true])),
    params: { skuIds: skus.map((s) => s.id), skuRefs: skus.map((s) => s.ref) },
    dependsOn,
  });
}

export const assignLicenses: OpModule<'assignLicenses'> = {
  kind: 'assignLicenses',
  async apply(op, ctx) {
    await ctx.directory.assignLicenses(objectIdFor(op, ctx), op.params.skuIds, []);
    return APPLIED;
  },
};
