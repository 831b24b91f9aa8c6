// Directory object references: "@odata.id" URLs in $ref bodies and members@odata.bind, resolved to live objects.
import type { Tenant } from '../../state/model';
import { GraphError, graphErrors } from '../kernel/errors';
import { isGuid } from './userModel';

export type DirectoryObjectKind = 'user' | 'group' | 'servicePrincipal';

/** The object id at the end of an @odata.id URL (…/directoryObjects/{id}, …/users/{id}, …/groups/{id}). */
export function referencedId(ref: unknown): string {
  if (typeof ref !== 'string')
    throw graphErrors.badRequest("Invalid value specified for property '@odata.id'.");
  const m = /\/(directoryObjects|users|groups|servicePrincipals|contacts|devices)\/([^/?#]+)\/?$/i.exec(ref);
  if (!m)
    throw new GraphError(
      400,
      'Request_BadRequest',
      'Invalid URL format specified in @odata.bind or @odata.id.',
    );
  const id = decodeURIComponent(m[2]!);
  if (!isGuid(id)) throw new GraphError(400, 'Request_BadRequest', `Invalid object identifier '${id}'.`);
  return id;
}

/** The kind of a live directory object, or undefined. */
export function kindOf(tenant: Tenant, id: string): DirectoryObjectKind | undefined {
  if (tenant.users.has(id)) return 'user';
  if (tenant.groups.has(id)) return 'group';
  if (tenant.servicePrincipals.has(id)) return 'servicePrincipal';
  const lower = id.toLowerCase();
  for (const u of tenant.users.keys()) if (u.toLowerCase() === lower) return 'user';
  for (const g of tenant.groups.keys()) if (g.toLowerCase() === lower) return 'group';
  return undefined;
}

/** The canonical id (as stored) of a live directory object, or undefined. */
export function canonicalId(tenant: Tenant, id: string): string | undefined {
  const lower = id.toLowerCase();
  for (const map of [tenant.users, tenant.groups, tenant.servicePrincipals])
    for (const k of map.keys()) if (k.toLowerCase() === lower) return k;
  return undefined;
}
