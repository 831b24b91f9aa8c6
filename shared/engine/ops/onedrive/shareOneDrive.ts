// shareOneDrive: invite the manager (or listed people) to the leaver's OneDrive root through Graph, no e-mail sent.
import { objectIdFor, type OpModule } from '../../apply/context';
import { TenureError } from '../../errors';
import type { Reason, Target } from '../../plan/model';
import { makeOp } from '../build';
import { oneDriveOf } from '../exchange/ports';

export function planShareOneDrive(
  target: Target,
  driveId: string | null,
  recipients: readonly string[],
  role: 'read' | 'write',
  reason: Reason,
  dependsOn: string[],
) {
  return makeOp('shareOneDrive', {
    target,
    reason,
    before: Object.fromEntries(recipients.map((r) => [`oneDrive:${r}`, null])),
    after: Object.fromEntries(recipients.map((r) => [`oneDrive:${r}`, role])),
    params: { driveId, recipients: [...recipients], role },
    dependsOn,
  });
}

export const shareOneDrive: OpModule<'shareOneDrive'> = {
  kind: 'shareOneDrive',
  async apply(op, ctx) {
    const drives = oneDriveOf(ctx, op);
    const driveId = op.params.driveId ?? (await drives.getDriveId(objectIdFor(op, ctx)));
    if (!driveId) {
      throw new TenureError('TENURE_GRAPH_NOT_FOUND', 'The worker has no OneDrive to share.', {
        operationKind: op.kind,
        operationId: op.id,
      });
    }
    await drives.inviteToRoot(driveId, op.params.recipients, op.params.role);
    return { status: 'applied', detail: { driveId } };
  },
};
