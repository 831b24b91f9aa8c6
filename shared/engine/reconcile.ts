/**
 * Reconcile one worker: snapshot → stage → desired → observe → plan → (guard) → apply → record. Level-based and
 * idempotent: a second run of the same snapshot plans nothing. Returns an explicit outcome; transient failures
 * are thrown (the message handler decides between a delayed retry and redelivery); terminal failures mark the
 * worker failed with an admin-readable reason and keep the snapshot for replay.
 */
import type { Flow } from '../flows/index';
import type { WorkerMessage } from '../messaging/message';
import type { WorkerMessageSender } from '../messaging/sender';
import { applyPlan, type OpResult } from './apply/applier';
import { compareWithPlan, readBack, readBackNeeds, type Mismatch } from './apply/verify';
import { desiredFromFlow } from './desired/fromFlow';
import { toTenureError, type TenureError } from './errors';
import type { FlowCatalog } from './flowCatalog';
import { crossedLimit, destructiveCounts, isDestructive } from './guard';
import { observe } from './observe/observe';
import { encodePlan } from './plan/codec';
import type { Plan } from './plan/model';
import { plan as computePlan } from './planner/plan';
import type { Clock, CredentialVault, Directory, RandomSource } from './ports';
import type { PlaybookPorts } from '../playbook/observe';
import { compareVersions } from './ordering';
import type {
  HeldPlanRepository,
  PendingManagerRepository,
  ReservationRepository,
  TimelineEntry,
  TimelineRepository,
  WorkerRecord,
  WorkerRepository,
} from './repositories';

export interface EngineDeps {
  readonly flows: FlowCatalog;
  /** The Graph directory of a connection (cached by the caller). */
  directoryFor(connectionId: string): Promise<Directory>;
  /** Exchange/OneDrive for the leaver playbook (shared/exchange/playbookPorts.ts); absent: no add-ons. */
  playbookFor?(connectionId: string): Promise<PlaybookPorts>;
  readonly workers: WorkerRepository;
  readonly timeline: TimelineRepository;
  readonly reservations: ReservationRepository;
  readonly pending: PendingManagerRepository;
  readonly held: HeldPlanRepository;
  readonly vault: CredentialVault;
  readonly sender: WorkerMessageSender;
  readonly clock: Clock;
  readonly random: RandomSource;
}

export interface ReconcileOptions {
  readonly runId: string;
  /** Compute the plan against the live directory and write nothing (no reservations either). */
  readonly preview?: boolean;
  /** Apply even while the flow is paused (admin resumed this worker's held plan). */
  readonly bypassGuard?: boolean;
}

export type ReconcileOutcome =
  | { readonly status: 'applied'; readonly plan: Plan; readonly results: readonly OpResult[] }
  | { readonly status: 'noChange'; readonly plan: Plan }
  | { readonly status: 'preview'; readonly plan: Plan }
  | { readonly status: 'held'; readonly plan: Plan; readonly reason: string }
  | { readonly status: 'skipped'; readonly reason: 'stale' | 'noSnapshot' }
  | { readonly status: 'failed'; readonly code: string; readonly reason: string; readonly plan?: Plan };

/** A reservation store that reserves nothing: previews must not take names. */
const previewReservations: ReservationRepository = {
  reserve: async () => true,
  release: async () => undefined,
};

class Run {
  readonly entries: TimelineEntry[] = [];
  constructor(
    readonly deps: EngineDeps,
    readonly message: WorkerMessage,
    readonly options: ReconcileOptions,
  ) {}

  note(kind: TimelineEntry['kind'], data: Record<string, unknown>): void {
    this.entries.push({
      flow: this.message.flow,
      employeeId: this.message.employeeId,
      at: this.deps.clock.now().toISOString(),
      kind,
      runId: this.options.runId,
      data,
    });
  }

  /** Written before the worker record, so a reader who sees a version also sees its whole timeline. */
  async flush(): Promise<void> {
    if (this.options.preview || this.entries.length === 0) return;
    await this.deps.timeline.append(this.entries.splice(0));
  }
}

function base(message: WorkerMessage, worker: WorkerRecord | null, now: Date): WorkerRecord {
  return (
    worker ?? {
      flow: message.flow,
      employeeId: message.employeeId,
      status: 'ok',
      updatedAt: now.toISOString(),
    }
  );
}

