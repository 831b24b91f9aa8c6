// scheduleFollowUp: a Service Bus scheduled wake-up at the exact UTC instant of a local effective moment
// (start date, end of last day, deletion). The wake re-reads the latest snapshot, so a rescinded change does nothing.
import { APPLIED, type OpModule } from '../apply/context';
import type { Reason, Target } from '../plan/model';
import { makeOp } from './build';

export function planScheduleFollowUp(target: Target, at: string, purpose: Reason, dependsOn: string[]) {
  return makeOp('scheduleFollowUp', {
    target,
    reason: 'futureEffectiveDate',
    after: { wakeAt: at },
    params: { at, purpose },
    dependsOn,
  });
}

export const scheduleFollowUp: OpModule<'scheduleFollowUp'> = {
  kind: 'scheduleFollowUp',
  async apply(op, ctx) {
    const at = new Date(op.params.at);
    const sequence = await ctx.sender.schedule(
      {
        kind: 'wake',
        flow: op.target.flow,
        employeeId: op.target.employeeId,
        version: ctx.snapshotVersion,
        sentAt: ctx.clock.now().toISOString(),
      },
      at,
    );
    return { ...APPLIED, detail: { sequence } };
  },
};
