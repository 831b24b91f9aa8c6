/**
 * The Plan: plain, serialisable data describing what the engine will do to one worker's Entra account and why.
 * No class instances, functions or SDK types, so a plan can be stored (timeline, held plans), printed
 * (preview) and compared. Only the applier acts on it, and it never branches on `reason`.
 */

export const PLAN_SCHEMA_VERSION = 1;

/** A JSON value (attribute values in before/after). */
export type JsonValue =
  string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** Attribute name → value; holds only the attributes an operation changes. */
export type Attributes = Readonly<Record<string, JsonValue>>;

/**
 * Why an operation exists: explains changes to admins (preview, timeline). Closed; the applier never reads it.
 */
export type Reason =
  | 'hire'
  | 'preHire'
  | 'startDateReached'
  | 'rehire'
  | 'restoreFromDeleted'
  | 'attributeChanged'
  | 'nameChanged'
  | 'managerChanged'
  | 'managerPending'
  | 'managerRemoved'
  | 'groupGranted'
  | 'groupNoLongerGranted'
  | 'licenseGranted'
  | 'licenseNoLongerGranted'
  | 'leaveStarted'
  | 'leaveEnded'
  | 'terminated'
  | 'retired'
  | 'deleteAfterTermination'
  | 'futureEffectiveDate'
  | 'initialCredential'
  | 'playbook';

export const REASONS: readonly Reason[] = [
  'hire',
  'preHire',
  'startDateReached',
  'rehire',
  'restoreFromDeleted',
  'attributeChanged',
  'nameChanged',
  'managerChanged',
  'managerPending',
  'managerRemoved',
  'groupGranted',
  'groupNoLongerGranted',
  'licenseGranted',
  'licenseNoLongerGranted',
  'leaveStarted',
  'leaveEnded',
  'terminated',
  'retired',
  'deleteAfterTermination',
  'futureEffectiveDate',
  'initialCredential',
  'playbook',
];

/** How an initial credential is produced at apply time (the secret itself never enters a plan). */
export type CredentialMethod =
  | {
      readonly kind: 'password';
      readonly length: number;
      readonly classes: readonly ('lower' | 'upper' | 'digit' | 'symbol')[];
    }
  | { readonly kind: 'passphrase'; readonly words: number }
  | { readonly kind: 'temporaryAccessPass'; readonly lifetimeMinutes: number };

/**
 * Kind-specific parameters, keyed by operation kind. Later modules add kinds (Exchange/OneDrive playbook steps) by
 * declaration merging: `declare module '…/plan/model' { interface OperationParamsByKind { convertToShared: {…} } }`
 * and registering an op module; the union below picks them up.
 */
export interface OperationParamsByKind {
  /** POST /users. `after` holds every attribute of the new account (naming included, password excluded). */
  createUser: { readonly accountEnabled: boolean; readonly credential: CredentialMethod };
  /** PATCH /users/{id} with `after`. */
  updateUser: Record<string, never>;
  enableUser: Record<string, never>;
  disableUser: Record<string, never>;
  revokeSessions: Record<string, never>;
  /** PUT manager/$ref. */
  setManager: { readonly managerObjectId: string; readonly managerEmployeeId: string };
  removeManager: Record<string, never>;
  /** Record a pending manager reference; the report is re-driven when the manager is created. */
  awaitManager: { readonly managerEmployeeId: string };
  addGroupMember: { readonly groupId: string; readonly groupRef: string };
  removeGroupMember: { readonly groupId: string; readonly groupRef: string };
  assignLicenses: { readonly skuIds: readonly string[]; readonly skuRefs: readonly string[] };
  removeLicenses: { readonly skuIds: readonly string[]; readonly skuRefs: readonly string[] };
  /** POST /directory/deletedItems/{id}/restore. */
  restoreUser: { readonly deletedObjectId: string };
  deleteUser: Record<string, never>;
  /** Issue a Temporary Access Pass for an existing account and keep it as a short-lived secret. */
  setInitialCredential: { readonly credential: CredentialMethod };
  /** Schedule a wake-up message at `at` (UTC instant of a local effective moment). */
  scheduleFollowUp: { readonly at: string; readonly purpose: Reason };
  /** Re-drive reports that were waiting for this worker as their manager. */
  redriveReports: Record<string, never>;
  /** Explains why nothing is done (e.g. before the pre-hire window); never writes. */
  noop: { readonly note: string };
}

export type OperationKind = keyof OperationParamsByKind;

/** Which worker and which Entra object an operation acts on. */
export interface Target {
  readonly flow: string;
  readonly employeeId: string;
  /** Entra object id; null until a createUser in the same plan provides it. */
  readonly objectId: string | null;
}

export interface OperationOf<K extends OperationKind> {
  /** Unique within the plan; stable for the same inputs (e.g. `addGroupMember:<groupId>`). */
  readonly id: string;
  readonly kind: K;
  readonly target: Target;
  /** Values before the change (changed attributes only). */
  readonly before: Attributes;
  /** Values after the change (changed attributes only). */
  readonly after: Attributes;
  readonly reason: Reason;
  /** Ids of operations that must succeed first. */
  readonly dependsOn: readonly string[];
  readonly params: OperationParamsByKind[K];
}

export type Operation = { [K in OperationKind]: OperationOf<K> }[OperationKind];

/** The stage summary a plan was computed for (explain-only). */
export interface PlanStage {
  readonly stage: 'prehire' | 'active' | 'leave' | 'terminated' | 'retired' | 'deleted';
  readonly leaveKind?: string;
  /** Next effective moment (ISO UTC), when the stage will change by itself. */
  readonly nextChangeAt?: string;
}

export interface Plan {
  readonly schemaVersion: typeof PLAN_SCHEMA_VERSION;
  /** When the plan was computed (ISO UTC, from the injected clock). */
  readonly createdAt: string;
  readonly flow: string;
  readonly employeeId: string;
  /** The HR snapshot it came from. */
  readonly snapshot: { readonly version: string; readonly hash: string };
  /** The Entra observation it came from; the applier refuses a plan whose observation is stale. */
  readonly observation: { readonly takenAt: string; readonly objectId: string | null; readonly hash: string };
  readonly stage: PlanStage;
  readonly operations: readonly Operation[];
}

/** Operations that change the directory (everything but explain-only and bookkeeping kinds). */
export function isDirectoryWrite(op: Operation): boolean {
  return (
    op.kind !== 'noop' &&
    op.kind !== 'scheduleFollowUp' &&
    op.kind !== 'awaitManager' &&
    op.kind !== 'redriveReports'
  );
}
