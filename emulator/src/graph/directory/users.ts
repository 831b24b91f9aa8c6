// /v1.0/users: create, list, get, update, delete (graph-spec §1), with Graph's permission and role rules.
import { randomUUID } from 'node:crypto';
import type { EmulatorContext } from '../../context';
import { jsonBody } from '../../http/serve';
import type { EmulatorRequest, Router } from '../../http/router';
import type { DirectoryUser } from '../../state/model';
import { rolesOf } from '../../tokens/accessToken';
import { requireDelegatedRole, requirePermission, requireSensitiveAction, forbidden } from '../kernel/auth';
import { addGraphRoute, type GraphCall } from '../kernel/pipeline';
import { requireDelegatedCaller } from '../kernel/me';
import { USER_FILTERS } from '../query/capabilities';
import {
  countCollection,
  expandNotSupported,
  listCollection,
  type CollectionSpec,
} from '../query/collection';
import { directoryObjectView } from './directoryObjects';
import { selectProperties } from '../query/select';
import { requireLifecycleWrite, userViewFor } from './lifecycleInfo';
import { USER_ENABLE_DISABLE, USER_PASSWORD, USER_READ, USER_WRITE } from './permissions';
import { assertSmtpAddressFree, assertUpnFree } from './uniqueness';
import {
  applyMailToProxies,
  DELEGATED_ONLY_PROPERTIES,
  requireUser,
  USER_DEFAULT_SELECT,
  USER_SELECTABLE,
  userView,
} from './userModel';
import { objectBody, userPropertiesOf, validateUserValues } from './userValidation';

/** Admin roles allowed to manage users in delegated calls (user-post-users, user-update, user-delete). */
const USER_ADMIN_ROLES = [
  'Global Administrator',
  'User Administrator',
  'Privileged Authentication Administrator',
] as const;

/** Properties that are sensitive on privileged targets ("Who can perform sensitive actions", user-update). */
const SENSITIVE_PROPERTIES = new Set(['businessPhones', 'mobilePhone', 'otherMails']);

export function userCollection(call: GraphCall): CollectionSpec<DirectoryUser> {
  return {
    entitySet: 'users',
    resourceName: 'User',
    typeName: 'microsoft.graph.user',
    capabilities: USER_FILTERS,
    items: [...call.tenant.users.values()],
    view: (u) => userViewFor(call.caller, u),
    defaultSelect: USER_DEFAULT_SELECT,
    selectable: USER_SELECTABLE,
    changedAt: (u) => u.changedAt,
    orderable: {
      default: ['displayName', 'userPrincipalName'],
      advanced: ['mail', 'createdDateTime', 'employeeHireDate'],
    },
    searchable: [
      'displayName',
      'mail',
      'userPrincipalName',
      'givenName',
      'surname',
      'mailNickname',
      'employeeId',
    ],
    expand: (u, expand) => expandUser(call, u, expand),
  };
}

/** `$expand=manager` (optionally `manager($select=…)`), the navigation property provisioning reads most. */
function expandUser(call: GraphCall, user: DirectoryUser, expand: string): Record<string, unknown> {
  const m = /^\s*manager\s*(?:\(\s*\$select\s*=\s*([^)]*)\))?\s*$/i.exec(expand);
  if (!m) throw expandNotSupported(expand, 'microsoft.graph.user');
  const manager = user.managerId ? call.tenant.users.get(user.managerId) : undefined;
  if (!manager) return {};
  const select = m[1]
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return { manager: directoryObjectView(call.tenant, { kind: 'user', id: manager.id }, select) };
}

export function registerUserRoutes(router: Router, ctx: EmulatorContext): void {
  addGraphRoute(router, ctx, 'GET', '/v1.0/users', { permissions: USER_READ }, (req, call) => {
    return listCollection(req, call, userCollection(call));
  });
  addGraphRoute(router, ctx, 'GET', '/v1.0/users/$count', { permissions: USER_READ }, (req, call) =>
    countCollection(req, call, userCollection(call)),
  );
  addGraphRoute(router, ctx, 'GET', '/v1.0/me', {}, (req, call) => {
    requireDelegatedCaller(call.caller);
    requirePermission(call.caller, { application: [], delegated: ['User.Read', ...USER_READ.delegated!] });
    return getUser(req, call, call.caller.principalId);
  });
  addGraphRoute(router, ctx, 'GET', '/v1.0/users/{id}', { permissions: USER_READ }, (req, call) =>
    getUser(req, call, req.params.id!),
  );
  addGraphRoute(router, ctx, 'POST', '/v1.0/users', { permissions: USER_WRITE }, (req, call) =>
    createUser(req, call),
  );
  addGraphRoute(router, ctx, 'PATCH', '/v1.0/users/{id}', {}, (req, call) => updateUser(req, call));
  addGraphRoute(router, ctx, 'DELETE', '/v1.0/users/{id}', { permissions: USER_WRITE }, (req, call) =>
    deleteUser(req, call),
  );
}

