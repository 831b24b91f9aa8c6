// Mixed directoryObject collections (group members, memberOf, directReports) with @odata.type per item.
import type { ServicePrincipal, Tenant } from '../../state/model';
import { DIRECTORY_ROLES } from '../../state/model';
import { GROUP_DEFAULT_SELECT, GROUP_SELECTABLE, groupView } from './groupModel';
import { USER_DEFAULT_SELECT, USER_SELECTABLE, userView } from './userModel';
import { selectProperties } from '../query/select';

export function servicePrincipalView(sp: ServicePrincipal): Record<string, unknown> {
  return {
    id: sp.id,
    appId: sp.appId,
    displayName: sp.displayName,
    appDisplayName: sp.displayName,
    appOwnerOrganizationId: sp.appOwnerTenantId,
    servicePrincipalType: sp.servicePrincipalType,
    accountEnabled: true,
    servicePrincipalNames: [sp.appId],
    appRoles: [],
    tags: [],
    deletedDateTime: null,
  };
}

export const SERVICE_PRINCIPAL_DEFAULT_SELECT = [
  'id',
  'deletedDateTime',
  'accountEnabled',
  'appDisplayName',
  'appId',
  'appOwnerOrganizationId',
  'appRoles',
  'displayName',
  'servicePrincipalNames',
  'servicePrincipalType',
  'tags',
] as const;

export interface DirectoryObjectRef {
  kind: 'user' | 'group' | 'servicePrincipal' | 'directoryRole';
  id: string;
}

/** The Graph view of a directory object (with @odata.type), honouring $select across types. */
export function directoryObjectView(
  tenant: Tenant,
  ref: DirectoryObjectRef,
  select?: string[],
): Record<string, unknown> {
  const pick = (
    view: Record<string, unknown>,
    defaults: readonly string[],
    selectable: readonly string[],
  ) => {
    if (!select)
      return selectProperties(view, undefined, defaults, selectable, 'microsoft.graph.directoryObject');
    const out: Record<string, unknown> = {};
    for (const s of select) {
      const key = Object.keys(view).find((k) => k.toLowerCase() === s.toLowerCase());
      if (key) out[key] = view[key];
    }
    return out;
  };
  if (ref.kind === 'user') {
    const u = tenant.users.get(ref.id)!;
    return {
      '@odata.type': '#microsoft.graph.user',
      ...pick(userView(u), USER_DEFAULT_SELECT, USER_SELECTABLE),
    };
  }
  if (ref.kind === 'group') {
    const g = tenant.groups.get(ref.id)!;
    return {
      '@odata.type': '#microsoft.graph.group',
      ...pick(groupView(g), GROUP_DEFAULT_SELECT, GROUP_SELECTABLE),
    };
  }
  if (ref.kind === 'servicePrincipal') {
    const sp = tenant.servicePrincipals.get(ref.id)!;
    return {
      '@odata.type': '#microsoft.graph.servicePrincipal',
      ...pick(servicePrincipalView(sp), SERVICE_PRINCIPAL_DEFAULT_SELECT, SERVICE_PRINCIPAL_DEFAULT_SELECT),
    };
  }
  const name = Object.entries(DIRECTORY_ROLES).find(([, id]) => id === ref.id)?.[0] ?? ref.id;
  return {
    '@odata.type': '#microsoft.graph.directoryRole',
    ...pick(
      { id: ref.id, deletedDateTime: null, description: name, displayName: name, roleTemplateId: ref.id },
      ['id', 'deletedDateTime', 'description', 'displayName', 'roleTemplateId'],
      ['id', 'deletedDateTime', 'description', 'displayName', 'roleTemplateId'],
    ),
  };
}
