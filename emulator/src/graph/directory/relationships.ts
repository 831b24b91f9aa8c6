// User relationships: manager (GET, $ref PUT/DELETE), directReports, memberOf (graph-spec §2.1;
// user-list-manager, user-post-manager, user-delete-manager, user-list-directreports, user-list-memberof).
import type { EmulatorContext } from '../../context';
import { jsonBody } from '../../http/serve';
import type { Router } from '../../http/router';
import { requireDelegatedRole } from '../kernel/auth';
import { GraphError, graphErrors } from '../kernel/errors';
import { addGraphRoute } from '../kernel/pipeline';
import { listCollection } from '../query/collection';
import { directoryObjectView, type DirectoryObjectRef } from './directoryObjects';
import { objectCollection } from './groups';
import { GROUP_READ, USER_READ, USER_WRITE } from './permissions';
import { referencedId } from './references';
import { requireUser } from './userModel';
import { objectBody } from './userValidation';

/** Graph's answer when a user has no manager. */
const noManager = (): GraphError =>
  new GraphError(
    404,
    'Request_ResourceNotFound',
    "Resource 'manager' does not exist or one of its queried reference-property objects are not present.",
  );

export function registerRelationshipRoutes(router: Router, ctx: EmulatorContext): void {
  addGraphRoute(router, ctx, 'GET', '/v1.0/users/{id}/manager', { permissions: USER_READ }, (req, call) => {
    const user = requireUser(call.tenant, req.params.id!);
    const manager = user.managerId ? call.tenant.users.get(user.managerId) : undefined;
    if (!manager) throw noManager();
    const selected = req.query
      .get('$select')
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    return call.json(200, {
      '@odata.context': call.odataContext('directoryObjects/$entity'),
      ...directoryObjectView(call.tenant, { kind: 'user', id: manager.id }, selected),
    });
  });
  addGraphRoute(
    router,
    ctx,
    'GET',
    '/v1.0/users/{id}/manager/$ref',
    { permissions: USER_READ },
    (req, call) => {
      const user = requireUser(call.tenant, req.params.id!);
      const manager = user.managerId ? call.tenant.users.get(user.managerId) : undefined;
      if (!manager) throw noManager();
      return call.json(200, {
        '@odata.context': call.odataContext('$ref'),
        '@odata.id': `https://graph.microsoft.com/v2/${call.tenant.id}/directoryObjects/${manager.id}/Microsoft.DirectoryServices.User`,
      });
    },
  );
  addGraphRoute(
    router,
    ctx,
    'PUT',
    '/v1.0/users/{id}/manager/$ref',
    { permissions: USER_WRITE },
    (req, call) => {
      requireDelegatedRole(call.caller, 'Global Administrator', 'User Administrator');
      const body = objectBody(jsonBody(req));
      const user = requireUser(call.tenant, req.params.id!);
      const managerId = referencedId(body['@odata.id']);
      const manager = requireUser(call.tenant, managerId);
      if (manager.id === user.id) throw graphErrors.badRequest('A user cannot be their own manager.');
      user.managerId = manager.id;
      user.changedAt = call.now;
      return call.noContent();
    },
  );
  addGraphRoute(
    router,
    ctx,
    'DELETE',
    '/v1.0/users/{id}/manager/$ref',
    { permissions: USER_WRITE },
    (req, call) => {
      requireDelegatedRole(call.caller, 'Global Administrator', 'User Administrator');
      const user = requireUser(call.tenant, req.params.id!);
      if (!user.managerId || !call.tenant.users.has(user.managerId)) throw noManager();
      delete user.managerId;
      user.changedAt = call.now;
      return call.noContent();
    },
  );
  addGraphRoute(
    router,
    ctx,
    'GET',
    '/v1.0/users/{id}/directReports',
    { permissions: USER_READ },
    (req, call) => {
      const user = requireUser(call.tenant, req.params.id!);
      const refs: DirectoryObjectRef[] = [...call.tenant.users.values()]
        .filter((u) => u.managerId === user.id)
        .map((u) => ({ kind: 'user', id: u.id }));
      return listCollection(req, call, objectCollection(call, refs, 'directoryObjects'));
    },
  );
  addGraphRoute(
    router,
    ctx,
    'GET',
    '/v1.0/users/{id}/memberOf',
    {
      permissions: {
        application: [...USER_READ.application, ...GROUP_READ.application],
        delegated: [...USER_READ.delegated!, ...GROUP_READ.delegated!],
      },
    },
    (req, call) => {
      const user = requireUser(call.tenant, req.params.id!);
      const refs: DirectoryObjectRef[] = [...call.tenant.groups.values()]
        .filter((g) => g.memberIds.has(user.id))
        .map((g) => ({ kind: 'group', id: g.id }));
      // Role holders also see the activated directory roles (user-list-memberof).
      for (const r of call.tenant.roleAssignments)
        if (r.principalId === user.id && !refs.some((x) => x.id === r.roleDefinitionId))
          refs.push({ kind: 'directoryRole', id: r.roleDefinitionId });
      return listCollection(req, call, objectCollection(call, refs, 'directoryObjects'));
    },
  );
}