function getUser(req: EmulatorRequest, call: GraphCall, idOrUpn: string) {
  const user = requireUser(call.tenant, idOrUpn);
  const select = req.query.get('$select');
  const selected = select
    ? select
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;
  const body = selectProperties(
    userViewFor(call.caller, user),
    selected,
    USER_DEFAULT_SELECT,
    USER_SELECTABLE,
    'microsoft.graph.user',
  );
  const expand = req.query.get('$expand');
  return call.json(200, {
    '@odata.context': call.odataContext(selected ? `users(${selected.join(',')})/$entity` : 'users/$entity'),
    ...body,
    ...(expand !== null ? expandUser(call, user, expand) : {}),
  });
}

function createUser(req: EmulatorRequest, call: GraphCall) {
  requireDelegatedRole(call.caller, ...USER_ADMIN_ROLES);
  const props = userPropertiesOf(objectBody(jsonBody(req)));
  if (props.employeeLeaveDateTime !== undefined) requireLifecycleWrite(call.caller);
  if (call.caller.kind === 'app' && Object.keys(props).some((p) => DELEGATED_ONLY_PROPERTIES.has(p)))
    throw forbidden();
  const { values, password } = validateUserValues(call.tenant, props, true);
  assertUpnFree(call.tenant, values.userPrincipalName as string, undefined, call.now);
  const mail = typeof values.mail === 'string' ? values.mail : undefined;
  if (mail) assertSmtpAddressFree(call.tenant, mail, undefined, call.now);
  const user: DirectoryUser = {
    id: randomUUID(),
    properties: { ...values, proxyAddresses: mail ? applyMailToProxies([], mail) : [] },
    password,
    assignedLicenses: [],
    signInSessionsValidFrom: call.now,
    createdAt: call.now,
    changedAt: call.now,
  };
  call.tenant.users.set(user.id, user);
  const body = selectProperties(
    userView(user),
    undefined,
    USER_DEFAULT_SELECT,
    USER_SELECTABLE,
    'microsoft.graph.user',
  );
  return call.json(201, { '@odata.context': call.odataContext('users/$entity'), ...body });
}

function updateUser(req: EmulatorRequest, call: GraphCall) {
  const { caller, tenant } = call;
  const props = userPropertiesOf(objectBody(jsonBody(req)));
  const user = requireUser(tenant, req.params.id!);
  const names = Object.keys(props);
  // Each property needs the permission Graph documents for it (graph-spec §1.2–1.3).
  const general = names.filter(
    (n) => !['accountEnabled', 'passwordProfile', 'employeeLeaveDateTime'].includes(n),
  );
  if (general.length > 0) requirePermission(caller, USER_WRITE);
  if (names.includes('accountEnabled')) requirePermission(caller, USER_ENABLE_DISABLE);
  if (names.includes('passwordProfile')) requirePermission(caller, USER_PASSWORD);
  if (names.includes('employeeLeaveDateTime')) requireLifecycleWrite(caller);
  if (caller.kind === 'app' && names.some((p) => DELEGATED_ONLY_PROPERTIES.has(p))) throw forbidden();
  if (names.length > 0 && caller.kind === 'user' && caller.principalId !== user.id)
    requireDelegatedRole(caller, ...USER_ADMIN_ROLES);
  // Directory-role rules for sensitive actions on the target.
  if (names.includes('passwordProfile')) requireSensitiveAction(caller, tenant, user.id, 'resetPassword');
  if (names.includes('accountEnabled') && props.accountEnabled !== user.properties.accountEnabled)
    requireSensitiveAction(caller, tenant, user.id, 'enableDisable');
  if (names.some((n) => SENSITIVE_PROPERTIES.has(n)) && rolesOf(tenant, user.id).length > 0)
    requireSensitiveAction(caller, tenant, user.id, 'sensitiveProperty');

  const { values, password } = validateUserValues(tenant, props, false, user.properties);
  if (typeof values.userPrincipalName === 'string')
    assertUpnFree(tenant, values.userPrincipalName, user.id, call.now);
  const mail = values.mail;
  if (typeof mail === 'string') assertSmtpAddressFree(tenant, mail, user.id, call.now);
  for (const [k, v] of Object.entries(values)) {
    if (v === null) delete user.properties[k];
    else user.properties[k] = v;
  }
  if (typeof mail === 'string')
    user.properties.proxyAddresses = applyMailToProxies(
      (user.properties.proxyAddresses as string[]) ?? [],
      mail,
    );
  if (password !== undefined) user.password = password;
  user.changedAt = call.now;
  return call.noContent();
}

function deleteUser(req: EmulatorRequest, call: GraphCall) {
  const { caller, tenant } = call;
  requireDelegatedRole(caller, ...USER_ADMIN_ROLES);
  const user = requireUser(tenant, req.params.id!);
  if (rolesOf(tenant, user.id).length > 0 || caller.kind === 'user')
    requireSensitiveAction(caller, tenant, user.id, 'delete');
  const memberOf: string[] = [];
  for (const g of tenant.groups.values()) if (g.memberIds.delete(user.id)) memberOf.push(g.id);
  tenant.users.delete(user.id);
  tenant.deletedItems.set(user.id, { kind: 'user', user, memberOf, deletedAt: call.now });
  return call.noContent();
}
