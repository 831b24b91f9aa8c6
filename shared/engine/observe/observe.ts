/**
 * Observe: read what Entra says about the worker (live account by employeeId, else the deleted one; groups,
 * licences, manager), resolve the flow's references, and pick + reserve free naming values when a create or a
 * rename needs them. Read-only towards Entra; the only write is the naming reservation (insert-if-absent).
 */
import type { DesiredState } from '../desired/model';
import type { PlanPolicy } from '../planner/policy';
import type { Directory, NamingAttribute } from '../ports';
import type {
  PendingManagerRepository,
  ReservationRepository,
  WorkerRecord,
  WorkerRepository,
} from '../repositories';
import type { ObservedState, ObservedUser, ResolvedReferences } from './model';
import { observePlaybook, type PlaybookPorts } from '../../playbook/observe';

export interface ObserveDeps {
  readonly directory: Directory;
  /** Tenure's own records: the object ids of accounts it created (read-after-write under replication lag). */
  readonly workers?: WorkerRepository;
  readonly reservations: ReservationRepository;
  readonly pending: PendingManagerRepository;
  /** Exchange/OneDrive readers for the leaver playbook (issue 9); absent: the connection has neither add-on. */
  readonly playbook?: PlaybookPorts;
}

const DAY_MS = 86_400_000;
const NAMING: readonly NamingAttribute[] = ['userPrincipalName', 'mailNickname', 'mail'];

async function findUser(
  deps: ObserveDeps,
  desired: DesiredState,
  worker: WorkerRecord | null,
): Promise<ObservedUser | null> {
  const reads = Object.keys(desired.attributes);
  const found = await deps.directory.findUserByEmployeeId(desired.employeeId, reads);
  if (found && !found.deleted) return found;
  // Replication lag: an account we created may not be in $filter results yet; read it by id.
  if (worker?.objectId) {
    const byId = await deps.directory.getUser(worker.objectId, reads);
    if (byId && (byId.attributes.employeeId === desired.employeeId || byId.attributes.employeeId == null))
      return byId;
  }
  return found;
}

/**
 * A run that crashed after creating the account but before recording it leaves an account that $filter may not
 * show yet (replication lag). Its name is one of the worker's UPN candidates: read them directly, in order, until
 * one is free (a later candidate cannot have been chosen while an earlier one was free).
 */
async function findOwnAccountByName(deps: ObserveDeps, desired: DesiredState): Promise<ObservedUser | null> {
  if (!deps.directory.getUserByPrincipalName) return null;
  for (const upn of desired.naming.userPrincipalName) {
    const holder = await deps.directory.getUserByPrincipalName(upn, Object.keys(desired.attributes));
    if (!holder) return null;
    if (holder.attributes.employeeId === desired.employeeId) return holder;
  }
  return null;
}

async function resolveAll(
  refs: readonly string[],
  resolve: (ref: string) => Promise<string | null>,
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  await Promise.all(
    [...new Set(refs)].map(async (ref) => {
      const id = await resolve(ref);
      if (id) out[ref] = id;
    }),
  );
  return out;
}

/** The manager by employeeId; a manager Tenure just created may be missing from $filter results, so read its id. */
async function resolveManager(deps: ObserveDeps, flow: string, employeeId: string): Promise<string | null> {
  const found = await deps.directory.findUserIdByEmployeeId(employeeId);
  if (found || !deps.workers) return found;
  const record = await deps.workers.get(flow, employeeId);
  if (!record?.objectId) return null;
  const user = await deps.directory.getUser(record.objectId);
  return user && user.attributes.employeeId === employeeId ? user.id : null;
}

function needsCreate(user: ObservedUser | null, policy: PlanPolicy, now: Date): boolean {
  if (!user) return true;
  if (!user.deleted) return false;
  if (!user.deletedDateTime) return false;
  return now.getTime() - Date.parse(user.deletedDateTime) > policy.reuseAccountWithinDays * DAY_MS;
}

