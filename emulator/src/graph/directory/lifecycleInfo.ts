// employeeLeaveDateTime ("lifecycle information"): who may read and write it. Learn's user resource page: reading
// needs User-LifeCycleInfo.Read.All (delegated: also Lifecycle Workflows Administrator or Global Reader); writing
// needs User.Read.All and User-LifeCycleInfo.ReadWrite.All (delegated: also Global Administrator)
// (https://learn.microsoft.com/graph/tutorial-lifecycle-workflows-set-employeeleavedatetime). A read without the
// permission is not refused: like any directory property the caller may not see, the value comes back null
// (observed with a managed identity lacking it, Azure/LogicAppsUX#4925; "Limited information returned for
// inaccessible member objects", https://learn.microsoft.com/graph/permissions-overview). A write is refused: 403.
import type { DirectoryUser } from '../../state/model';
import {
  forbidden,
  hasPermission,
  holdsRole,
  requireDelegatedRole,
  requirePermission,
  type GraphCaller,
} from '../kernel/auth';
import { LIFECYCLE_READ, LIFECYCLE_WRITE, USER_READ } from './permissions';
import { userView } from './userModel';

export const LIFECYCLE_PROPERTIES: readonly string[] = ['employeeLeaveDateTime'];

/** Whether the caller sees employeeLeaveDateTime's value (else it reads as null). */
export function canReadLifecycle(caller: GraphCaller): boolean {
  if (!hasPermission(caller, LIFECYCLE_READ)) return false;
  // Lifecycle Workflows Administrator is not among the emulator's roles; Global Reader/Administrator are.
  return caller.kind === 'app' || holdsRole(caller, 'Global Reader', 'Global Administrator');
}

/** The user as this caller may see it: lifecycle properties null without the read permission. */
export function userViewFor(
  caller: GraphCaller,
  user: DirectoryUser,
  deletedAt?: number,
): Record<string, unknown> {
  const view = userView(user, deletedAt);
  if (!canReadLifecycle(caller)) for (const p of LIFECYCLE_PROPERTIES) view[p] = null;
  return view;
}

/** Write: User-LifeCycleInfo.ReadWrite.All and a user read permission; delegated also Global Administrator. */
export function requireLifecycleWrite(caller: GraphCaller): void {
  requirePermission(caller, LIFECYCLE_WRITE);
  if (!hasPermission(caller, USER_READ)) throw forbidden();
  requireDelegatedRole(caller, 'Global Administrator');
}
