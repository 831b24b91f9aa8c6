// Seed files: the JSON an emulator starts from (documented in emulator/README.md). Names in a seed are friendly
// (user principal names, role names, permission names); this module turns them into state with ids.
import { createHash, randomBytes, randomUUID, X509Certificate } from 'node:crypto';
import {
  DIRECTORY_ROLES,
  type Application,
  type CloudName,
  type DirectoryRoleName,
  type DirectoryUser,
  type ResourceName,
  type Tenant,
  type TenantSize,
  type KeyCredential,
} from './model';

export interface SeedQueue {
  name: string;
  requiresSession?: boolean;
  maxDeliveryCount?: number;
  lockDuration?: string;
  duplicateDetectionWindow?: string;
  requiresDuplicateDetection?: boolean;
  deadLetteringOnMessageExpiration?: boolean;
  defaultMessageTimeToLive?: string;
}

export interface SeedPermissions {
  graph?: string[];
  exchange?: string[];
  keyvault?: string[];
  storage?: string[];
  servicebus?: string[];
}

/**
 * Graph fault injection for one tenant (emulator/docs/graph.md). Latency is added before the answer; `errorRate`
 * answers that share of Graph requests with 503/504 + Retry-After; `replicationLagMs` hides new or changed objects
 * from list and $filter results (not from GET by id) for that long, as Graph's eventual consistency does.
 */
export interface SeedGraphFaults {
  latency?:
    | { fixedMs: number }
    | { distribution: 'uniform'; minMs: number; maxMs: number }
    | { distribution: 'normal'; meanMs: number; stddevMs: number };
  errorRate?: number;
  errorStatuses?: number[];
  errorRetryAfterSeconds?: number;
  replicationLagMs?: number;
  /** Seed of the tenant's random source (which requests fail, latency draws). */
  randomSeed?: number;
}

export interface SeedTenant {
  id?: string;
  displayName: string;
  cloud?: CloudName;
  size?: TenantSize;
  domains: { name: string; verified?: boolean; default?: boolean; initial?: boolean; federated?: boolean }[];
  users?: (Record<string, unknown> & {
    id?: string;
    userPrincipalName: string;
    displayName: string;
    password?: string;
    roles?: DirectoryRoleName[];
    licenses?: string[];
    manager?: string;
    /** Pre-creates the Exchange mailbox (users with an EXCHANGE_S_* licence also get one on first use). */
    mailbox?: { sizeGb?: number; shared?: boolean; litigationHold?: boolean; archive?: boolean };
    /** Marks the user's OneDrive as provisioned (true, or the quota in GB). */
    oneDrive?: boolean | { quotaGb?: number };
  })[];
  groups?: (Record<string, unknown> & { id?: string; displayName: string; members?: string[] })[];
  skus?: {
    skuId: string;
    skuPartNumber: string;
    seats: number;
    servicePlans?: { servicePlanId: string; servicePlanName: string }[];
  }[];
  applications?: {
    id?: string;
    appId?: string;
    displayName: string;
    multiTenant?: boolean;
    redirectUris?: string[];
    clientSecrets?: { value: string; displayName?: string; expiresInDays?: number }[];
    certificates?: { pem: string; displayName?: string }[];
    requiredPermissions?: { application?: SeedPermissions; delegated?: SeedPermissions };
  }[];
  servicePrincipals?: {
    id?: string;
    appId: string;
    displayName?: string;
    appOwnerTenantId?: string;
    appPermissions?: SeedPermissions;
    roles?: DirectoryRoleName[];
    managedIdentity?: boolean;
  }[];
  delegatedGrants?: { clientAppId: string; resource: ResourceName; scopes: string[]; principal?: string }[];
  /** Graph emulation settings for this tenant (read by emulator/src/graph). */
  graph?: { faults?: SeedGraphFaults };
}

