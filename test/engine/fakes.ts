// In-memory fakes of the engine's ports, with Entra's semantics where the engine depends on them (soft delete,
// seats, membership idempotency, UPN/proxy uniqueness), counting writes so tests can assert "zero writes".
import { TenureError } from '../../shared/engine/errors';
import type { JsonValue } from '../../shared/engine/plan/model';
import type { ObservedUser } from '../../shared/engine/observe/model';
import type {
  Clock,
  CredentialVault,
  Directory,
  NamingAttribute,
  RandomSource,
  UserCreate,
} from '../../shared/engine/ports';
import type {
  GuardCounts,
  HeldPlan,
  HeldPlanRepository,
  PendingManagerRepository,
  ReservationRepository,
  TimelineEntry,
  TimelineRepository,
  WorkerRecord,
  WorkerRepository,
} from '../../shared/engine/repositories';
import type { Log } from '../../shared/engine/handler';
import type { WorkerMessage } from '../../shared/messaging/message';
import type { WorkerMessageSender } from '../../shared/messaging/sender';

interface FakeUser {
  id: string;
  attributes: Record<string, JsonValue>;
  accountEnabled: boolean;
  deletedDateTime?: string;
  manager?: string;
  licenses: Set<string>;
}

export class FakeDirectory implements Directory {
  users = new Map<string, FakeUser>();
  groups = new Map<string, { name: string; members: Set<string> }>();
  skus = new Map<string, { part: string; seats: number }>();
  writes: string[] = [];
  private next = 1;
  constructor(private readonly clock: Clock) {}

