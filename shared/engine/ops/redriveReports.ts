// redriveReports: this worker's account now exists; send a re-drive message to every report that waited for it
// as manager, so each report's own session sets the manager from its latest snapshot.
import { APPLIED, type OpModule } from '../apply/context';
import type { Target } from '../plan/model';
import { makeOp } from './build';

export function planRedriveReports(target: Target, dependsOn: string[]) {
  return makeOp('redriveReports', { target, reason: 'managerPending', params: {}, dependsOn });
}

export const redriveReports: OpModule<'redriveReports'> = {
  kind: 'redriveReports',
  async apply(op, ctx) {
    const reports = await ctx.pending.listReports(op.target.flow, op.target.employeeId);
    for (const report of reports) {
      await ctx.sender.send({
        kind: 'redrive',
        flow: op.target.flow,
        employeeId: report,
        version: `redrive:${op.target.employeeId}`,
        sentAt: ctx.clock.now().toISOString(),
      });
    }
    return { ...APPLIED, detail: { reports: reports.length } };
  },
};
