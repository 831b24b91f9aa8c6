/**
 * The licence gate: licence removal waits for every playbook step (never before the mailbox is converted), and
 * keeps the licence a shared mailbox still needs — Exchange Online Plan 2 rights when it is on litigation hold,
 * has an archive, or holds more than 50 GB (graph-spec.md §7.3, read from Get-Mailbox/Get-MailboxStatistics).
 */
import { planRemoveLicenses } from '../../engine/ops/removeLicenses';
import type { Operation, OperationOf } from '../../engine/plan/model';
import type { PlanningContext } from '../../engine/planner/context';
import type { ObservedPlaybook } from '../model';
import type { StepOptions } from '../steps';
import { planNote } from './note';

export const SHARED_MAILBOX_FREE_BYTES = 50 * 1024 ** 3;

/** Why the shared mailbox still needs Plan 2 rights, or null when it does not. */
export function plan2Need(
  ctx: PlanningContext,
  steps: readonly StepOptions[],
  observed: ObservedPlaybook,
): string | null {
  const mb = observed.mailbox;
  if (mb.status !== 'present') return null;
  const willBeShared =
    mb.mailbox.type === 'SharedMailbox' || steps.some((s) => s.kind === 'convertToSharedMailbox');
  if (!willBeShared) return null;
  const hold =
    mb.mailbox.litigationHold || ctx.ops.some((o) => o.kind === 'setLitigationHold' && o.params.enabled);
  if (hold) return 'the shared mailbox is on litigation hold';
  if (mb.mailbox.archive) return 'the shared mailbox has an archive';
  if (mb.sizeBytes > SHARED_MAILBOX_FREE_BYTES) return 'the shared mailbox holds more than 50 GB';
  return null;
}

export function gateLicenceRemoval(
  ctx: PlanningContext,
  steps: readonly StepOptions[],
  observed: ObservedPlaybook,
  waitFor: readonly string[],
): void {
  const index = ctx.ops.findIndex((o) => o.kind === 'removeLicenses');
  if (index < 0) return;
  const op = ctx.ops[index] as OperationOf<'removeLicenses'>;
  const skus = op.params.skuIds.map((id, i) => ({ id, ref: op.params.skuRefs[i] ?? id }));
  let keep: { id: string; ref: string } | undefined;
  const need = plan2Need(ctx, steps, observed);
  if (need) {
    const plan2 = new Set(observed.plan2SkuIds);
    const removing = skus.filter((s) => plan2.has(s.id));
    const keptElsewhere = observed.plan2SkuIds.some((id) => !skus.some((s) => s.id === id));
    if (!keptElsewhere) keep = removing[0];
  }
  const remaining = skus.filter((s) => s !== keep);
  const replacement: Operation[] = [];
  if (keep)
    replacement.push(
      planNote(
        ctx.target,
        'licenceKept',
        `Licence ${keep.ref} is kept: ${need} (Exchange Online Plan 2 rights).`,
      ),
    );
  if (remaining.length > 0)
    replacement.push(
      planRemoveLicenses(ctx.target, remaining, op.reason, [...new Set([...op.dependsOn, ...waitFor])]),
    );
  // Moved to the end of the plan, after the steps it waits for, so previews read in the order things happen.
  ctx.ops.splice(index, 1);
  ctx.ops.push(...replacement);
}
