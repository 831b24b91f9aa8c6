// The permissions Graph's API pages list for each directory operation (least privileged first). A caller needs
// any one; delegated calls are further limited by the signed-in user's roles (checked in the routes).
import type { PermissionRule } from '../kernel/auth';

const both = (perms: string[], delegatedExtra: string[] = []): PermissionRule => ({
  application: perms,
  delegated: [...perms, ...delegatedExtra],
});

/** https://learn.microsoft.com/graph/api/user-list, user-get */
export const USER_READ = both(
  ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  ['User.ReadBasic.All', 'Directory.AccessAsUser.All'],
);
/** https://learn.microsoft.com/graph/api/user-post-users, user-update, user-delete */
export const USER_WRITE = both(
  ['User.ReadWrite.All', 'Directory.ReadWrite.All'],
  ['Directory.AccessAsUser.All'],
);
/** accountEnabled alone: User.EnableDisableAccount.All is least privileged (graph-spec §1.3). */
export const USER_ENABLE_DISABLE = both(
  ['User.EnableDisableAccount.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'],
  ['Directory.AccessAsUser.All'],
);
/** passwordProfile: User-PasswordProfile.ReadWrite.All or User.ReadWrite.All (+ a role, see auth.ts). */
export const USER_PASSWORD = both(
  ['User-PasswordProfile.ReadWrite.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'],
  ['Directory.AccessAsUser.All'],
);
/** employeeLeaveDateTime: read needs User-LifeCycleInfo.Read.All; write User-LifeCycleInfo.ReadWrite.All. */
export const LIFECYCLE_READ = both(['User-LifeCycleInfo.Read.All', 'User-LifeCycleInfo.ReadWrite.All']);
export const LIFECYCLE_WRITE = both(['User-LifeCycleInfo.ReadWrite.All']);
/** https://learn.microsoft.com/graph/api/user-revokesigninsessions */
export const USER_REVOKE = both(
  ['User.RevokeSessions.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'],
  ['Directory.AccessAsUser.All'],
);
/** https://learn.microsoft.com/graph/api/group-list, group-get, group-list-members */
export const GROUP_READ = both([
  'GroupMember.Read.All',
  'Group.Read.All',
  'GroupMember.ReadWrite.All',
  'Group.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
]);
/** https://learn.microsoft.com/graph/api/group-post-groups */
export const GROUP_CREATE = both(['Group.Create', 'Group.ReadWrite.All', 'Directory.ReadWrite.All']);
/** https://learn.microsoft.com/graph/api/group-update, group-delete */
export const GROUP_WRITE = both(['Group.ReadWrite.All', 'Directory.ReadWrite.All']);
/** https://learn.microsoft.com/graph/api/group-post-members, group-delete-members */
export const GROUP_MEMBER_WRITE = both([
  'GroupMember.ReadWrite.All',
  'Group.ReadWrite.All',
  'Directory.ReadWrite.All',
]);
/** https://learn.microsoft.com/graph/api/user-assignlicense */
export const LICENSE_WRITE = both([
  'LicenseAssignment.ReadWrite.All',
  'User.ReadWrite.All',
  'Directory.ReadWrite.All',
]);
/** https://learn.microsoft.com/graph/api/subscribedsku-list */
export const SKU_READ = both([
  'LicenseAssignment.Read.All',
  'Organization.Read.All',
  'LicenseAssignment.ReadWrite.All',
  'Directory.Read.All',
  'Organization.ReadWrite.All',
  'Directory.ReadWrite.All',
]);
/** https://learn.microsoft.com/graph/api/user-list-licensedetails */
export const LICENSE_DETAILS_READ = both([
  'LicenseAssignment.Read.All',
  'User.Read.All',
  'Directory.Read.All',
  'LicenseAssignment.ReadWrite.All',
  'User.ReadWrite.All',
  'Directory.ReadWrite.All',
]);
/** https://learn.microsoft.com/graph/api/organization-get */
export const ORGANIZATION_READ = both(
  ['Organization.Read.All', 'Organization.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  ['User.Read'],
);
/** https://learn.microsoft.com/graph/api/serviceprincipal-list */
export const SERVICE_PRINCIPAL_READ = both([
  'Application.Read.All',
  'Application.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
]);
/** https://learn.microsoft.com/graph/api/rbacapplication-list-roleassignments */
export const ROLE_READ = both([
  'RoleManagement.Read.Directory',
  'RoleManagement.Read.All',
  'RoleManagement.ReadWrite.Directory',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
]);
/** https://learn.microsoft.com/graph/api/directory-deleteditems-list (users) */
export const DELETED_USER_READ = USER_READ;
export const DELETED_USER_WRITE = USER_WRITE;
