/**
 * A stand-in for Graph's directory service until the emulator's Graph users/licences service lands on main (branch
 * `graph`): the engine's Directory and the playbook's LicencePlans read and write the emulator tenant's own state
 * (users, groups, licences), so Exchange sees licence removal exactly as it would after Graph's assignLicense (the
 * shared-mailbox licence rule is computed live from that state). Every write is recorded in the emulator's request
 * log as service `graph-standin` so tests read one ordered log. Replace with createGraphDirectory once Graph lands.
 */
import { TenureError } from '../../../shared/engine/errors';
import type { ObservedUser } from '../../../shared/engine/observe/model';
import type { Directory, NamingAttribute } from '../../../shared/engine/ports';
import type { JsonValue } from '../../../shared/engine/plan/model';
import type { LicencePlans } from '../../../shared/playbook/ports';
import type { EmulatorState } from '../../../emulator/src/state/store';
import type { DirectoryUser, Tenant } from '../../../emulator/src/state/model';

const PLAN2 = new Set(['EXCHANGE_S_ENTERPRISE', 'EXCHANGE_S_ARCHIVE_ADDON', 'EXCHANGE_S_ARCHIVE']);

export class EmulatorEntra implements Directory, LicencePlans {
  readonly writes: string[] = [];
  constructor(
    private readonly state: EmulatorState,
    private readonly tenant: Tenant,
  ) {}

  private log(method: string, path: string, detail: string): void {
    this.writes.push(detail);
    this.state.log.record({
      service: 'graph-standin',
      method,
      path,
      query: '',
      status: 200,
      durationMs: 0,
      tenantId: this.tenant.id,
      detail,
    });
  }

  private view(u: DirectoryUser): ObservedUser {
    const attributes: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(u.properties))
      if (k !== 'accountEnabled') attributes[k] = (v ?? null) as JsonValue;
    return { id: u.id, deleted: false, accountEnabled: u.properties.accountEnabled !== false, attributes };
  }

  private user(id: string): DirectoryUser {
    const u = this.tenant.users.get(id);
    if (!u) throw new TenureError('TENURE_GRAPH_NOT_FOUND', 'not found', { graphStatus: 404 });
    return u;
  }

  private byEmployee(employeeId: string): DirectoryUser | undefined {
    return [...this.tenant.users.values()].find((u) => u.properties.employeeId === employeeId);
  }

  async findUserByEmployeeId(employeeId: string) {
    const u = this.byEmployee(employeeId);
    return u ? this.view(u) : null;
  }
  async getUser(id: string) {
    const u = this.tenant.users.get(id);
    return u ? this.view(u) : null;
  }
  async findUserIdByEmployeeId(employeeId: string) {
    return this.byEmployee(employeeId)?.id ?? null;
  }
  async listGroupIds(userId: string) {
    return [...this.tenant.groups.values()].filter((g) => g.memberIds.has(userId)).map((g) => g.id);
  }
  async listLicenseSkuIds(userId: string) {
    return this.user(userId).assignedLicenses.map((l) => l.skuId);
  }
  async managerId(userId: string) {
    return this.user(userId).managerId ?? null;
  }
  async isNameTaken(attribute: NamingAttribute, value: string, exceptUserId?: string) {
    return [...this.tenant.users.values()].some(
      (u) =>
        u.id !== exceptUserId && String(u.properties[attribute] ?? '').toLowerCase() === value.toLowerCase(),
    );
  }
  async resolveGroup(ref: string) {
    const g = [...this.tenant.groups.values()].find((x) => x.id === ref || x.properties.displayName === ref);
    return g?.id ?? null;
  }
  async resolveSku(ref: string) {
    const s = [...this.tenant.skus.values()].find((x) => x.skuId === ref || x.skuPartNumber === ref);
    return s?.skuId ?? null;
  }
  async createUser(): Promise<{ id: string }> {
    throw new Error('the stand-in does not create users: seed them');
  }
  async updateUser(userId: string, changes: Readonly<Record<string, JsonValue>>) {
    this.log('PATCH', `/users/${userId}`, `PATCH /users ${Object.keys(changes).sort().join(',')}`);
    Object.assign(this.user(userId).properties, changes);
  }
  async restoreUser(): Promise<void> {
    throw new Error('the stand-in does not restore users');
  }
  async deleteUser(): Promise<void> {
    throw new Error('the stand-in does not delete users');
  }
  async revokeSessions(userId: string) {
    this.log('POST', `/users/${userId}/revokeSignInSessions`, 'revokeSignInSessions');
    this.user(userId).signInSessionsValidFrom = Date.now();
  }
  async setManager(userId: string, managerId: string) {
    this.log('PUT', `/users/${userId}/manager/$ref`, 'setManager');
    this.user(userId).managerId = managerId;
  }
  async removeManager(userId: string) {
    this.log('DELETE', `/users/${userId}/manager/$ref`, 'removeManager');
    delete this.user(userId).managerId;
  }
  async addGroupMember(groupId: string, userId: string) {
    this.log('POST', `/groups/${groupId}/members/$ref`, 'addGroupMember');
    this.tenant.groups.get(groupId)?.memberIds.add(userId);
  }
  async removeGroupMember(groupId: string, userId: string) {
    this.log('DELETE', `/groups/${groupId}/members/${userId}/$ref`, 'removeGroupMember');
    this.tenant.groups.get(groupId)?.memberIds.delete(userId);
  }
  async assignLicenses(userId: string, add: readonly string[], remove: readonly string[]) {
    this.log('POST', `/users/${userId}/assignLicense`, `assignLicense +${add.length} -${remove.length}`);
    const u = this.user(userId);
    u.assignedLicenses = u.assignedLicenses.filter((l) => !remove.includes(l.skuId));
    for (const skuId of add)
      if (!u.assignedLicenses.some((l) => l.skuId === skuId))
        u.assignedLicenses.push({ skuId, disabledPlans: [] });
  }
  async createTemporaryAccessPass(): Promise<{ pass: string }> {
    throw new Error('the stand-in does not issue passes');
  }
  async exchangePlan2SkuIds(userId: string) {
    return this.user(userId)
      .assignedLicenses.filter((l) =>
        (this.tenant.skus.get(l.skuId)?.servicePlans ?? []).some(
          (p) => PLAN2.has(p.servicePlanName.toUpperCase()) && !l.disabledPlans.includes(p.servicePlanId),
        ),
      )
      .map((l) => l.skuId);
  }
}