  addGroup(id: string, name: string): this {
    this.groups.set(id, { name, members: new Set() });
    return this;
  }
  addSku(id: string, part: string, seats: number): this {
    this.skus.set(id, { part, seats });
    return this;
  }
  live(): FakeUser[] {
    return [...this.users.values()].filter((u) => !u.deletedDateTime);
  }
  byEmployee(employeeId: string): FakeUser | undefined {
    return this.live().find((u) => u.attributes.employeeId === employeeId);
  }
  private view(u: FakeUser): ObservedUser {
    return {
      id: u.id,
      deleted: u.deletedDateTime !== undefined,
      ...(u.deletedDateTime ? { deletedDateTime: u.deletedDateTime } : {}),
      accountEnabled: u.accountEnabled,
      attributes: { ...u.attributes },
    };
  }
  private user(id: string): FakeUser {
    const u = this.users.get(id);
    if (!u || u.deletedDateTime)
      throw new TenureError('TENURE_GRAPH_NOT_FOUND', 'not found', { graphStatus: 404 }, { terminal: false });
    return u;
  }
  /** Ids missing from $filter results (replication lag); direct reads still find them. */
  lagging = new Set<string>();
  async getUserByPrincipalName(upn: string) {
    const u = this.live().find(
      (x) => String(x.attributes.userPrincipalName).toLowerCase() === upn.toLowerCase(),
    );
    return u ? this.view(u) : null;
  }
  async findUserByEmployeeId(employeeId: string) {
    const live = this.byEmployee(employeeId);
    if (live && this.lagging.has(live.id)) return null;
    if (live) return this.view(live);
    const deleted = [...this.users.values()].filter(
      (u) => u.deletedDateTime && u.attributes.employeeId === employeeId,
    );
    deleted.sort((a, b) => b.deletedDateTime!.localeCompare(a.deletedDateTime!));
    return deleted[0] ? this.view(deleted[0]) : null;
  }
  async getUser(id: string) {
    const u = this.users.get(id);
    return u && !u.deletedDateTime ? this.view(u) : null;
  }
  async findUserIdByEmployeeId(employeeId: string) {
    return this.byEmployee(employeeId)?.id ?? null;
  }
  async listGroupIds(userId: string) {
    return [...this.groups].filter(([, g]) => g.members.has(userId)).map(([id]) => id);
  }
  async listLicenseSkuIds(userId: string) {
    return [...this.user(userId).licenses];
  }
  async managerId(userId: string) {
    return this.user(userId).manager ?? null;
  }
  async isNameTaken(attribute: NamingAttribute, value: string, exceptUserId?: string) {
    return [...this.users.values()].some(
      (u) =>
        u.id !== exceptUserId && String(u.attributes[attribute] ?? '').toLowerCase() === value.toLowerCase(),
    );
  }
  async resolveGroup(ref: string) {
    if (this.groups.has(ref)) return ref;
    return [...this.groups].find(([, g]) => g.name === ref)?.[0] ?? null;
  }
  async resolveSku(ref: string) {
    if (this.skus.has(ref)) return ref;
    return [...this.skus].find(([, s]) => s.part === ref)?.[0] ?? null;
  }
  async createUser(user: UserCreate, employeeId: string) {
    this.writes.push('createUser');
    const upn = String(user.attributes.userPrincipalName);
    if (await this.isNameTaken('userPrincipalName', upn)) {
      throw new TenureError(
        'TENURE_GRAPH_CONFLICT',
        'conflict',
        { target: 'userPrincipalName' },
        { terminal: false },
      );
    }
    if (!user.password || user.password.length < 8) throw new Error('weak password');
    const id = `u-${this.next++}`;
    this.users.set(id, {
      id,
      attributes: { ...user.attributes, employeeId },
      accountEnabled: user.accountEnabled,
      licenses: new Set(),
    });
    return { id };
  }
  async updateUser(userId: string, changes: Readonly<Record<string, JsonValue>>) {
    this.writes.push('updateUser');
    const u = this.user(userId);
    for (const [k, v] of Object.entries(changes)) {
      if (k === 'accountEnabled') u.accountEnabled = v === true;
      else u.attributes[k] = v;
    }
  }
  async restoreUser(deletedId: string) {
    this.writes.push('restoreUser');
    const u = this.users.get(deletedId);
    if (!u?.deletedDateTime)
      throw new TenureError('TENURE_GRAPH_NOT_FOUND', 'not found', {}, { terminal: false });
    delete u.deletedDateTime;
  }
  async deleteUser(userId: string) {
    this.writes.push('deleteUser');
    const u = this.users.get(userId);
    if (u) u.deletedDateTime = this.clock.now().toISOString();
  }
  async revokeSessions(userId: string) {
    this.writes.push('revokeSessions');
    this.user(userId);
  }
  async setManager(userId: string, managerId: string) {
    this.writes.push('setManager');
    this.user(userId).manager = managerId;
  }
  async removeManager(userId: string) {
    this.writes.push('removeManager');
    delete this.user(userId).manager;
  }
  async addGroupMember(groupId: string, userId: string) {
    this.writes.push('addGroupMember');
    this.groups.get(groupId)!.members.add(userId);
  }
  async removeGroupMember(groupId: string, userId: string) {
    this.writes.push('removeGroupMember');
    this.groups.get(groupId)?.members.delete(userId);
  }
  async assignLicenses(userId: string, add: readonly string[], remove: readonly string[]) {
    this.writes.push('assignLicenses');
    const u = this.user(userId);
    if (add.length > 0 && !u.attributes.usageLocation) {
      throw new TenureError('TENURE_LICENSE_USAGE_LOCATION', 'usage location', {}, { terminal: false });
    }
    for (const sku of add) {
      const used = [...this.users.values()].filter((x) => x.licenses.has(sku)).length;
      if (!u.licenses.has(sku) && used >= (this.skus.get(sku)?.seats ?? 0)) {
        throw new TenureError('TENURE_LICENSE_NO_SEATS', 'no seats', {});
      }
    }
    for (const sku of remove) u.licenses.delete(sku);
    for (const sku of add) u.licenses.add(sku);
  }
  async createTemporaryAccessPass(userId: string) {
    this.writes.push('createTemporaryAccessPass');
    this.user(userId);
    return { pass: 'TAP-SECRET-123' };
  }
}

export class MemoryWorkers implements WorkerRepository {
  rows = new Map<string, WorkerRecord>();
  async get(flow: string, employeeId: string) {
    return this.rows.get(`${flow}|${employeeId}`) ?? null;
  }
  async put(record: WorkerRecord) {
    this.rows.set(`${record.flow}|${record.employeeId}`, { ...record });
  }
}

export class MemoryTimeline implements TimelineRepository {
  entries: TimelineEntry[] = [];
  async append(entries: readonly TimelineEntry[]) {
    this.entries.push(...entries);
  }
  async list(flow: string, employeeId: string, limit: number) {
    return this.entries
      .filter((e) => e.flow === flow && e.employeeId === employeeId)
      .reverse()
      .slice(0, limit);
  }
}

