// The emulated Microsoft cloud's state: tenants with their directory, apps and consents; the emulator's own
// vault, queues and logs live beside it (see store.ts). Graph properties are kept as Graph names them.

export type CloudName = 'global' | 'usgov' | 'usgovdod' | 'china';
export type TenantSize = 'S' | 'M' | 'L';

export interface Domain {
  id: string;
  isVerified: boolean;
  isDefault: boolean;
  isInitial: boolean;
  /** Federated domains need onPremisesImmutableId on user create. */
  authenticationType: 'Managed' | 'Federated';
}

export interface AssignedLicense {
  skuId: string;
  disabledPlans: string[];
}

export interface DirectoryUser {
  id: string;
  /** Graph user properties as Graph returns them (userPrincipalName, displayName, mail, employeeId, ...). */
  properties: Record<string, unknown>;
  /** Sign-in password (the emulator keeps it in clear: it is test data). */
  password?: string;
  managerId?: string;
  assignedLicenses: AssignedLicense[];
  /** Epoch ms; refresh tokens issued before it fail with AADSTS50173. */
  signInSessionsValidFrom: number;
  /** Epoch ms of creation and of the last change, for replication-lag emulation. */
  createdAt: number;
  changedAt: number;
}

export interface DirectoryGroup {
  id: string;
  properties: Record<string, unknown>;
  memberIds: Set<string>;
  ownerIds: Set<string>;
  createdAt: number;
  changedAt: number;
}

export interface KeyCredential {
  keyId: string;
  /** Base64 DER of the uploaded certificate. */
  certificateDer: string;
  /** base64url SHA-1 and SHA-256 thumbprints of the DER. */
  x5t: string;
  x5tS256: string;
  startDateTime: number;
  endDateTime: number;
  displayName?: string;
}

export interface PasswordCredential {
  keyId: string;
  secret: string;
  startDateTime: number;
  endDateTime: number;
  displayName?: string;
}

/** An app registration (the application object in its home tenant). */
export interface Application {
  id: string;
  appId: string;
  displayName: string;
  signInAudience: 'AzureADMyOrg' | 'AzureADMultipleOrgs';
  redirectUris: string[];
  keyCredentials: KeyCredential[];
  passwordCredentials: PasswordCredential[];
  /** Permissions the app asks for, per resource: { graph: ['User.ReadWrite.All'], exchange: [...] }. */
  requiredResourceAccess: { resource: ResourceName; application: string[]; delegated: string[] }[];
}

/** Resources the emulator serves, by short name. */
export type ResourceName = 'graph' | 'exchange' | 'keyvault' | 'storage' | 'servicebus';

/** The app's identity in one tenant. */
export interface ServicePrincipal {
  id: string;
  appId: string;
  displayName: string;
  /** Tenant that owns the application object. */
  appOwnerTenantId: string;
  /** Application permissions granted (admin consented), per resource. */
  appRoles: { resource: ResourceName; permission: string }[];
  /** Managed identities have no application object. */
  servicePrincipalType: 'Application' | 'ManagedIdentity';
}

/** Delegated consent: scopes the client may use on a resource, for all users or one. */
export interface DelegatedGrant {
  id: string;
  clientAppId: string;
  resource: ResourceName;
  scopes: string[];
  consentType: 'AllPrincipals' | 'Principal';
  principalId?: string;
}

export interface DirectoryRoleAssignment {
  id: string;
  principalId: string;
  roleDefinitionId: string;
  directoryScopeId: string;
}

export interface SubscribedSku {
  skuId: string;
  skuPartNumber: string;
  enabledUnits: number;
  servicePlans: { servicePlanId: string; servicePlanName: string }[];
}

