// The Graph group resource over DirectoryGroup (https://learn.microsoft.com/graph/api/resources/group).
import type { DirectoryGroup, Tenant } from '../../state/model';
import { GraphError, graphErrors } from '../kernel/errors';
import { isoOrNull, isGuid } from './userModel';

export const GROUP_DEFAULT_SELECT = [
  'id',
  'deletedDateTime',
  'classification',
  'createdDateTime',
  'description',
  'displayName',
  'expirationDateTime',
  'groupTypes',
  'isAssignableToRole',
  'mail',
  'mailEnabled',
  'mailNickname',
  'membershipRule',
  'membershipRuleProcessingState',
  'onPremisesSyncEnabled',
  'preferredDataLocation',
  'proxyAddresses',
  'renewedDateTime',
  'securityEnabled',
  'securityIdentifier',
  'visibility',
] as const;

export const GROUP_WRITABLE = [
  'classification',
  'description',
  'displayName',
  'groupTypes',
  'isAssignableToRole',
  'mailEnabled',
  'mailNickname',
  'membershipRule',
  'membershipRuleProcessingState',
  'preferredDataLocation',
  'securityEnabled',
  'visibility',
] as const;

export const GROUP_SELECTABLE: readonly string[] = [
  ...new Set<string>([...GROUP_DEFAULT_SELECT, ...GROUP_WRITABLE]),
];

export function groupView(group: DirectoryGroup, deletedAt?: number): Record<string, unknown> {
  const p = group.properties;
  return {
    ...p,
    id: group.id,
    groupTypes: p.groupTypes ?? [],
    proxyAddresses: p.proxyAddresses ?? [],
    mail: p.mail ?? null,
    mailEnabled: p.mailEnabled ?? false,
    securityEnabled: p.securityEnabled ?? true,
    isAssignableToRole: p.isAssignableToRole ?? null,
    createdDateTime: isoOrNull(group.createdAt),
    deletedDateTime: isoOrNull(deletedAt),
  };
}

export function isUnified(group: DirectoryGroup): boolean {
  return (
    Array.isArray(group.properties.groupTypes) &&
    (group.properties.groupTypes as string[]).includes('Unified')
  );
}

/** A group by id; Graph answers 400 "Invalid object identifier" for a non-GUID id [community: n8n]. */
export function requireGroup(tenant: Tenant, id: string): DirectoryGroup {
  if (!isGuid(id)) throw new GraphError(400, 'Request_BadRequest', `Invalid object identifier '${id}'.`);
  const group = [...tenant.groups.values()].find((g) => g.id.toLowerCase() === id.toLowerCase());
  if (!group) throw graphErrors.notFound(id);
  return group;
}