/** Marks the worker failed (terminal error): reason names the code, operation and attribute, never HR values. */
export async function markFailed(
  deps: EngineDeps,
  message: WorkerMessage,
  error: TenureError,
  runId: string,
): Promise<ReconcileOutcome> {
  const now = deps.clock.now();
  const worker = base(message, await deps.workers.get(message.flow, message.employeeId), now);
  const where = error.details.operationKind ? ` (operation ${error.details.operationKind})` : '';
  const reason = `${error.code}${where}: ${error.message}`;
  await deps.workers.put({
    ...worker,
    etag: undefined,
    status: 'failed',
    reason,
    errorCode: error.code,
    updatedAt: now.toISOString(),
  });
  await deps.timeline.append([
    {
      flow: message.flow,
      employeeId: message.employeeId,
      at: now.toISOString(),
      kind: 'failure',
      runId,
      data: { code: error.code, reason: error.message, terminal: error.terminal, ...error.details },
    },
  ]);
  return { status: 'failed', code: error.code, reason };
}

function nextRecord(
  worker: WorkerRecord,
  plan: Plan,
  results: readonly OpResult[],
  version: string,
  objectId: string | null,
  now: Date,
): WorkerRecord {
  const applied = (kind: string) => results.find((r) => r.kind === kind && r.status === 'applied');
  const wake = plan.operations.find((o) => o.kind === 'scheduleFollowUp' && applied('scheduleFollowUp'));
  const nextChangeAt = plan.stage.nextChangeAt;
  const awaited = plan.operations.find((o) => o.kind === 'awaitManager');
  const leaver =
    plan.stage.stage === 'terminated' || plan.stage.stage === 'retired' || plan.stage.stage === 'deleted';
  return {
    ...worker,
    etag: undefined,
    status: 'ok',
    reason: undefined,
    errorCode: undefined,
    lastVersion: version,
    objectId: objectId ?? worker.objectId,
    phase: plan.stage.stage,
    terminatedSince: leaver ? (worker.terminatedSince ?? now.toISOString()) : undefined,
    scheduledWakeAt:
      wake?.kind === 'scheduleFollowUp'
        ? wake.params.at
        : worker.scheduledWakeAt === nextChangeAt
          ? worker.scheduledWakeAt
          : undefined,
    pendingManager:
      awaited?.kind === 'awaitManager' && applied('awaitManager')
        ? awaited.params.managerEmployeeId
        : applied('setManager')
          ? undefined
          : worker.pendingManager,
    updatedAt: now.toISOString(),
  };
}

async function guardHolds(run: Run, flow: Flow, plan: Plan, version: string): Promise<string | undefined> {
  const { deps } = run;
  if (run.options.bypassGuard || plan.operations.length === 0) return undefined;
  const now = deps.clock.now().toISOString();
  let reason: string | undefined;
  if (await deps.held.pausedSince(flow.name)) reason = 'the flow is paused by the mass-change guard';
  else {
    const counts = destructiveCounts(plan);
    if (!isDestructive(counts)) return undefined;
    const totals = await deps.held.recordChanges(flow.name, now, counts, flow.guard.windowMs);
    const crossed = crossedLimit(totals, flow.guard);
    if (!crossed) return undefined;
    reason = `mass-change guard: ${crossed}`;
    await deps.held.setPaused(flow.name, now);
  }
  await deps.held.hold({
    flow: flow.name,
    employeeId: plan.employeeId,
    heldAt: now,
    plan: encodePlan(plan),
    version,
    reason,
  });
  return reason;
}

/** Delay of the follow-up reconcile scheduled when the read-back contradicts the plan. */
export const VERIFY_FOLLOW_UP_MS = 5 * 60_000;

/**
 * Reads the account back and records every planned after-value it contradicts (timeline `verification`); on a
 * mismatch, or when the read-back itself fails, schedules a follow-up reconcile (a `wake`) so the worker converges
 * without waiting for the next HR event. Returns the admin-readable reason, or undefined when all matched.
 */
async function verifyApplied(
  run: Run,
  directory: Directory,
  plan: Plan,
  results: readonly OpResult[],
  objectId: string | null,
  version: string,
): Promise<string | undefined> {
  const needs = readBackNeeds(plan, results);
  if (!needs.any || !objectId) return undefined;
  const { deps, message } = run;
  let mismatches: Mismatch[];
  let unavailable: string | undefined;
  try {
    mismatches = compareWithPlan(plan, results, await readBack(directory, objectId, needs));
  } catch (thrown) {
    mismatches = [];
    unavailable = toTenureError(thrown).code;
  }
  if (mismatches.length === 0 && !unavailable) {
    run.note('verification', { ok: true });
    return undefined;
  }
  const at = new Date(deps.clock.now().getTime() + VERIFY_FOLLOW_UP_MS);
  let followUpAt: string | null = at.toISOString();
  try {
    await deps.sender.schedule(
      {
        kind: 'wake',
        flow: message.flow,
        employeeId: message.employeeId,
        version,
        sentAt: deps.clock.now().toISOString(),
      },
      at,
    );
  } catch {
    // Recorded below; the next event or an admin replay reconciles the worker.
    followUpAt = null;
  }
  run.note('verification', { ok: false, mismatches, ...(unavailable ? { unavailable } : {}), followUpAt });
  const when = followUpAt ? `follow-up reconcile at ${followUpAt}` : 'follow-up could not be scheduled';
  return unavailable
    ? `verification: read-back unavailable (${unavailable}); ${when}`
    : `verification: ${mismatches.length} planned value(s) not found after applying; ${when}`;
}

