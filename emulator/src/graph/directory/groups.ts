// /v1.0/groups: security and Microsoft 365 groups, members $ref add/remove and members@odata.bind
// (graph-spec §2.2; group-post-groups, group-update, group-post-members, group-delete-members).
import { randomUUID } from 'node:crypto';
import type { EmulatorContext } from '../../context';
import { jsonBody } from '../../http/serve';
import type { EmulatorRequest, Router } from '../../http/router';
import type { DirectoryGroup, Tenant } from '../../state/model';
import { requireDelegatedRole, requirePermission } from '../kernel/auth';
import { GraphError, graphErrors } from '../kernel/errors';
import { addGraphRoute, type GraphCall } from '../kernel/pipeline';
import { GROUP_FILTERS, USER_FILTERS } from '../query/capabilities';
import { countCollection, listCollection, type CollectionSpec } from '../query/collection';
import { selectProperties } from '../query/select';
import { directoryObjectView, type DirectoryObjectRef } from './directoryObjects';
import {
  GROUP_DEFAULT_SELECT,
  GROUP_SELECTABLE,
  GROUP_WRITABLE,
  groupView,
  isUnified,
  requireGroup,
} from './groupModel';
import { GROUP_CREATE, GROUP_MEMBER_WRITE, GROUP_READ, GROUP_WRITE } from './permissions';
import { canonicalId, kindOf, referencedId } from './references';
import { recordRemoval } from './removals';
import { assertSmtpAddressFree, purgeExpiredDeletedItems } from './uniqueness';
import { applyMailToProxies, isGuid, userView } from './userModel';
import { objectBody } from './userValidation';

const GROUP_ADMIN_ROLES = ['Global Administrator', 'Groups Administrator', 'User Administrator'] as const;

/** Role-assignable groups also need RoleManagement.ReadWrite.Directory to change members (group-post-members). */
function requireRoleAssignableRight(call: GraphCall, group: DirectoryGroup): void {
  if (group.properties.isAssignableToRole === true)
    requirePermission(call.caller, { application: ['RoleManagement.ReadWrite.Directory'] });
}
const MAX_LINK_CHANGES = 20;

function groupCollection(call: GraphCall): CollectionSpec<DirectoryGroup> {
  return {
    entitySet: 'groups',
    resourceName: 'Group',
    typeName: 'microsoft.graph.group',
    capabilities: GROUP_FILTERS,
    items: [...call.tenant.groups.values()],
    view: (g) => groupView(g),
    defaultSelect: GROUP_DEFAULT_SELECT,
    selectable: GROUP_SELECTABLE,
    changedAt: (g) => g.changedAt,
    orderable: { default: ['displayName'], advanced: ['createdDateTime', 'mail'] },
    searchable: ['displayName', 'description', 'mail', 'mailNickname'],
  };
}

/** Members (or memberOf, directReports) as a directoryObject collection. */
export function objectCollection(
  call: GraphCall,
  refs: DirectoryObjectRef[],
  entitySet: string,
): CollectionSpec<DirectoryObjectRef> {
  const { tenant } = call;
  return {
    entitySet,
    resourceName: 'DirectoryObject',
    typeName: 'microsoft.graph.directoryObject',
    capabilities: USER_FILTERS,
    items: refs,
    view: (r) =>
      r.kind === 'user'
        ? userView(tenant.users.get(r.id)!)
        : r.kind === 'group'
          ? groupView(tenant.groups.get(r.id)!)
          : directoryObjectView(tenant, r),
    defaultSelect: [],
    selectable: [],
    render: (r, selected) => directoryObjectView(tenant, r, selected),
  };
}

function memberRefs(tenant: Tenant, group: DirectoryGroup): DirectoryObjectRef[] {
  const refs: DirectoryObjectRef[] = [];
  for (const id of group.memberIds) {
    const kind = kindOf(tenant, id);
    if (kind) refs.push({ kind, id });
  }
  return refs;
}

