// /v1.0/directory/deletedItems: soft-deleted users (and Microsoft 365 groups) for 30 days of emulator time, then
// purged; restore brings back group memberships (user-delete, directory-deleteditems-restore; graph-spec §1.7).
import type { EmulatorContext } from '../../context';
import type { EmulatorRequest, Router } from '../../http/router';
import type { DeletedItem, Tenant } from '../../state/model';
import { requireDelegatedRole, type GraphCaller } from '../kernel/auth';
import { graphErrors } from '../kernel/errors';
import { addGraphRoute, type GraphCall } from '../kernel/pipeline';
import { GROUP_FILTERS, USER_FILTERS } from '../query/capabilities';
import { listCollection } from '../query/collection';
import { selectProperties } from '../query/select';
import { GROUP_DEFAULT_SELECT, GROUP_SELECTABLE, groupView } from './groupModel';
import { DELETED_USER_READ, DELETED_USER_WRITE, GROUP_READ, GROUP_WRITE } from './permissions';
import { recordRemoval } from './removals';
import { purgeExpiredDeletedItems } from './uniqueness';
import { userViewFor } from './lifecycleInfo';
import { USER_DEFAULT_SELECT, USER_SELECTABLE } from './userModel';

function deletedView(caller: GraphCaller, item: DeletedItem): Record<string, unknown> {
  return item.user
    ? { '@odata.type': '#microsoft.graph.user', ...userViewFor(caller, item.user, item.deletedAt) }
    : { '@odata.type': '#microsoft.graph.group', ...groupView(item.group!, item.deletedAt) };
}

function requireDeleted(tenant: Tenant, id: string, now: number): DeletedItem {
  purgeExpiredDeletedItems(tenant, now);
  const item = [...tenant.deletedItems.entries()].find(([k]) => k.toLowerCase() === id.toLowerCase())?.[1];
  if (!item) throw graphErrors.notFound(id);
  return item;
}

function permissionFor(item: DeletedItem) {
  return item.kind === 'user' ? DELETED_USER_WRITE : GROUP_WRITE;
}

export function registerDeletedItemRoutes(router: Router, ctx: EmulatorContext): void {
  const base = '/v1.0/directory/deletedItems';
  addGraphRoute(
    router,
    ctx,
    'GET',
    `${base}/microsoft.graph.user`,
    { permissions: DELETED_USER_READ },
    (req, call) => {
      purgeExpiredDeletedItems(call.tenant, call.now);
      const items = [...call.tenant.deletedItems.values()].filter((d) => d.kind === 'user');
      return listCollection(req, call, {
        entitySet: 'directory/deletedItems/microsoft.graph.user',
        resourceName: 'User',
        typeName: 'microsoft.graph.user',
        capabilities: USER_FILTERS,
        items,
        view: (d) => userViewFor(call.caller, d.user!, d.deletedAt),
        defaultSelect: [...USER_DEFAULT_SELECT, 'deletedDateTime'],
        selectable: USER_SELECTABLE,
        orderable: { default: ['deletedDateTime', 'displayName', 'userPrincipalName'], advanced: [] },
      });
    },
  );
  addGraphRoute(
    router,
    ctx,
    'GET',
    `${base}/microsoft.graph.group`,
    { permissions: GROUP_READ },
    (req, call) => {
      purgeExpiredDeletedItems(call.tenant, call.now);
      const items = [...call.tenant.deletedItems.values()].filter((d) => d.kind === 'group');
      return listCollection(req, call, {
        entitySet: 'directory/deletedItems/microsoft.graph.group',
        resourceName: 'Group',
        typeName: 'microsoft.graph.group',
        capabilities: GROUP_FILTERS,
        items,
        view: (d) => groupView(d.group!, d.deletedAt),
        defaultSelect: [...GROUP_DEFAULT_SELECT, 'deletedDateTime'],
        selectable: GROUP_SELECTABLE,
      });
    },
  );
  addGraphRoute(router, ctx, 'GET', `${base}/{id}`, {}, (req, call) => {
    const item = requireDeleted(call.tenant, req.params.id!, call.now);
    requireReadPermission(call, item);
    const select = req.query
      .get('$select')
      ?.split(',')
      .map((s) => s.trim());
    const view = deletedView(call.caller, item);
    const body = item.user
      ? selectProperties(
          view,
          select,
          [...USER_DEFAULT_SELECT, 'deletedDateTime'],
          USER_SELECTABLE,
          'microsoft.graph.user',
        )
      : selectProperties(
          view,
          select,
          [...GROUP_DEFAULT_SELECT, 'deletedDateTime'],
          GROUP_SELECTABLE,
          'microsoft.graph.group',
        );
    return call.json(200, {
      '@odata.context': call.odataContext('directory/deletedItems/$entity'),
      '@odata.type': view['@odata.type'],
      ...body,
    });
  });
  addGraphRoute(router, ctx, 'POST', `${base}/{id}/restore`, {}, (req, call) => restore(req, call));
  addGraphRoute(router, ctx, 'DELETE', `${base}/{id}`, {}, (req, call) => {
    const item = requireDeleted(call.tenant, req.params.id!, call.now);
    requireWrite(call, item);
    const id = item.user?.id ?? item.group!.id;
    call.tenant.deletedItems.delete(id);
    recordRemoval(call.tenant, { id, kind: item.kind, at: call.now });
    return call.noContent();
  });
}

function requireReadPermission(call: GraphCall, item: DeletedItem): void {
  const rule = item.kind === 'user' ? DELETED_USER_READ : GROUP_READ;
  if (!rule.application.concat(rule.delegated ?? []).some((p) => call.caller.permissions.has(p)))
    throw graphErrors.forbidden();
}

function requireWrite(call: GraphCall, item: DeletedItem): void {
  const rule = permissionFor(item);
  const accepted = call.caller.kind === 'app' ? rule.application : (rule.delegated ?? rule.application);
  if (!accepted.some((p) => call.caller.permissions.has(p))) throw graphErrors.forbidden();
  if (item.kind === 'user')
    requireDelegatedRole(
      call.caller,
      'Global Administrator',
      'User Administrator',
      'Privileged Authentication Administrator',
    );
  else
    requireDelegatedRole(call.caller, 'Global Administrator', 'Groups Administrator', 'User Administrator');
}

function restore(req: EmulatorRequest, call: GraphCall) {
  const { tenant } = call;
  const item = requireDeleted(tenant, req.params.id!, call.now);
  requireWrite(call, item);
  if (item.user) {
    const user = item.user;
    tenant.deletedItems.delete(user.id);
    user.changedAt = call.now;
    tenant.users.set(user.id, user);
    for (const gid of item.memberOf) {
      const g = tenant.groups.get(gid);
      if (g) g.memberIds.add(user.id);
    }
  } else {
    const group = item.group!;
    tenant.deletedItems.delete(group.id);
    group.changedAt = call.now;
    tenant.groups.set(group.id, group);
  }
  const view = deletedView(call.caller, item);
  const defaults = item.user ? USER_DEFAULT_SELECT : GROUP_DEFAULT_SELECT;
  const selectable = item.user ? USER_SELECTABLE : GROUP_SELECTABLE;
  const body = selectProperties(
    { ...view, deletedDateTime: null },
    undefined,
    defaults,
    selectable,
    'microsoft.graph.directoryObject',
  );
  return call.json(200, {
    '@odata.context': call.odataContext('directoryObjects/$entity'),
    '@odata.type': view['@odata.type'],
    ...body,
  });
}