export async function reconcile(
  deps: EngineDeps,
  message: WorkerMessage,
  options: ReconcileOptions,
): Promise<ReconcileOutcome> {
  const run = new Run(deps, message, options);
  const flow = deps.flows.get(message.flow);
  const now = deps.clock.now();
  let worker = base(message, await deps.workers.get(message.flow, message.employeeId), now);
  let record: Readonly<Record<string, unknown>> | undefined;
  let version: string;
  if (message.kind === 'snapshot' && message.record) {
    const newest = [worker.lastVersion, worker.snapshotVersion].filter((v): v is string => v !== undefined);
    if (newest.some((v) => compareVersions(message.version, v) < 0)) {
      run.note('eventSkipped', {
        version: message.version,
        lastVersion: worker.lastVersion,
        why: 'older than the last one received',
      });
      await run.flush();
      return { status: 'skipped', reason: 'stale' };
    }
    record = message.record;
    version = message.version;
    if (!options.preview) {
      worker = {
        ...worker,
        etag: undefined,
        snapshot: record,
        snapshotVersion: version,
        updatedAt: now.toISOString(),
      };
      await deps.workers.put(worker);
    }
  } else {
    record = worker.snapshot;
    version = worker.snapshotVersion ?? message.version;
  }
  if (!record) {
    run.note('eventSkipped', { kind: message.kind, why: 'no snapshot stored for this worker' });
    await run.flush();
    return { status: 'skipped', reason: 'noSnapshot' };
  }
  run.note('eventReceived', { kind: message.kind, version, attempt: message.attempt ?? 0 });
  try {
    const { desired, policy } = desiredFromFlow({
      flow,
      raw: record,
      version,
      now,
      previousPhase: worker.phase,
      terminatedSince: worker.terminatedSince,
    });
    const directory = await deps.directoryFor(flow.connection);
    const reservations = options.preview ? previewReservations : deps.reservations;
    const playbook = deps.playbookFor ? await deps.playbookFor(flow.connection) : undefined;
    const observed = await observe(
      {
        directory,
        reservations,
        pending: deps.pending,
        workers: deps.workers,
        ...(playbook ? { playbook } : {}),
      },
      desired,
      worker,
      policy,
      now,
    );
    const plan = computePlan(desired, observed, policy, now);
    run.note('plan', { plan });
    if (options.preview) return { status: 'preview', plan };
    if (plan.operations.length === 0) {
      await run.flush();
      await deps.workers.put(nextRecord(worker, plan, [], version, observed.user?.id ?? null, now));
      return { status: 'noChange', plan };
    }
    const held = await guardHolds(run, flow, plan, version);
    if (held) {
      run.note('held', { reason: held });
      await run.flush();
      await deps.workers.put({
        ...worker,
        etag: undefined,
        status: 'held',
        reason: held,
        updatedAt: now.toISOString(),
      });
      return { status: 'held', plan, reason: held };
    }
    const live = observed.user && !observed.user.deleted ? observed.user.id : null;
    const result = await applyPlan(plan, {
      directory,
      vault: deps.vault,
      sender: deps.sender,
      pending: deps.pending,
      random: deps.random,
      clock: deps.clock,
      snapshotVersion: version,
      objectId: live,
      ...(playbook ? { playbook } : {}),
    });
    for (const r of result.results) run.note('operation', { ...r });
    if (result.error && !result.error.terminal) {
      // Keep what was applied (the object id above all), then let the handler retry the rest.
      await run.flush();
      await deps.workers.put({
        ...worker,
        etag: undefined,
        objectId: result.objectId ?? worker.objectId,
        updatedAt: now.toISOString(),
      });
      throw result.error;
    }
    const next = nextRecord(worker, plan, result.results, version, result.objectId, now);
    if (result.error) {
      await run.flush();
      await deps.workers.put(next);
      const failed = await markFailed(deps, message, result.error, options.runId);
      return { ...failed, plan } as ReconcileOutcome;
    }
    const unverified = await verifyApplied(
      run,
      directory,
      plan,
      result.results,
      result.objectId ?? live,
      version,
    );
    await run.flush();
    await deps.workers.put(unverified ? { ...next, reason: unverified } : next);
    return { status: 'applied', plan, results: result.results };
  } catch (thrown) {
    const error = toTenureError(thrown);
    if (options.preview) throw error;
    await run.flush().catch(() => undefined);
    if (!error.terminal) throw error;
    return markFailed(deps, message, error, options.runId);
  }
}