export function registerGroupRoutes(router: Router, ctx: EmulatorContext): void {
  addGraphRoute(router, ctx, 'GET', '/v1.0/groups', { permissions: GROUP_READ }, (req, call) =>
    listCollection(req, call, groupCollection(call)),
  );
  addGraphRoute(router, ctx, 'GET', '/v1.0/groups/$count', { permissions: GROUP_READ }, (req, call) =>
    countCollection(req, call, groupCollection(call)),
  );
  addGraphRoute(router, ctx, 'POST', '/v1.0/groups', { permissions: GROUP_CREATE }, (req, call) =>
    createGroup(req, call),
  );
  addGraphRoute(router, ctx, 'GET', '/v1.0/groups/{id}', { permissions: GROUP_READ }, (req, call) => {
    const group = requireGroup(call.tenant, req.params.id!);
    const selected = req.query
      .get('$select')
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    return call.json(200, {
      '@odata.context': call.odataContext('groups/$entity'),
      ...selectProperties(
        groupView(group),
        selected,
        GROUP_DEFAULT_SELECT,
        GROUP_SELECTABLE,
        'microsoft.graph.group',
      ),
    });
  });
  addGraphRoute(router, ctx, 'PATCH', '/v1.0/groups/{id}', {}, (req, call) => updateGroup(req, call));
  addGraphRoute(router, ctx, 'DELETE', '/v1.0/groups/{id}', { permissions: GROUP_WRITE }, (req, call) => {
    requireDelegatedRole(call.caller, ...GROUP_ADMIN_ROLES);
    const group = requireGroup(call.tenant, req.params.id!);
    call.tenant.groups.delete(group.id);
    // Microsoft 365 groups go to deleted items for 30 days; security groups are deleted permanently
    // (directory-deleteditems-restore).
    if (!isUnified(group)) recordRemoval(call.tenant, { id: group.id, kind: 'group', at: call.now });
    if (isUnified(group))
      call.tenant.deletedItems.set(group.id, { kind: 'group', group, memberOf: [], deletedAt: call.now });
    return call.noContent();
  });
  addGraphRoute(router, ctx, 'GET', '/v1.0/groups/{id}/members', { permissions: GROUP_READ }, (req, call) => {
    const group = requireGroup(call.tenant, req.params.id!);
    return listCollection(
      req,
      call,
      objectCollection(call, memberRefs(call.tenant, group), 'directoryObjects'),
    );
  });
  addGraphRoute(
    router,
    ctx,
    'GET',
    '/v1.0/groups/{id}/members/$count',
    { permissions: GROUP_READ },
    (req, call) => {
      const group = requireGroup(call.tenant, req.params.id!);
      return countCollection(
        req,
        call,
        objectCollection(call, memberRefs(call.tenant, group), 'directoryObjects'),
      );
    },
  );
  addGraphRoute(
    router,
    ctx,
    'POST',
    '/v1.0/groups/{id}/members/$ref',
    { permissions: GROUP_MEMBER_WRITE },
    (req, call) => {
      requireDelegatedRole(call.caller, ...GROUP_ADMIN_ROLES);
      const group = requireGroup(call.tenant, req.params.id!);
      requireRoleAssignableRight(call, group);
      const body = objectBody(jsonBody(req));
      if (Object.keys(body).some((k) => k.toLowerCase() === 'members@odata.bind'))
        throw new GraphError(
          400,
          'BadRequest',
          'The request is currently not supported on the targeted entity set',
        );
      const id = referencedId(body['@odata.id']);
      const memberId = canonicalId(call.tenant, id);
      if (!memberId) throw graphErrors.notFound(id);
      if (group.memberIds.has(memberId))
        throw graphErrors.badRequest(
          "One or more added object references already exist for the following modified properties: 'members'.",
        );
      // A membership is a link, not a property of the group: a lagging replica still finds the group (with its
      // older membership), so membership changes do not hide it from $filter.
      group.memberIds.add(memberId);
      return call.noContent();
    },
  );
  addGraphRoute(
    router,
    ctx,
    'DELETE',
    '/v1.0/groups/{id}/members/{memberId}/$ref',
    { permissions: GROUP_MEMBER_WRITE },
    (req, call) => {
      requireDelegatedRole(call.caller, ...GROUP_ADMIN_ROLES);
      const group = requireGroup(call.tenant, req.params.id!);
      requireRoleAssignableRight(call, group);
      const memberId = req.params.memberId!;
      if (!isGuid(memberId))
        throw graphErrors.unsupportedQuery(
          "Unsupported referenced-object resource identifier for link property 'members'.",
        );
      const stored = [...group.memberIds].find((m) => m.toLowerCase() === memberId.toLowerCase());
      // Not a member: 404 naming the group, as observed (microsoft-graph-docs issue 18715); see docs/graph.md.
      if (!stored) throw graphErrors.notFound(group.id);
      group.memberIds.delete(stored);
      return call.noContent();
    },
  );
}