export interface Seed {
  tenants: SeedTenant[];
  queues?: SeedQueue[];
  serviceBus?: { sasKeyName?: string; sasKey?: string };
  /** The tenant whose tokens the emulator's Key Vault accepts, and the vault's access list (object ids; empty = any). */
  keyVault?: {
    tenantId: string;
    allowedObjectIds?: string[];
    /** Secrets the vault starts with (one version each), e.g. what `npm start` expects to find. */
    secrets?: { name: string; value: string; contentType?: string; tags?: Record<string, string> }[];
  };
  /** The managed identity the App Service identity endpoint hands out tokens for. */
  managedIdentity?: {
    tenantId: string;
    clientId: string;
    /** Azure resource id of the user-assigned identity, matched against `mi_res_id` when a client sends one. */
    resourceId?: string;
    /**
     * True when the app has only this user-assigned identity: requests without client_id / principal_id / mi_res_id
     * (which ask for a system-assigned identity) then fail. Default false: the identity also answers those.
     */
    userAssignedOnly?: boolean;
  };
  /** Emulator-wide Graph settings: throttling time scale, random seed for $batch response order. */
  graph?: { timeScale?: number; randomSeed?: number };
  /** What the ready line names for a newcomer. */
  demo?: {
    tenantId: string;
    clientId: string;
    clientSecret?: string;
    admin?: string;
    adminPassword?: string;
  };
}

export class SeedError extends Error {
  readonly code = 'EMULATOR_SEED_INVALID';
  constructor(
    readonly where: string,
    message: string,
  ) {
    super(`seed ${where}: ${message}`);
  }
}

const RESOURCES: ResourceName[] = ['graph', 'exchange', 'keyvault', 'storage', 'servicebus'];

export function thumbprints(der: Buffer): { x5t: string; x5tS256: string } {
  return {
    x5t: createHash('sha1').update(der).digest('base64url'),
    x5tS256: createHash('sha256').update(der).digest('base64url'),
  };
}

/** A key credential for an uploaded certificate (PEM or base64 DER). */
export function keyCredentialFromCertificate(pemOrDer: string, displayName?: string): KeyCredential {
  const cert = new X509Certificate(pemOrDer.includes('BEGIN') ? pemOrDer : Buffer.from(pemOrDer, 'base64'));
  const der = cert.raw;
  return {
    keyId: randomUUID(),
    certificateDer: der.toString('base64'),
    ...thumbprints(der),
    startDateTime: Date.parse(cert.validFrom),
    endDateTime: Date.parse(cert.validTo),
    displayName: displayName ?? cert.subject,
  };
}

function permissionsOf(
  p: SeedPermissions | undefined,
  where: string,
): { resource: ResourceName; permission: string }[] {
  const out: { resource: ResourceName; permission: string }[] = [];
  for (const [resource, list] of Object.entries(p ?? {})) {
    if (!RESOURCES.includes(resource as ResourceName))
      throw new SeedError(where, `unknown resource "${resource}"`);
    for (const permission of list as string[]) out.push({ resource: resource as ResourceName, permission });
  }
  return out;
}

function roleId(name: string, where: string): string {
  const id = (DIRECTORY_ROLES as Record<string, string>)[name];
  if (!id)
    throw new SeedError(
      where,
      `unknown directory role "${name}" (known: ${Object.keys(DIRECTORY_ROLES).join(', ')})`,
    );
  return id;
}

