// Group owners (https://learn.microsoft.com/graph/api/group-list-owners, group-post-owners, group-delete-owners):
// list, add by $ref (400 when already an owner, 404 for an unknown object), remove by $ref (404 when not an owner).
import type { EmulatorContext } from '../../context';
import { jsonBody } from '../../http/serve';
import type { Router } from '../../http/router';
import { requireDelegatedRole } from '../kernel/auth';
import { graphErrors } from '../kernel/errors';
import { addGraphRoute } from '../kernel/pipeline';
import { listCollection } from '../query/collection';
import type { DirectoryObjectRef } from './directoryObjects';
import { requireGroup } from './groupModel';
import { objectCollection } from './groups';
import { GROUP_READ, GROUP_WRITE } from './permissions';
import { canonicalId, kindOf, referencedId } from './references';
import { objectBody } from './userValidation';

const OWNER_ADMIN_ROLES = ['Global Administrator', 'Groups Administrator', 'User Administrator'] as const;

export function registerGroupOwnerRoutes(router: Router, ctx: EmulatorContext): void {
  addGraphRoute(router, ctx, 'GET', '/v1.0/groups/{id}/owners', { permissions: GROUP_READ }, (req, call) => {
    const group = requireGroup(call.tenant, req.params.id!);
    const refs = [...group.ownerIds].flatMap((id): DirectoryObjectRef[] => {
      const kind = kindOf(call.tenant, id);
      return kind ? [{ kind, id }] : [];
    });
    return listCollection(req, call, objectCollection(call, refs, 'directoryObjects'));
  });
  addGraphRoute(
    router,
    ctx,
    'POST',
    '/v1.0/groups/{id}/owners/$ref',
    { permissions: GROUP_WRITE },
    (req, call) => {
      requireDelegatedRole(call.caller, ...OWNER_ADMIN_ROLES);
      const group = requireGroup(call.tenant, req.params.id!);
      const id = referencedId(objectBody(jsonBody(req))['@odata.id']);
      const ownerId = canonicalId(call.tenant, id);
      if (!ownerId) throw graphErrors.notFound(id);
      if (group.ownerIds.has(ownerId))
        throw graphErrors.badRequest(
          "One or more added object references already exist for the following modified properties: 'owners'.",
        );
      group.ownerIds.add(ownerId);
      group.changedAt = call.now;
      return call.noContent();
    },
  );
  addGraphRoute(
    router,
    ctx,
    'DELETE',
    '/v1.0/groups/{id}/owners/{ownerId}/$ref',
    { permissions: GROUP_WRITE },
    (req, call) => {
      requireDelegatedRole(call.caller, ...OWNER_ADMIN_ROLES);
      const group = requireGroup(call.tenant, req.params.id!);
      const stored = [...group.ownerIds].find((o) => o.toLowerCase() === req.params.ownerId!.toLowerCase());
      if (!stored) throw graphErrors.notFound(group.id);
      group.ownerIds.delete(stored);
      group.changedAt = call.now;
      return call.noContent();
    },
  );
}