/** Resolves members@odata.bind: at most 20 link changes, every reference valid, none already a member. */
/**
 * Resolves members@odata.bind and owners@odata.bind: at most 20 link changes together, every reference valid,
 * none already linked. Nothing is applied here, so the caller can apply all or nothing.
 */
function resolveBinds(
  call: GraphCall,
  body: Record<string, unknown>,
  group: DirectoryGroup | undefined,
): { members: string[]; owners: string[] } {
  const entries = Object.entries(body).filter(([k]) => /^(members|owners)@odata\.bind$/i.test(k));
  const links = entries.flatMap(([k, v]) => {
    if (!Array.isArray(v)) throw graphErrors.badRequest(`Invalid value specified for property '${k}'.`);
    return v.map((ref) => ({ owner: /^owners/i.test(k), ref }));
  });
  if (links.length > MAX_LINK_CHANGES)
    throw graphErrors.badRequest('A resource cannot contain more than 20 link changes');
  const out = { members: [] as string[], owners: [] as string[] };
  for (const link of links) {
    const id = referencedId(link.ref);
    const stored = canonicalId(call.tenant, id);
    if (!stored) throw graphErrors.notFound(id);
    const list = link.owner ? out.owners : out.members;
    const existing = link.owner ? group?.ownerIds : group?.memberIds;
    if (existing?.has(stored) || list.includes(stored))
      throw graphErrors.badRequest(
        `One or more added object references already exist for the following modified properties: '${link.owner ? 'owners' : 'members'}'.`,
      );
    list.push(stored);
  }
  return out;
}

const NICKNAME = /^[^@()\\[\]";:<>,\s]{1,64}$/;

function createGroup(req: EmulatorRequest, call: GraphCall) {
  requireDelegatedRole(call.caller, ...GROUP_ADMIN_ROLES);
  const { tenant } = call;
  const body = objectBody(jsonBody(req));
  const props = groupProperties(body);
  for (const required of ['displayName', 'mailEnabled', 'mailNickname', 'securityEnabled'])
    if (props[required] === undefined || props[required] === null)
      throw graphErrors.badRequest(`Property ${required} value is required but is empty or missing.`);
  validateGroupValues(props);
  const types = (props.groupTypes as string[] | undefined) ?? [];
  const unified = types.includes('Unified');
  // Graph creates only Microsoft 365 groups and security groups; mail-enabled security and distribution
  // groups are Exchange objects (group-post-groups).
  if (props.mailEnabled === true && !unified)
    throw graphErrors.badRequest(
      'The service does not currently support writes of mail-enabled groups. Please ensure that the mail-enablement property is unset or set to false.',
    );
  const defaultDomain = tenant.domains.find((d) => d.isDefault)?.id ?? tenant.domains[0]!.id;
  let mail: string | undefined;
  if (unified) {
    purgeExpiredDeletedItems(tenant, call.now);
    const nick = String(props.mailNickname).toLowerCase();
    const taken = [
      ...tenant.groups.values(),
      ...[...tenant.deletedItems.values()].flatMap((d) => (d.group ? [d.group] : [])),
    ].some((g) => isUnified(g) && String(g.properties.mailNickname ?? '').toLowerCase() === nick);
    if (taken) throw graphErrors.conflict('mailNickname');
    mail = `${props.mailNickname as string}@${defaultDomain}`;
    assertSmtpAddressFree(tenant, mail, undefined, call.now);
  }
  const links = resolveBinds(call, body, undefined);
  const group: DirectoryGroup = {
    id: randomUUID(),
    properties: {
      ...props,
      groupTypes: types,
      visibility: props.visibility ?? (unified ? 'Public' : null),
      ...(mail ? { mail, proxyAddresses: applyMailToProxies([], mail) } : { mail: null, proxyAddresses: [] }),
    },
    memberIds: new Set(links.members),
    ownerIds: new Set(links.owners),
    createdAt: call.now,
    changedAt: call.now,
  };
  tenant.groups.set(group.id, group);
  return call.json(201, {
    '@odata.context': call.odataContext('groups/$entity'),
    ...selectProperties(
      groupView(group),
      undefined,
      GROUP_DEFAULT_SELECT,
      GROUP_SELECTABLE,
      'microsoft.graph.group',
    ),
  });
}

function groupProperties(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    if (k.startsWith('@odata.') || /@odata\.bind$/i.test(k)) continue;
    const name = GROUP_WRITABLE.find((w) => w.toLowerCase() === k.toLowerCase());
    if (!name) {
      if (['id', 'mail', 'proxyaddresses', 'createddatetime'].includes(k.toLowerCase()))
        throw graphErrors.badRequest(`Property '${k}' is read-only and cannot be set.`);
      throw graphErrors.badRequest(
        `Property '${k}' does not exist as a declared property or extension property.`,
      );
    }
    out[name] = v;
  }
  return out;
}