/** Builds a tenant from its seed. `clockNow` is the emulator clock's time. */
export function buildTenant(seed: SeedTenant, clockNow: number, index = 0): Tenant {
  const where = `tenants[${index}]`;
  // Seeded objects already existed: dated a day back, so replication lag (which hides objects changed moments
  // ago from list queries) never hides them, as it would not in a real tenant.
  const now = clockNow - 86_400_000;
  if (!seed.displayName) throw new SeedError(where, 'displayName is required');
  if (!Array.isArray(seed.domains) || seed.domains.length === 0)
    throw new SeedError(where, 'at least one domain is required');
  const tenant: Tenant = {
    id: seed.id ?? randomUUID(),
    displayName: seed.displayName,
    cloud: seed.cloud ?? 'global',
    size: seed.size ?? 'S',
    domains: seed.domains.map((d, i) => ({
      id: d.name.toLowerCase(),
      isVerified: d.verified ?? true,
      isDefault: d.default ?? i === 0,
      isInitial: d.initial ?? d.name.toLowerCase().endsWith('.onmicrosoft.com'),
      authenticationType: d.federated ? 'Federated' : 'Managed',
    })),
    users: new Map(),
    groups: new Map(),
    applications: new Map(),
    servicePrincipals: new Map(),
    delegatedGrants: [],
    roleAssignments: [],
    skus: new Map(),
    mailboxes: new Map(),
    drives: new Map(),
    deletedItems: new Map(),
    extensions: new Map(),
  };
  // Kept raw here; the Graph module validates it when the tenant is first used.
  if (seed.graph?.faults) tenant.extensions.set('graph.seedFaults', seed.graph.faults);
  for (const [i, s] of (seed.skus ?? []).entries()) {
    if (!s.skuId || !s.skuPartNumber)
      throw new SeedError(`${where}.skus[${i}]`, 'skuId and skuPartNumber are required');
    tenant.skus.set(s.skuId, {
      skuId: s.skuId,
      skuPartNumber: s.skuPartNumber,
      enabledUnits: s.seats,
      servicePlans: s.servicePlans ?? [],
    });
  }
  const byUpn = new Map<string, DirectoryUser>();
  for (const [i, u] of (seed.users ?? []).entries()) {
    const w = `${where}.users[${i}]`;
    if (!u.userPrincipalName || !u.displayName)
      throw new SeedError(w, 'userPrincipalName and displayName are required');
    const { id, password, roles, licenses, manager: _manager, mailbox, oneDrive, ...props } = u;
    const user: DirectoryUser = {
      id: id ?? randomUUID(),
      properties: { accountEnabled: true, mailNickname: u.userPrincipalName.split('@')[0], ...props },
      password,
      assignedLicenses: [],
      signInSessionsValidFrom: 0,
      createdAt: now,
      changedAt: now,
    };
    for (const lic of licenses ?? []) {
      const sku = [...tenant.skus.values()].find((s) => s.skuPartNumber === lic || s.skuId === lic);
      if (!sku) throw new SeedError(w, `unknown licence "${lic}"`);
      user.assignedLicenses.push({ skuId: sku.skuId, disabledPlans: [] });
    }
    for (const r of roles ?? [])
      tenant.roleAssignments.push({
        id: randomUUID(),
        principalId: user.id,
        roleDefinitionId: roleId(r, w),
        directoryScopeId: '/',
      });
    if (mailbox) {
      tenant.mailboxes.set(user.id, {
        userId: user.id,
        recipientTypeDetails: mailbox.shared ? 'SharedMailbox' : 'UserMailbox',
        sizeGb: mailbox.sizeGb ?? 1,
        properties: mailbox.litigationHold ? { LitigationHoldEnabled: true } : {},
        autoReply: { AutoReplyState: 'Disabled' },
        fullAccess: [],
        sendAs: [],
        archiveEnabled: mailbox.archive ?? false,
        createdAt: now,
      });
    }
    if (oneDrive) {
      const quotaGb = typeof oneDrive === 'object' ? (oneDrive.quotaGb ?? 1024) : 1024;
      const driveId = `b!${randomBytes(48).toString('base64url')}`;
      tenant.drives.set(driveId, {
        id: driveId,
        userId: user.id,
        permissions: [],
        quotaTotal: quotaGb * 1024 ** 3,
        quotaUsed: 0,
        createdAt: now,
      });
    }
    tenant.users.set(user.id, user);
    byUpn.set(u.userPrincipalName.toLowerCase(), user);
  }
  for (const [i, u] of (seed.users ?? []).entries()) {
    if (!u.manager) continue;
    const m = byUpn.get(u.manager.toLowerCase());
    if (!m) throw new SeedError(`${where}.users[${i}]`, `manager "${u.manager}" is not a seeded user`);
    byUpn.get(u.userPrincipalName.toLowerCase())!.managerId = m.id;
  }
  for (const [i, g] of (seed.groups ?? []).entries()) {
    const w = `${where}.groups[${i}]`;
    const { id, members, ...props } = g;
    const memberIds = new Set<string>();
    for (const m of members ?? []) {
      const user = byUpn.get(m.toLowerCase());
      if (!user) throw new SeedError(w, `member "${m}" is not a seeded user`);
      memberIds.add(user.id);
    }
    const groupId = id ?? randomUUID();
    tenant.groups.set(groupId, {
      id: groupId,
      properties: {
        securityEnabled: true,
        mailEnabled: false,
        groupTypes: [],
        mailNickname: g.displayName.replace(/[^A-Za-z0-9]/g, ''),
        ...props,
      },
      memberIds,
      ownerIds: new Set(),
      createdAt: now,
      changedAt: now,
    });
  }
  for (const [i, a] of (seed.applications ?? []).entries()) {
    const w = `${where}.applications[${i}]`;
    const app: Application = {
      id: a.id ?? randomUUID(),
      appId: a.appId ?? randomUUID(),
      displayName: a.displayName,
      signInAudience: a.multiTenant ? 'AzureADMultipleOrgs' : 'AzureADMyOrg',
      redirectUris: a.redirectUris ?? [],
      keyCredentials: (a.certificates ?? []).map((c) => keyCredentialFromCertificate(c.pem, c.displayName)),
      passwordCredentials: (a.clientSecrets ?? []).map((s) => ({
        keyId: randomUUID(),
        secret: s.value,
        displayName: s.displayName,
        startDateTime: clockNow,
        endDateTime: clockNow + (s.expiresInDays ?? 365) * 86_400_000,
      })),
      requiredResourceAccess: RESOURCES.map((resource) => ({
        resource,
        application: a.requiredPermissions?.application?.[resource] ?? [],
        delegated: a.requiredPermissions?.delegated?.[resource] ?? [],
      })).filter((r) => r.application.length + r.delegated.length > 0),
    };
    if (!app.displayName) throw new SeedError(w, 'displayName is required');
    tenant.applications.set(app.appId, app);
  }
  for (const [i, sp] of (seed.servicePrincipals ?? []).entries()) {
    const w = `${where}.servicePrincipals[${i}]`;
    const id = sp.id ?? randomUUID();
    tenant.servicePrincipals.set(id, {
      id,
      appId: sp.appId,
      displayName: sp.displayName ?? tenant.applications.get(sp.appId)?.displayName ?? sp.appId,
      appOwnerTenantId: sp.appOwnerTenantId ?? tenant.id,
      appRoles: permissionsOf(sp.appPermissions, w),
      servicePrincipalType: sp.managedIdentity ? 'ManagedIdentity' : 'Application',
    });
    for (const r of sp.roles ?? [])
      tenant.roleAssignments.push({
        id: randomUUID(),
        principalId: id,
        roleDefinitionId: roleId(r, w),
        directoryScopeId: '/',
      });
  }
  for (const [i, g] of (seed.delegatedGrants ?? []).entries()) {
    const w = `${where}.delegatedGrants[${i}]`;
    const principal = g.principal ? byUpn.get(g.principal.toLowerCase()) : undefined;
    if (g.principal && !principal) throw new SeedError(w, `principal "${g.principal}" is not a seeded user`);
    tenant.delegatedGrants.push({
      id: randomUUID(),
      clientAppId: g.clientAppId,
      resource: g.resource,
      scopes: g.scopes,
      consentType: principal ? 'Principal' : 'AllPrincipals',
      principalId: principal?.id,
    });
  }
  return tenant;
}
