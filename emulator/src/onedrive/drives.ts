// OneDrive for Business drives: a drive exists once provisioned (seed `oneDrive`, the admin route, or the user's
// own delegated call, as Graph auto-provisions only for delegated access — graph-spec.md §8); provisioning needs a
// licence with a SharePoint Online / OneDrive service plan. Drives live in tenant.drives keyed by drive id.
import { createHash, randomBytes } from 'node:crypto';
import type { DirectoryUser, Drive, DrivePermission, Tenant } from '../state/model';

const DEFAULT_QUOTA = 1024 ** 4; // 1 TB

export function hasOneDriveLicence(tenant: Tenant, user: DirectoryUser): boolean {
  for (const licence of user.assignedLicenses) {
    const sku = tenant.skus.get(licence.skuId);
    for (const plan of sku?.servicePlans ?? []) {
      if (licence.disabledPlans.includes(plan.servicePlanId)) continue;
      const name = plan.servicePlanName.toUpperCase();
      if ((name.startsWith('SHAREPOINT') && !name.startsWith('SHAREPOINTWAC')) || name.startsWith('ONEDRIVE'))
        return true;
    }
  }
  return false;
}

export function driveOfUser(tenant: Tenant, userId: string): Drive | undefined {
  return [...tenant.drives.values()].find((d) => d.userId === userId);
}

export function driveById(tenant: Tenant, id: string): Drive | undefined {
  return tenant.drives.get(id) ?? [...tenant.drives.values()].find((d) => d.id === id);
}

export function provisionDrive(tenant: Tenant, user: DirectoryUser, now: number): Drive {
  const existing = driveOfUser(tenant, user.id);
  if (existing) return existing;
  const id = `b!${randomBytes(48).toString('base64url')}`;
  const drive: Drive = {
    id,
    userId: user.id,
    permissions: [],
    quotaTotal: DEFAULT_QUOTA,
    quotaUsed: 0,
    createdAt: now,
  };
  tenant.drives.set(id, drive);
  return drive;
}

function personalSite(tenant: Tenant, user: DirectoryUser): string {
  const initial = (tenant.domains.find((d) => d.isInitial) ?? tenant.domains[0])!.id;
  const host = `${initial.split('.')[0]}-my.sharepoint.com`;
  const upn = String(user.properties.userPrincipalName ?? user.id).replace(/[^A-Za-z0-9]/g, '_');
  return `https://${host}/personal/${upn.toLowerCase()}`;
}

function identity(user: DirectoryUser): Record<string, unknown> {
  return {
    id: user.id,
    displayName: String(user.properties.displayName ?? ''),
    email: String(user.properties.mail ?? user.properties.userPrincipalName ?? ''),
  };
}

export function rootItemId(drive: Drive): string {
  return `01${createHash('sha256').update(`root:${drive.id}`).digest('hex').slice(0, 32).toUpperCase()}`;
}

export function driveView(tenant: Tenant, drive: Drive): Record<string, unknown> {
  const owner = tenant.users.get(drive.userId);
  const created = new Date(drive.createdAt ?? 0).toISOString();
  const total = drive.quotaTotal ?? DEFAULT_QUOTA;
  const used = drive.quotaUsed ?? 0;
  return {
    '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#drives/$entity',
    id: drive.id,
    driveType: 'business',
    name: 'OneDrive',
    description: '',
    createdDateTime: created,
    lastModifiedDateTime: created,
    webUrl: owner ? `${personalSite(tenant, owner)}/Documents` : undefined,
    createdBy: { user: { displayName: 'System Account' } },
    owner: { user: owner ? identity(owner) : { id: drive.userId } },
    quota: { deleted: 0, remaining: total - used, state: 'normal', total, used },
  };
}

export function rootItemView(tenant: Tenant, drive: Drive): Record<string, unknown> {
  const owner = tenant.users.get(drive.userId);
  const created = new Date(drive.createdAt ?? 0).toISOString();
  return {
    '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#driveItems/$entity',
    id: rootItemId(drive),
    name: 'root',
    createdDateTime: created,
    lastModifiedDateTime: created,
    webUrl: owner ? `${personalSite(tenant, owner)}/Documents` : undefined,
    size: drive.quotaUsed ?? 0,
    parentReference: { driveId: drive.id, driveType: 'business' },
    folder: { childCount: 0 },
    root: {},
  };
}

/** The owner's own permission on the root, listed first by GET .../root/permissions (it cannot be removed). */
export function ownerPermissionId(drive: Drive): string {
  return `aTowIy5mfG1lbWJlcnNoaXB8${Buffer.from(drive.userId).toString('base64url')}`;
}

export function permissionView(tenant: Tenant, p: DrivePermission): Record<string, unknown> {
  const user = tenant.users.get(p.grantedTo);
  const who = user ? identity(user) : { id: p.grantedTo };
  const loginName = user
    ? `i:0#.f|membership|${String(user.properties.userPrincipalName ?? '').toLowerCase()}`
    : '';
  return {
    id: p.id,
    roles: p.roles,
    grantedTo: { user: who },
    grantedToV2: { user: who, siteUser: { ...who, loginName } },
    ...(p.invitation ? { invitation: p.invitation } : {}),
  };
}