function validateGroupValues(props: Record<string, unknown>): void {
  if ('displayName' in props && (typeof props.displayName !== 'string' || props.displayName.trim() === ''))
    throw graphErrors.invalidValue('displayName', 'Group');
  if (
    'mailNickname' in props &&
    (typeof props.mailNickname !== 'string' || !NICKNAME.test(props.mailNickname))
  )
    throw graphErrors.invalidValue('mailNickname', 'Group');
  for (const b of ['mailEnabled', 'securityEnabled'])
    if (b in props && typeof props[b] !== 'boolean') throw graphErrors.invalidValue(b, 'Group');
  if ('groupTypes' in props) {
    const t = props.groupTypes;
    if (!Array.isArray(t) || t.some((x) => x !== 'Unified' && x !== 'DynamicMembership'))
      throw graphErrors.invalidValue('groupTypes', 'Group');
  }
}

function updateGroup(req: EmulatorRequest, call: GraphCall) {
  requireDelegatedRole(call.caller, ...GROUP_ADMIN_ROLES);
  const body = objectBody(jsonBody(req));
  const props = groupProperties(body);
  // Properties need Group.ReadWrite.All; members@odata.bind alone is a membership change.
  if (Object.keys(props).length > 0) requirePermission(call.caller, GROUP_WRITE);
  if (Object.keys(body).some((k) => /@odata\.bind$/i.test(k)))
    requirePermission(call.caller, GROUP_MEMBER_WRITE);
  if (Object.keys(props).length === 0 && !Object.keys(body).some((k) => /@odata\.bind$/i.test(k)))
    requirePermission(call.caller, GROUP_WRITE);
  const group = requireGroup(call.tenant, req.params.id!);
  if (Object.keys(body).some((k) => /^members@odata\.bind$/i.test(k)))
    requireRoleAssignableRight(call, group);
  for (const fixed of ['mailEnabled', 'securityEnabled', 'groupTypes'])
    if (
      fixed in props &&
      JSON.stringify(props[fixed]) !==
        JSON.stringify(group.properties[fixed] ?? (fixed === 'groupTypes' ? [] : undefined))
    )
      throw graphErrors.badRequest(`Property '${fixed}' cannot be updated on this group.`);
  validateGroupValues(props);
  // All-or-nothing: every reference is checked before any member is added (group-post-members, Example 2).
  const links = resolveBinds(call, body, group);
  for (const [k, v] of Object.entries(props)) {
    if (v === null) delete group.properties[k];
    else group.properties[k] = v;
  }
  for (const m of links.members) group.memberIds.add(m);
  for (const o of links.owners) group.ownerIds.add(o);
  if (Object.keys(props).length > 0) group.changedAt = call.now;
  return call.noContent();
}

export { memberRefs };
