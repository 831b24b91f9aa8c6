// Graph OneDrive routes a leaver needs: get a user's drive (404 until provisioned), get a drive, invite a user to
// the root (POST .../root/invite → 200 {value:[permission]}), list and remove root permissions. Errors are
// OneDrive's ({"error":{"code":"accessDenied"|"itemNotFound"|"invalidRequest",...}}); an unprovisioned OneDrive
// answers 404 ResourceNotFound "User's mysite not found." as Graph does (graph-spec.md §8;
// https://learn.microsoft.com/graph/api/drive-get, https://learn.microsoft.com/graph/api/driveitem-invite). The routes run
// through the Graph kernel (token, faults, SharePoint's resource-unit throttling, permission).
import { randomUUID } from 'node:crypto';
import type { EmulatorContext } from '../context';
import type { EmulatorRequest, EmulatorResponse, Router } from '../http/router';
import { jsonBody } from '../http/serve';
import type { DirectoryUser, Drive, Tenant } from '../state/model';
import { findUser } from '../graph/directory/userModel';
import {
  addGraphRoute,
  GraphError,
  type GraphCall,
  type GraphCaller,
  type GraphRouteOptions,
  type PermissionRule,
} from '../graph/kernel';
import { requireDelegatedCaller } from '../graph/kernel/me';
import {
  driveById,
  driveOfUser,
  driveView,
  hasOneDriveLicence,
  ownerPermissionId,
  permissionView,
  provisionDrive,
  rootItemId,
  rootItemView,
} from './drives';

// Application permissions are all tenant-wide (*.All); delegated callers may also hold Files.Read/ReadWrite.
const WRITE_ALL = ['Files.ReadWrite.All', 'Sites.ReadWrite.All', 'Sites.Manage.All', 'Sites.FullControl.All'];
const READ_ALL = ['Files.Read.All', 'Sites.Read.All', ...WRITE_ALL];
const READ: PermissionRule = {
  application: READ_ALL,
  delegated: ['Files.Read', 'Files.ReadWrite', ...READ_ALL],
};
const WRITE: PermissionRule = { application: WRITE_ALL, delegated: ['Files.ReadWrite', ...WRITE_ALL] };
const INVITE_ROLES = ['read', 'write'];

/** SharePoint's resource units per Graph request: a single item 1, any permission operation 5. */
const ITEM_RU = 1;
const PERMISSION_RU = 5;

type Located = { call: GraphCall; caller: GraphCaller; tenant: Tenant; drive: Drive };

const options = (permissions: PermissionRule, resourceUnits: number): GraphRouteOptions => ({
  permissions,
  denied: accessDenied,
  throttle: { service: 'files', resourceUnits },
});

export function registerOneDriveRoutes(router: Router, ctx: EmulatorContext): void {
  const route = (
    method: string,
    template: string,
    permissions: PermissionRule,
    resourceUnits: number,
    then: (req: EmulatorRequest, l: Located) => EmulatorResponse,
  ): void =>
    addGraphRoute(router, ctx, method, template, options(permissions, resourceUnits), (req, call) =>
      then(req, locate(req, call)),
    );
  for (const template of ['/v1.0/users/{user}/drive', '/v1.0/me/drive', '/v1.0/drives/{drive}'])
    route('GET', template, READ, ITEM_RU, (_req, l) => l.call.json(200, driveView(l.tenant, l.drive)));
  for (const base of ['/v1.0/drives/{drive}', '/v1.0/users/{user}/drive', '/v1.0/me/drive']) {
    route('GET', `${base}/root`, READ, ITEM_RU, (_req, l) =>
      l.call.json(200, rootItemView(l.tenant, l.drive)),
    );
    for (const item of ['root', 'items/{item}']) {
      route('POST', `${base}/${item}/invite`, WRITE, PERMISSION_RU, (req, l) =>
        rootOnly(req, l, () => invite(req, l)),
      );
      route('GET', `${base}/${item}/permissions`, READ, PERMISSION_RU, (req, l) =>
        rootOnly(req, l, () => listPermissions(l)),
      );
      route('DELETE', `${base}/${item}/permissions/{permission}`, WRITE, PERMISSION_RU, (req, l) =>
        rootOnly(req, l, () => removePermission(req, l)),
      );
    }
  }
}

function accessDenied(): GraphError {
  return new GraphError(
    403,
    'accessDenied',
    'Access denied. You do not have permission to perform this action or access this resource.',
  );
}

const itemNotFound = (): GraphError =>
  new GraphError(404, 'itemNotFound', 'The resource could not be found.');

/** The drive a request names (by drive id, user or /me); throws Graph's 404s and OneDrive's 403. */
function locate(req: EmulatorRequest, call: GraphCall): Located {
  const { caller, tenant } = call;
  let drive: Drive | undefined;
  if (req.params.drive !== undefined) {
    drive = driveById(tenant, req.params.drive);
    if (!drive) throw itemNotFound();
  } else {
    const segment = req.params.user ?? 'me';
    if (segment === 'me') requireDelegatedCaller(caller);
    const user = segment === 'me' ? tenant.users.get(caller.principalId) : findUser(tenant, segment);
    if (!user)
      throw new GraphError(
        404,
        'Request_ResourceNotFound',
        `Resource '${segment}' does not exist or one of its queried reference-property objects are not present.`,
      );
    drive = driveOfUser(tenant, user.id);
    // Graph provisions a OneDrive on the user's own delegated call; app-only access never provisions.
    if (
      !drive &&
      caller.kind === 'user' &&
      caller.principalId === user.id &&
      hasOneDriveLicence(tenant, user)
    )
      drive = provisionDrive(tenant, user, call.now);
    if (!drive) throw new GraphError(404, 'ResourceNotFound', "User's mysite not found.");
  }
  // A delegated caller reaches only drives they own or were granted.
  if (
    caller.kind === 'user' &&
    drive.userId !== caller.principalId &&
    !drive.permissions.some((p) => p.grantedTo === caller.principalId)
  )
    throw accessDenied();
  return { call, caller, tenant, drive };
}