/** First candidate not used in Entra (live, deleted, proxy addresses) and reserved for this worker. */
async function pickFree(
  deps: ObserveDeps,
  desired: DesiredState,
  attribute: NamingAttribute,
  candidates: readonly string[],
  exceptUserId: string | undefined,
): Promise<string | undefined> {
  for (const candidate of candidates) {
    if (await deps.directory.isNameTaken(attribute, candidate, exceptUserId)) continue;
    if (await deps.reservations.reserve(attribute, candidate, desired.flow, desired.employeeId))
      return candidate;
  }
  return undefined;
}

function isCurrent(
  user: ObservedUser | null,
  attribute: NamingAttribute,
  candidates: readonly string[],
): boolean {
  const current = user?.attributes[attribute];
  return typeof current === 'string' && candidates.some((c) => c.toLowerCase() === current.toLowerCase());
}

export async function observe(
  deps: ObserveDeps,
  desired: DesiredState,
  worker: WorkerRecord | null,
  policy: PlanPolicy,
  now: Date,
): Promise<ObservedState> {
  const found = await findUser(deps, desired, worker);
  const user = found && !found.deleted ? found : ((await findOwnAccountByName(deps, desired)) ?? found);
  const live = user && !user.deleted ? user : null;
  // Only the manager mapping and the leaver playbook use the current manager: skip the read (often a 404) otherwise.
  const readsManager =
    live !== null && (desired.managerEmployeeId !== undefined || desired.playbook !== undefined);
  const [groups, licenses, managerObjectId, waiting] = await Promise.all([
    live ? deps.directory.listGroupIds(live.id) : Promise.resolve([]),
    live ? deps.directory.listLicenseSkuIds(live.id) : Promise.resolve([]),
    readsManager ? deps.directory.managerId(live.id) : Promise.resolve(null),
    deps.pending.listReports(desired.flow, desired.employeeId),
  ]);
  const wantedManager = desired.managerEmployeeId;
  const [groupIds, skuIds, managerId] = await Promise.all([
    resolveAll([...desired.groups.granted, ...desired.groups.managed], (r) => deps.directory.resolveGroup(r)),
    resolveAll([...desired.licenses.granted, ...desired.licenses.managed], (r) =>
      deps.directory.resolveSku(r),
    ),
    wantedManager ? resolveManager(deps, desired.flow, wantedManager) : Promise.resolve(null),
  ]);
  const resolved: ResolvedReferences = {
    groups: groupIds,
    skus: skuIds,
    manager: wantedManager ? { employeeId: wantedManager, objectId: managerId } : null,
  };
  const freeNames: Partial<Record<NamingAttribute, string>> = {};
  const phase = desired.decision.phase;
  const creating =
    needsCreate(user, policy, now) && (phase === 'prehire' || phase === 'active' || phase === 'leave');
  const mayRename = live !== null && policy.run.includes('update');
  for (const attribute of NAMING) {
    const candidates = desired.naming[attribute];
    if (candidates.length === 0) continue;
    if (!creating && !(mayRename && !isCurrent(live, attribute, candidates))) continue;
    const free = await pickFree(deps, desired, attribute, candidates, live?.id);
    if (free) freeNames[attribute] = free;
  }
  const playbook = desired.playbook
    ? await observePlaybook(
        { ...deps.playbook, directory: deps.directory },
        desired.playbook,
        user,
        // A deleted account has no manager to read; its return (after the restore) goes to the one HR names.
        live ? managerObjectId : (resolved.manager?.objectId ?? null),
        desired.previousPhase,
      )
    : undefined;
  return {
    ...(playbook ? { playbook } : {}),
    takenAt: now.toISOString(),
    user,
    groups,
    licenses,
    managerObjectId,
    resolved,
    freeNames,
    bookkeeping: {
      ...(worker?.scheduledWakeAt ? { scheduledWakeAt: worker.scheduledWakeAt } : {}),
      ...(worker?.pendingManager ? { pendingManager: worker.pendingManager } : {}),
      waitingReports: waiting.length,
    },
  };
}
