/**
 * Record-keeping ports (Azure Tables adapters in shared/storage, in-memory fakes in tests). Each worker is keyed by
 * flow + employee id. Values are plain data; HR values live only in the stored snapshot and timeline, never in logs.
 */
import type { LifecyclePhase } from './stage/stage';
import type { NamingAttribute } from './ports';

export type WorkerStatus = 'ok' | 'failed' | 'held' | 'skipped';

export interface WorkerRecord {
  readonly flow: string;
  readonly employeeId: string;
  /** Version of the last snapshot applied (or being applied). */
  readonly lastVersion?: string;
  /** The last snapshot received (raw HR record), replayed by wake-ups and POST …/replay. */
  readonly snapshot?: Readonly<Record<string, unknown>>;
  readonly snapshotVersion?: string;
  readonly objectId?: string;
  readonly status: WorkerStatus;
  /** Admin-readable reason when failed or held; names codes, ids and attribute names only. */
  readonly reason?: string;
  readonly errorCode?: string;
  readonly phase?: LifecyclePhase;
  /** When the engine first applied termination (dates deletion when HR gives no last day worked). */
  readonly terminatedSince?: string;
  readonly scheduledWakeAt?: string;
  readonly pendingManager?: string;
  readonly updatedAt: string;
  /** Optimistic concurrency token of the stored row. */
  readonly etag?: string;
}

export interface WorkerRepository {
  get(flow: string, employeeId: string): Promise<WorkerRecord | null>;
  /** Writes the record; with `etag`, fails with TENURE_STORAGE_CONFLICT when someone else wrote first. */
  put(record: WorkerRecord): Promise<void>;
}

export type TimelineEntryKind =
  'eventReceived' | 'eventSkipped' | 'plan' | 'operation' | 'verification' | 'failure' | 'held' | 'note';

export interface TimelineEntry {
  readonly flow: string;
  readonly employeeId: string;
  readonly at: string;
  readonly kind: TimelineEntryKind;
  /** Reconcile run that wrote it. */
  readonly runId: string;
  /** JSON-serialisable details (plan, operation result with before/after, error code and reason). */
  readonly data: Readonly<Record<string, unknown>>;
}

export interface TimelineRepository {
  append(entries: readonly TimelineEntry[]): Promise<void>;
  /** Newest first. */
  list(flow: string, employeeId: string, limit: number): Promise<TimelineEntry[]>;
}

export interface ReservationRepository {
  /**
   * Reserves a naming value for a worker, insert-if-absent. True when reserved now or already held by the same
   * worker; false when another worker holds it.
   */
  reserve(attribute: NamingAttribute, value: string, flow: string, employeeId: string): Promise<boolean>;
  release(attribute: NamingAttribute, value: string, flow: string, employeeId: string): Promise<void>;
}

export interface PendingManagerRepository {
  /** Records that `employeeId` waits for `managerEmployeeId` (idempotent). */
  add(flow: string, managerEmployeeId: string, employeeId: string): Promise<void>;
  /** Reports waiting for this manager. */
  listReports(flow: string, managerEmployeeId: string): Promise<string[]>;
  remove(flow: string, managerEmployeeId: string, employeeId: string): Promise<void>;
}

export interface HeldPlan {
  readonly flow: string;
  readonly employeeId: string;
  readonly heldAt: string;
  /** Encoded plan (plan/codec.ts). */
  readonly plan: string;
  /** Snapshot version the plan was computed for. */
  readonly version: string;
  readonly reason: string;
}

export interface HeldPlanRepository {
  hold(plan: HeldPlan): Promise<void>;
  list(flow: string): Promise<HeldPlan[]>;
  get(flow: string, employeeId: string): Promise<HeldPlan | null>;
  remove(flow: string, employeeId: string): Promise<void>;
  /** Whether applying is paused for the flow, and since when. */
  pausedSince(flow: string): Promise<string | null>;
  setPaused(flow: string, since: string | null): Promise<void>;
  /** Records counted destructive operations (for the guard window); returns counts within the window. */
  recordChanges(flow: string, at: string, counts: GuardCounts, windowMs: number): Promise<GuardCounts>;
}

export interface GuardCounts {
  readonly disables: number;
  readonly deletes: number;
  readonly groupRemovals: number;
}
