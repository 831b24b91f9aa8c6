// Membership reads beyond the direct lists: OData type casts (/memberOf/microsoft.graph.group,
// /members/microsoft.graph.user), transitive closures (group-list-transitivemembers,
// user-list-transitivememberof) and POST /directoryObjects/getByIds (directoryobject-getbyids).
import type { EmulatorContext } from '../../context';
import { jsonBody } from '../../http/serve';
import type { Router } from '../../http/router';
import type { Tenant } from '../../state/model';
import { graphErrors } from '../kernel/errors';
import { addGraphRoute } from '../kernel/pipeline';
import { listCollection } from '../query/collection';
import type { DirectoryObjectRef } from './directoryObjects';
import { directoryObjectView } from './directoryObjects';
import { objectCollection } from './groups';
import { requireGroup } from './groupModel';
import { GROUP_READ, USER_READ } from './permissions';
import { kindOf } from './references';
import { requireUser } from './userModel';
import { objectBody } from './userValidation';

const CASTS: Record<string, DirectoryObjectRef['kind']> = {
  'microsoft.graph.user': 'user',
  'microsoft.graph.group': 'group',
  'microsoft.graph.serviceprincipal': 'servicePrincipal',
};

const READ_BOTH = {
  application: [...new Set([...USER_READ.application, ...GROUP_READ.application])],
  delegated: [...new Set([...USER_READ.delegated!, ...GROUP_READ.delegated!])],
};

/** Every member of a group, following nested groups (each object once). */
function transitiveMembers(tenant: Tenant, groupId: string): DirectoryObjectRef[] {
  const seen = new Set<string>();
  const out: DirectoryObjectRef[] = [];
  const queue = [groupId];
  while (queue.length > 0) {
    const g = tenant.groups.get(queue.shift()!);
    for (const id of g?.memberIds ?? []) {
      if (seen.has(id)) continue;
      seen.add(id);
      const kind = kindOf(tenant, id);
      if (!kind) continue;
      out.push({ kind, id });
      if (kind === 'group') queue.push(id);
    }
  }
  return out;
}

/** Groups an object belongs to directly or through nested groups. */
function transitiveMemberOf(tenant: Tenant, objectId: string): DirectoryObjectRef[] {
  const out: DirectoryObjectRef[] = [];
  const seen = new Set<string>();
  const queue = [objectId];
  while (queue.length > 0) {
    const id = queue.shift()!;
    for (const g of tenant.groups.values())
      if (g.memberIds.has(id) && !seen.has(g.id)) {
        seen.add(g.id);
        out.push({ kind: 'group', id: g.id });
        queue.push(g.id);
      }
  }
  return out;
}

function directMemberOf(tenant: Tenant, userId: string): DirectoryObjectRef[] {
  return [...tenant.groups.values()]
    .filter((g) => g.memberIds.has(userId))
    .map((g) => ({ kind: 'group', id: g.id }));
}

function cast(refs: DirectoryObjectRef[], type: string): DirectoryObjectRef[] {
  const kind = CASTS[type.toLowerCase()];
  if (!kind) throw graphErrors.badRequest(`Resource not found for the segment '${type}'.`);
  return refs.filter((r) => r.kind === kind);
}

/** The membership reads that differ only in whose objects they list and which permissions they need. */
const VIEWS: {
  path: string;
  permissions: typeof GROUP_READ;
  refs: (tenant: Tenant, id: string) => DirectoryObjectRef[];
}[] = [
  { path: '/v1.0/groups/{id}/members/{type}', permissions: GROUP_READ, refs: directMembersOf },
  { path: '/v1.0/groups/{id}/transitiveMembers', permissions: GROUP_READ, refs: transitiveMembersOf },
  { path: '/v1.0/groups/{id}/transitiveMembers/{type}', permissions: GROUP_READ, refs: transitiveMembersOf },
  { path: '/v1.0/users/{id}/memberOf/{type}', permissions: READ_BOTH, refs: userDirectMemberOf },
  { path: '/v1.0/users/{id}/transitiveMemberOf', permissions: READ_BOTH, refs: userTransitiveMemberOf },
  {
    path: '/v1.0/users/{id}/transitiveMemberOf/{type}',
    permissions: READ_BOTH,
    refs: userTransitiveMemberOf,
  },
];

function directMembersOf(tenant: Tenant, id: string): DirectoryObjectRef[] {
  const group = requireGroup(tenant, id);
  return [...group.memberIds].flatMap((member): DirectoryObjectRef[] => {
    const kind = kindOf(tenant, member);
    return kind ? [{ kind, id: member }] : [];
  });
}

function transitiveMembersOf(tenant: Tenant, id: string): DirectoryObjectRef[] {
  return transitiveMembers(tenant, requireGroup(tenant, id).id);
}

function userDirectMemberOf(tenant: Tenant, id: string): DirectoryObjectRef[] {
  return directMemberOf(tenant, requireUser(tenant, id).id);
}

function userTransitiveMemberOf(tenant: Tenant, id: string): DirectoryObjectRef[] {
  return transitiveMemberOf(tenant, requireUser(tenant, id).id);
}

export function registerMembershipViewRoutes(router: Router, ctx: EmulatorContext): void {
  for (const view of VIEWS)
    addGraphRoute(router, ctx, 'GET', view.path, { permissions: view.permissions }, (req, call) => {
      const refs = view.refs(call.tenant, req.params.id!);
      const listed = req.params.type === undefined ? refs : cast(refs, req.params.type);
      return listCollection(req, call, objectCollection(call, listed, 'directoryObjects'));
    });
  addGraphRoute(
    router,
    ctx,
    'POST',
    '/v1.0/directoryObjects/getByIds',
    {
      permissions: {
        application: ['Directory.Read.All', 'Directory.ReadWrite.All', ...READ_BOTH.application],
      },
    },
    (req, call) => {
      const body = objectBody(jsonBody(req));
      const ids = body.ids;
      if (!Array.isArray(ids) || ids.length > 1000 || ids.some((i) => typeof i !== 'string'))
        throw graphErrors.invalidValue('ids', 'DirectoryObject');
      const types = Array.isArray(body.types)
        ? (body.types as string[]).map((t) => t.toLowerCase())
        : undefined;
      const refs: DirectoryObjectRef[] = [];
      for (const id of ids as string[]) {
        const kind = kindOf(call.tenant, id);
        if (!kind) continue;
        if (
          types &&
          !types.some((t) => CASTS[t.startsWith('microsoft.graph.') ? t : `microsoft.graph.${t}`] === kind)
        )
          continue;
        refs.push({ kind, id });
      }
      return call.json(200, {
        '@odata.context': call.odataContext('directoryObjects'),
        value: refs.map((r) => directoryObjectView(call.tenant, r)),
      });
    },
  );
}