export interface Mailbox {
  userId: string;
  recipientTypeDetails: 'UserMailbox' | 'SharedMailbox';
  /** Size in GB (drives the shared-mailbox licence rule). */
  sizeGb: number;
  /** Exchange properties as Get-Mailbox names them (HiddenFromAddressListsEnabled, ForwardingSmtpAddress, ...). */
  properties: Record<string, unknown>;
  /** Auto-reply as Get-MailboxAutoReplyConfiguration names it (AutoReplyState, InternalMessage, ...); shared with
   * Graph's mailboxSettings.automaticRepliesSetting. */
  autoReply: Record<string, unknown>;
  /** Object ids of users holding FullAccess (kept in step with mailboxPermissions). */
  fullAccess: string[];
  /** Object ids of users holding SendAs. */
  sendAs: string[];
  /** Explicit mailbox permissions (Add-MailboxPermission), one entry per trustee. */
  mailboxPermissions?: MailboxPermissionEntry[];
  /** In-place archive enabled (a shared mailbox with an archive still needs a licence). */
  archiveEnabled?: boolean;
  /** Epoch ms the mailbox was created (WhenMailboxCreated). */
  createdAt?: number;
  /**
   * Computed by the Exchange emulator (enumerable getter, so it shows in the tenant dump): true when the mailbox
   * needs a licence (shared and on litigation hold, over 50 GB or with an archive) but its user holds no Exchange
   * licence — the state Microsoft's licensing terms forbid.
   */
  readonly licenseViolation?: boolean;
}

export interface MailboxPermissionEntry {
  /** Object id of the trustee (a user). */
  trustee: string;
  accessRights: string[];
  inheritanceType: 'None' | 'All' | 'Children' | 'Descendents' | 'SelfAndChildren';
  autoMapping: boolean;
}

export interface DrivePermission {
  id: string;
  roles: string[];
  /** Object id of the user the permission is granted to. */
  grantedTo: string;
  /** Invitation facet (the address invited, whether sign-in is required). */
  invitation?: { email: string; signInRequired: boolean };
  createdAt?: number;
}

export interface Drive {
  id: string;
  userId: string;
  permissions: DrivePermission[];
  /** Bytes; the quota facet's total/used. */
  quotaTotal?: number;
  quotaUsed?: number;
  createdAt?: number;
}

export interface DeletedItem {
  kind: 'user' | 'group';
  user?: DirectoryUser;
  group?: DirectoryGroup;
  /** Groups the user was in, restored with it. */
  memberOf: string[];
  deletedAt: number;
}

export interface Tenant {
  id: string;
  displayName: string;
  cloud: CloudName;
  size: TenantSize;
  domains: Domain[];
  users: Map<string, DirectoryUser>;
  groups: Map<string, DirectoryGroup>;
  applications: Map<string, Application>;
  servicePrincipals: Map<string, ServicePrincipal>;
  delegatedGrants: DelegatedGrant[];
  roleAssignments: DirectoryRoleAssignment[];
  skus: Map<string, SubscribedSku>;
  mailboxes: Map<string, Mailbox>;
  drives: Map<string, Drive>;
  deletedItems: Map<string, DeletedItem>;
  /** Service-specific extension state (throttling buckets, faults, ...), keyed by the owning module. */
  extensions: Map<string, unknown>;
}

/** Directory role template ids (https://learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference). */
export const DIRECTORY_ROLES = {
  'Global Administrator': '62e90394-69f5-4237-9190-012177145e10',
  'User Administrator': 'fe930be7-5e62-47db-91af-98c3a49a38b1',
  'Exchange Administrator': '29232cdf-9323-42fd-ade2-1d097af3e4de',
  'Privileged Authentication Administrator': '7be44c8a-adaf-4e2a-84d6-ab2649e08a13',
  'Helpdesk Administrator': '729827e3-9c14-49f7-bb1b-9608f156bbb8',
  'SharePoint Administrator': 'f28a1f50-f6e7-4571-818b-6a12f2af6b6c',
  'Global Reader': 'f2ef992c-3afb-46b9-b7cf-a126ee74c451',
  'Privileged Role Administrator': 'e8611ab8-c189-46e8-94e1-60213ab1f814',
  'Cloud Application Administrator': '158c047a-c907-4556-b7ef-446551a6b5f7',
  'Application Administrator': '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3',
  'Groups Administrator': 'fdd7a751-b60b-444a-984c-02652fe8fa1c',
  'License Administrator': '4d6ac14f-3453-41d0-bef9-a3e0c569773a',
  'Authentication Administrator': 'c4e39bd9-1100-46d3-8c65-fb160da0071f',
  'Directory Readers': '88d8e3e3-8f55-4a1e-953a-9b9898b8876b',
} as const;
export type DirectoryRoleName = keyof typeof DIRECTORY_ROLES;