function rootOnly(req: EmulatorRequest, l: Located, then: () => EmulatorResponse): EmulatorResponse {
  const item = req.params.item;
  if (item !== undefined && item !== rootItemId(l.drive) && item.toLowerCase() !== 'root')
    throw itemNotFound();
  return then();
}

function resolveRecipient(tenant: Tenant, r: Record<string, unknown>): DirectoryUser | undefined {
  const key = String(r.email ?? r.objectId ?? r.alias ?? '').toLowerCase();
  if (!key) return undefined;
  return [...tenant.users.values()].find((u) => {
    const proxies = Array.isArray(u.properties.proxyAddresses)
      ? (u.properties.proxyAddresses as string[])
      : [];
    return [
      u.id,
      String(u.properties.userPrincipalName ?? ''),
      String(u.properties.mail ?? ''),
      String(u.properties.mailNickname ?? ''),
      ...proxies.map((p) => p.replace(/^smtp:/i, '')),
    ].some((c) => c !== '' && c.toLowerCase() === key);
  });
}

function invite(req: EmulatorRequest, l: Located): EmulatorResponse {
  const body = jsonBody(req) as Record<string, unknown> | undefined;
  const bad = (message: string): EmulatorResponse => l.call.error(400, 'invalidRequest', message);
  if (!body || typeof body !== 'object' || Array.isArray(body))
    return bad('The request body must be a JSON object.');
  const { recipients, roles, requireSignIn, sendInvitation, message } = body;
  if (!Array.isArray(recipients) || recipients.length === 0)
    return bad('At least one recipient is required.');
  if (!Array.isArray(roles) || roles.length === 0) return bad('At least one role is required.');
  const wanted = roles.map((r) => String(r).toLowerCase());
  const badRole = wanted.find((r) => !INVITE_ROLES.includes(r));
  if (badRole) return bad(`Invalid value for roles: '${badRole}'. Allowed values are read and write.`);
  for (const [k, v] of Object.entries({ requireSignIn, sendInvitation }))
    if (v !== undefined && typeof v !== 'boolean') return bad(`${k} must be a boolean.`);
  if (message !== undefined && (typeof message !== 'string' || message.length > 2000))
    return bad('message must be a string of at most 2000 characters.');
  const users: { user: DirectoryUser; email: string }[] = [];
  for (const r of recipients) {
    if (!r || typeof r !== 'object') return bad('Each recipient must be a driveRecipient object.');
    const user = resolveRecipient(l.tenant, r as Record<string, unknown>);
    const email = String(
      (r as Record<string, unknown>).email ?? (r as Record<string, unknown>).objectId ?? '',
    );
    if (!user)
      return bad(
        l.caller.kind === 'app'
          ? `The recipient '${email}' is not a user of this organization; new guests can't be invited using app-only access.`
          : `The recipient '${email}' could not be resolved to a user of this organization.`,
      );
    users.push({
      user,
      email: email || String(user.properties.mail ?? user.properties.userPrincipalName ?? ''),
    });
  }
  // Write includes read: re-inviting merges into the existing grant and returns it (same id).
  const role = wanted.includes('write') ? 'write' : 'read';
  const value = users.map(({ user, email }) => {
    let p = l.drive.permissions.find((x) => x.grantedTo === user.id);
    if (p) {
      if (role === 'write' && !p.roles.includes('write')) p.roles = ['write'];
    } else {
      p = {
        id: randomUUID(),
        roles: [role],
        grantedTo: user.id,
        invitation: { email, signInRequired: requireSignIn !== false },
        createdAt: l.call.now,
      };
      l.drive.permissions.push(p);
    }
    return permissionView(l.tenant, p);
  });
  return l.call.json(200, {
    '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#Collection(permission)',
    value,
  });
}

function listPermissions(l: Located): EmulatorResponse {
  const owner = l.tenant.users.get(l.drive.userId);
  const ownerView = permissionView(l.tenant, {
    id: ownerPermissionId(l.drive),
    roles: ['owner'],
    grantedTo: l.drive.userId,
  });
  delete ownerView.invitation;
  return l.call.json(200, {
    '@odata.context':
      "https://graph.microsoft.com/v1.0/$metadata#drives('" + l.drive.id + "')/root/permissions",
    value: [...(owner ? [ownerView] : []), ...l.drive.permissions.map((p) => permissionView(l.tenant, p))],
  });
}

function removePermission(req: EmulatorRequest, l: Located): EmulatorResponse {
  const id = req.params.permission!;
  if (id === ownerPermissionId(l.drive))
    return l.call.error(403, 'accessDenied', "The owner's permission on their OneDrive can't be removed.");
  const before = l.drive.permissions.length;
  l.drive.permissions = l.drive.permissions.filter((p) => p.id !== id);
  if (l.drive.permissions.length === before) throw itemNotFound();
  return l.call.noContent();
}
