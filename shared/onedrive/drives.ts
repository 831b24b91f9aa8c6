/**
 * The playbook's OneDriveService over the product's Graph client (GraphExecutor: retries, pacing): GET
 * /users/{id}/drive (404 = no OneDrive; app-only access never provisions one), the root's permissions, and
 * POST /drives/{id}/root/invite without an e-mail, and DELETE of a root permission when the share is revoked on
 * return (graph-spec.md §8). Build → send → process, like shared/graph.
 */
import { toGraphError } from '../graph/errors';
import type { GraphExecutor } from '../graph/executor';
import { isSuccess, type GraphRequest, type GraphResponse } from '../graph/types';
import type { DriveGrant, OneDriveService } from '../playbook/ports';

const enc = encodeURIComponent;

export const buildDriveRequest = {
  userDrive: (userId: string): GraphRequest => ({
    method: 'GET',
    url: `/users/${enc(userId)}/drive?$select=id`,
  }),
  rootPermissions: (driveId: string): GraphRequest => ({
    method: 'GET',
    url: `/drives/${enc(driveId)}/root/permissions`,
  }),
  invite: (driveId: string, recipients: readonly string[], role: 'read' | 'write'): GraphRequest => ({
    method: 'POST',
    url: `/drives/${enc(driveId)}/root/invite`,
    body: {
      recipients: recipients.map((email) => ({ email })),
      roles: [role],
      requireSignIn: true,
      sendInvitation: false,
    },
  }),
  /** DELETE /drives/{drive-id}/items/{item-id}/permissions/{perm-id} (204), `root` naming the root item. */
  removePermission: (driveId: string, permissionId: string): GraphRequest => ({
    method: 'DELETE',
    url: `/drives/${enc(driveId)}/items/root/permissions/${enc(permissionId)}`,
  }),
};

interface RawIdentity {
  id?: unknown;
  email?: unknown;
  loginName?: unknown;
}

/** Grants other than the owner's, from a permissions answer (pure). */
export function parseGrants(response: GraphResponse): DriveGrant[] {
  const list = (response.body as { value?: unknown } | undefined)?.value;
  if (!Array.isArray(list)) return [];
  const out: DriveGrant[] = [];
  for (const p of list as Record<string, unknown>[]) {
    const roles = Array.isArray(p.roles) ? p.roles.map(String) : [];
    if (roles.includes('owner')) continue;
    const v2 = p.grantedToV2 as { user?: RawIdentity; siteUser?: RawIdentity } | undefined;
    const v1 = p.grantedTo as { user?: RawIdentity } | undefined;
    const who = v2?.user ?? v2?.siteUser ?? v1?.user;
    const invitation = p.invitation as { email?: unknown } | undefined;
    const email = [who?.email, invitation?.email, v2?.siteUser?.loginName].find(
      (e): e is string => typeof e === 'string' && e.includes('@'),
    );
    const inherited = p.inheritedFrom !== undefined && p.inheritedFrom !== null;
    out.push({
      permissionId: String(p.id),
      roles,
      ...(inherited ? { inherited: true as const } : {}),
      ...(email ? { email: email.replace(/^i:0#\.f\|membership\|/i, '').toLowerCase() } : {}),
      ...(typeof who?.id === 'string' ? { userId: who.id } : {}),
    });
  }
  return out;
}

export class GraphOneDrive implements OneDriveService {
  constructor(private readonly executor: GraphExecutor) {}

  private async call(request: GraphRequest, action: string): Promise<GraphResponse> {
    const response = await this.executor.send(request);
    if (!isSuccess(response.status)) throw toGraphError(response, { action });
    return response;
  }

  async getDriveId(userId: string): Promise<string | null> {
    const response = await this.executor.send(buildDriveRequest.userDrive(userId));
    if (response.status === 404) return null;
    if (!isSuccess(response.status)) throw toGraphError(response, { action: 'getDrive' });
    return String((response.body as { id?: unknown }).id);
  }

  async rootGrants(driveId: string): Promise<DriveGrant[]> {
    return parseGrants(await this.call(buildDriveRequest.rootPermissions(driveId), 'listDrivePermissions'));
  }

  async inviteToRoot(driveId: string, recipients: readonly string[], role: 'read' | 'write'): Promise<void> {
    await this.call(buildDriveRequest.invite(driveId, recipients, role), 'shareOneDrive');
  }

  async removeRootGrant(driveId: string, permissionId: string): Promise<void> {
    const response = await this.executor.send(buildDriveRequest.removePermission(driveId, permissionId));
    // Already removed (by an earlier attempt or an admin): the desired state holds.
    if (response.status === 404) return;
    if (!isSuccess(response.status)) throw toGraphError(response, { action: 'revokeOneDriveShare' });
  }
}