export class MemoryReservations implements ReservationRepository {
  rows = new Map<string, string>();
  async reserve(attribute: NamingAttribute, value: string, flow: string, employeeId: string) {
    const k = `${attribute}|${value.toLowerCase()}`;
    const holder = this.rows.get(k);
    if (holder === undefined) {
      this.rows.set(k, `${flow}|${employeeId}`);
      return true;
    }
    return holder === `${flow}|${employeeId}`;
  }
  async release(attribute: NamingAttribute, value: string, flow: string, employeeId: string) {
    const k = `${attribute}|${value.toLowerCase()}`;
    if (this.rows.get(k) === `${flow}|${employeeId}`) this.rows.delete(k);
  }
}

export class MemoryPending implements PendingManagerRepository {
  rows = new Map<string, Set<string>>();
  async add(flow: string, manager: string, employeeId: string) {
    const k = `${flow}|${manager}`;
    this.rows.set(k, (this.rows.get(k) ?? new Set()).add(employeeId));
  }
  async listReports(flow: string, manager: string) {
    return [...(this.rows.get(`${flow}|${manager}`) ?? [])];
  }
  async remove(flow: string, manager: string, employeeId: string) {
    this.rows.get(`${flow}|${manager}`)?.delete(employeeId);
  }
}

export class MemoryHeld implements HeldPlanRepository {
  plans = new Map<string, HeldPlan>();
  paused = new Map<string, string>();
  changes: { flow: string; at: string; counts: GuardCounts }[] = [];
  async hold(plan: HeldPlan) {
    this.plans.set(`${plan.flow}|${plan.employeeId}`, plan);
  }
  async list(flow: string) {
    return [...this.plans.values()].filter((p) => p.flow === flow);
  }
  async get(flow: string, employeeId: string) {
    return this.plans.get(`${flow}|${employeeId}`) ?? null;
  }
  async remove(flow: string, employeeId: string) {
    this.plans.delete(`${flow}|${employeeId}`);
  }
  async pausedSince(flow: string) {
    return this.paused.get(flow) ?? null;
  }
  async setPaused(flow: string, since: string | null) {
    if (since) this.paused.set(flow, since);
    else this.paused.delete(flow);
  }
  async recordChanges(flow: string, at: string, counts: GuardCounts, windowMs: number) {
    this.changes.push({ flow, at, counts });
    const from = Date.parse(at) - windowMs;
    return this.changes
      .filter((c) => c.flow === flow && Date.parse(c.at) >= from)
      .reduce(
        (t, c) => ({
          disables: t.disables + c.counts.disables,
          deletes: t.deletes + c.counts.deletes,
          groupRemovals: t.groupRemovals + c.counts.groupRemovals,
        }),
        { disables: 0, deletes: 0, groupRemovals: 0 },
      );
  }
}

export class MemoryVault implements CredentialVault {
  secrets = new Map<string, { value: string; expiresOn: Date }>();
  async storeInitialCredential(flow: string, employeeId: string, secret: string, expiresOn: Date) {
    const name = `initial-${flow}-${employeeId}`;
    this.secrets.set(name, { value: secret, expiresOn });
    return name;
  }
}

export class MemorySender implements WorkerMessageSender {
  sent: WorkerMessage[] = [];
  scheduled: { message: WorkerMessage; at: Date }[] = [];
  async send(message: WorkerMessage) {
    this.sent.push(message);
  }
  async schedule(message: WorkerMessage, at: Date) {
    this.scheduled.push({ message, at });
    return String(this.scheduled.length);
  }
}

export class TestClock implements Clock {
  constructor(public current: Date) {}
  now() {
    return new Date(this.current);
  }
  advance(ms: number) {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export const counterRandom = (): RandomSource => {
  let n = 7;
  return { int: (max) => (n = (n * 1103515245 + 12345) % 2147483648) % max };
};

/** The engine's stores in memory, fresh for each world, with a deterministic random source. */
export function memoryStores() {
  return {
    workers: new MemoryWorkers(),
    timeline: new MemoryTimeline(),
    reservations: new MemoryReservations(),
    pending: new MemoryPending(),
    held: new MemoryHeld(),
    vault: new MemoryVault(),
    random: counterRandom(),
  };
}

export const silent: Log = { info: () => undefined, warn: () => undefined, error: () => undefined };
