/**
 * Ports of the lifecycle engine: everything it needs from the outside world, as interfaces. Adapters live in
 * shared/graph (Directory), shared/storage (repositories), shared/messaging (WorkerMessageSender) and
 * shared/engine/adapters (credentials, Key Vault). Tests pass in-memory fakes.
 */
import type { TokenCredential } from '@azure/core-auth';
import type { JsonValue } from './plan/model';
import type { ObservedUser } from './observe/model';

// ---------------------------------------------------------------------------------------------------------
// Connections (implemented by the Connections module; a client-secret implementation exists for tests/demo)

export type { CloudName } from '../clouds/endpoints';
import type { CloudName } from '../clouds/endpoints';

export interface ConnectionAccess {
  readonly tenantId: string;
  readonly cloud: CloudName;
  /** Graph root without version, e.g. `https://graph.microsoft.com` (the emulator's in local runs). */
  readonly graphBaseUrl: string;
  /** Token scope for Graph, e.g. `https://graph.microsoft.com/.default`. */
  readonly graphScope: string;
  /** Credential for Graph tokens of this connection; caching is the implementation's job. */
  readonly credential: TokenCredential;
  /** Hosts (not Microsoft's) the Graph client must send tokens to (local emulator only); empty in Azure. */
  readonly customHosts: readonly string[];
  /** Present with the exchange add-on (used by the leaver playbook, issue 9). */
  readonly exchange?: {
    readonly baseUrl: string;
    readonly scope: string;
    readonly credential: TokenCredential;
  };
}

/** Gives the engine a connection's credentials; the engine never sees a refresh token or private key. */
export interface ConnectionCredentials {
  /** Throws TENURE_CREDENTIALS_UNAVAILABLE (terminal when the connection needs relinking). */
  forConnection(connectionId: string): Promise<ConnectionAccess>;
}

// ---------------------------------------------------------------------------------------------------------
// Directory (Entra through Graph)

export type NamingAttribute = 'userPrincipalName' | 'mailNickname' | 'mail';

export interface UserCreate {
  readonly attributes: Readonly<Record<string, JsonValue>>;
  readonly accountEnabled: boolean;
  /** Only ever passed through to Graph; never logged or stored outside the secret store. */
  readonly password: string;
}

/**
 * Attribute names the flow maps for this worker. Every read of a user carries Tenure's default selection; the
 * adapter adds those of these it does not read by default (permission-gated ones such as employeeLeaveDateTime,
 * read only when a flow maps them: shared/graph/userShape.ts GATED_ATTRIBUTES).
 */
export type ExtraReads = readonly string[];

export interface Directory {
  /** The live user with this employeeId, else the most recently deleted one, else null. */
  findUserByEmployeeId(employeeId: string, reads?: ExtraReads): Promise<ObservedUser | null>;
  /** A live user by object id, tolerating replication lag right after a create; null when not found. */
  getUser(id: string, reads?: ExtraReads): Promise<ObservedUser | null>;
  /**
   * A live user by userPrincipalName, read directly (not through $filter, so replication lag does not hide it);
   * null when none. Finds an account a crashed run created before it could record it.
   */
  getUserByPrincipalName?(userPrincipalName: string, reads?: ExtraReads): Promise<ObservedUser | null>;
  /** Object id of a live user with this employeeId (manager resolution); null when none. */
  findUserIdByEmployeeId(employeeId: string): Promise<string | null>;
  /** Direct group memberships (ids). */
  listGroupIds(userId: string): Promise<string[]>;
  /** Directly assigned skuIds. */
  listLicenseSkuIds(userId: string): Promise<string[]>;
  managerId(userId: string): Promise<string | null>;
  /** True when any live or deleted user, or any proxy address, already uses the value. */
  isNameTaken(attribute: NamingAttribute, value: string, exceptUserId?: string): Promise<boolean>;
  /** Group reference (object id or unique display name) → id; null when not found. */
  resolveGroup(ref: string): Promise<string | null>;
  /** Licence reference (skuId or skuPartNumber) → skuId; null when the tenant has no such subscription. */
  resolveSku(ref: string): Promise<string | null>;

  createUser(user: UserCreate, employeeId: string): Promise<{ id: string }>;
  updateUser(userId: string, changes: Readonly<Record<string, JsonValue>>): Promise<void>;
  restoreUser(deletedId: string): Promise<void>;
  deleteUser(userId: string): Promise<void>;
  revokeSessions(userId: string): Promise<void>;
  setManager(userId: string, managerId: string): Promise<void>;
  removeManager(userId: string): Promise<void>;
  /** Success when already a member. */
  addGroupMember(groupId: string, userId: string): Promise<void>;
  /** Success when not a member. */
  removeGroupMember(groupId: string, userId: string): Promise<void>;
  assignLicenses(userId: string, add: readonly string[], remove: readonly string[]): Promise<void>;
  /** Creates a Temporary Access Pass; returns the pass (to be kept only in the secret store). */
  createTemporaryAccessPass(userId: string, lifetimeMinutes: number): Promise<{ pass: string }>;
}

// ---------------------------------------------------------------------------------------------------------
// Secrets, clock, randomness

/** Short-lived secrets (initial credentials) for the hand-over step; Key Vault in production. */
export interface CredentialVault {
  /** Stores the credential under a name derived from flow and employee id; returns the secret name only. */
  storeInitialCredential(flow: string, employeeId: string, secret: string, expiresOn: Date): Promise<string>;
}

export interface Clock {
  now(): Date;
}

/** Cryptographic randomness for passwords (crypto.randomInt in production). */
export interface RandomSource {
  /** Uniform integer in [0, max). */
  int(max: number): number;
}

/** Waits (real timers in production, instant in tests). */
export type Sleep = (ms: number) => Promise<void>;
