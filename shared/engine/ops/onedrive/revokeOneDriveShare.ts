// revokeOneDriveShare: when a worker returns and the flow's shareOneDrive says `revokeOnReturn`, DELETE the root
// permissions Tenure granted to the step's recipients. Planned from the observed grants (their permission ids); when
// the account is restored by the same plan nothing could be read, so the grants are found here instead — by the
// recipients' addresses and object ids, never the owner's permission, inherited ones or anyone else's.
import { APPLIED, objectIdFor, type OpModule, type OpOutcome } from '../../apply/context';
import type { Reason, Target } from '../../plan/model';
import { makeOp } from '../build';
import { oneDriveOf } from '../exchange/ports';
import type { DriveGrant } from '../../../playbook/ports';

export interface OneDriveRevocation {
  /** Null when the drive could not be observed (account restored by this plan). */
  readonly driveId: string | null;
  /** Lower-cased addresses whose grants go (what the plan shows). */
  readonly recipients: readonly string[];
  /** Entra object ids whose grants go (the manager, matched by grantedToV2.user.id). */
  readonly userIds: readonly string[];
  /** The observed permissions to delete; empty when they are to be found at apply time. */
  readonly permissionIds: readonly string[];
}

/** `roles`: the observed grants shown in the plan (grantee → roles); empty when nothing could be read. */
export function planRevokeOneDriveShare(
  target: Target,
  revocation: OneDriveRevocation,
  roles: Readonly<Record<string, string>>,
  reason: Reason,
  dependsOn: string[],
) {
  const named = revocation.recipients.length > 0 ? revocation.recipients : revocation.userIds;
  const shown = Object.keys(roles).length > 0 ? Object.keys(roles) : named;
  return makeOp('revokeOneDriveShare', {
    target,
    reason,
    before: Object.fromEntries(Object.entries(roles).map(([who, r]) => [`oneDrive:${who}`, r])),
    after: Object.fromEntries(shown.map((who) => [`oneDrive:${who}`, null])),
    params: {
      driveId: revocation.driveId,
      recipients: [...revocation.recipients],
      userIds: [...revocation.userIds],
      permissionIds: [...revocation.permissionIds],
    },
    dependsOn,
  });
}

/** The root grants (owner's excluded by the adapter) that belong to the recipients and can be deleted here. */
export function grantsOf(
  grants: readonly DriveGrant[],
  recipients: readonly string[],
  userIds: readonly string[],
): DriveGrant[] {
  return grants.filter(
    (g) =>
      !g.inherited &&
      ((g.email !== undefined && recipients.includes(g.email)) ||
        (g.userId !== undefined && userIds.includes(g.userId))),
  );
}

export const revokeOneDriveShare: OpModule<'revokeOneDriveShare'> = {
  kind: 'revokeOneDriveShare',
  async apply(op, ctx): Promise<OpOutcome> {
    const drives = oneDriveOf(ctx, op);
    const { recipients, userIds } = op.params;
    const driveId = op.params.driveId ?? (await drives.getDriveId(objectIdFor(op, ctx)));
    // No OneDrive (any more): nothing is shared.
    if (!driveId) return { status: 'skipped', detail: { why: 'noDrive' } };
    const permissionIds =
      op.params.permissionIds.length > 0
        ? op.params.permissionIds
        : grantsOf(await drives.rootGrants(driveId), recipients, userIds).map((g) => g.permissionId);
    for (const id of permissionIds) await drives.removeRootGrant(driveId, id);
    return { ...APPLIED, detail: { driveId, removed: permissionIds.length } };
  },
};
