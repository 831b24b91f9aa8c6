/**
 * What a connection needs, by kind and add-on, and how an admin fixes each missing item in their cloud's portal.
 * Application permissions are checked in the app-only token's `roles`; directory roles on the service principal.
 */
import type { CloudEndpoints } from '../clouds/endpoints';
import type { AddOn, MissingItem } from './model';

export type Resource = 'graph' | 'exchange';

export interface RequiredPermission {
  resource: Resource;
  name: string;
  /** Why beyond the base list, e.g. "flow workday maps employeeLeaveDateTime" (see flowRequirements.ts). */
  neededBy?: readonly string[];
}

/** Directory role template ids (Entra built-in roles reference). */
export const DIRECTORY_ROLES = {
  'User Administrator': 'fe930be7-5e62-47db-91af-98c3a49a38b1',
  'Exchange Administrator': '29232cdf-9323-42fd-ade2-1d097af3e4de',
  'Global Administrator': '62e90394-69f5-4237-9190-012177145e10',
  'SharePoint Administrator': 'f28a1f50-f6e7-4571-818b-6a12f2af6b6c',
} as const;
export type DirectoryRoleName = keyof typeof DIRECTORY_ROLES;

export function requiredApplicationPermissions(addOns: readonly AddOn[]): RequiredPermission[] {
  const list: RequiredPermission[] = [
    { resource: 'graph', name: 'User.ReadWrite.All' },
    { resource: 'graph', name: 'Group.ReadWrite.All' },
    { resource: 'graph', name: 'Directory.ReadWrite.All' },
    { resource: 'graph', name: 'User.EnableDisableAccount.All' },
  ];
  if (addOns.includes('exchange')) {
    list.push(
      { resource: 'exchange', name: 'Exchange.ManageAsApp' },
      { resource: 'graph', name: 'MailboxSettings.ReadWrite' },
    );
  }
  if (addOns.includes('sharepoint')) list.push({ resource: 'graph', name: 'Files.ReadWrite.All' });
  return list;
}

export function requiredDirectoryRoles(addOns: readonly AddOn[]): DirectoryRoleName[] {
  const roles: DirectoryRoleName[] = ['User Administrator'];
  if (addOns.includes('exchange')) roles.push('Exchange Administrator');
  return roles;
}

/** Roles that include what a required role grants (a Global Administrator satisfies every check). */
const SATISFIED_BY: Record<string, string[]> = {
  [DIRECTORY_ROLES['User Administrator']]: [DIRECTORY_ROLES['Global Administrator']],
  [DIRECTORY_ROLES['Exchange Administrator']]: [DIRECTORY_ROLES['Global Administrator']],
};

export function roleHeld(required: DirectoryRoleName, heldRoleIds: readonly string[]): boolean {
  const id = DIRECTORY_ROLES[required];
  return heldRoleIds.includes(id) || (SATISFIED_BY[id] ?? []).some((r) => heldRoleIds.includes(r));
}

/** Delegated scopes the service-provider app asks for (the product page's list). */
export const SERVICE_PROVIDER_SCOPES = [
  'User.ReadWrite.All',
  'Group.ReadWrite.All',
  'Directory.AccessAsUser.All',
] as const;

const API_NAME: Record<Resource, string> = {
  graph: 'Microsoft Graph',
  exchange: 'Office 365 Exchange Online',
};

export function missingPermission(
  p: RequiredPermission,
  endpoints: CloudEndpoints,
  clientId: string,
): MissingItem {
  return {
    id: `permission:${p.resource}:${p.name}`,
    kind: 'application-permission',
    name:
      `${API_NAME[p.resource]} ${p.name} (application)` +
      (p.neededBy?.length ? `, needed because ${p.neededBy.join('; ')}` : ''),
    fix:
      `In ${endpoints.entraAdminUrl}, open App registrations → the app with client id ${clientId} → API permissions → ` +
      `Add a permission → ${API_NAME[p.resource]} → Application permissions → ${p.name}; then select ` +
      `"Grant admin consent".`,
  };
}

export function missingRole(
  role: DirectoryRoleName,
  endpoints: CloudEndpoints,
  clientId: string,
): MissingItem {
  return {
    id: `role:${role}`,
    kind: 'directory-role',
    name: `${role} role for the app's service principal`,
    fix:
      `In ${endpoints.entraAdminUrl}, open Roles & admins → ${role} → Add assignments → select the enterprise ` +
      `application with client id ${clientId} → Assign (active, permanent).`,
  };
}
