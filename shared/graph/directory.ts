/**
 * The engine's Directory port over Graph (the "process" step for each call lives here: status → result or typed
 * error). Idempotent by design: already a member / not a member / manager already gone / user already deleted
 * are successes; a create retried after a lost response is recognised by employeeId.
 */
import { TenureError } from '../engine/errors';
import type { JsonValue } from '../engine/plan/model';
import type { ObservedUser } from '../engine/observe/model';
import type { Directory, ExtraReads, NamingAttribute, UserCreate } from '../engine/ports';
import { waitFitsRun } from '../engine/runDeadline';
import { MemberBinder, RequestBatcher } from './batcher';
import { isAlreadyMember, isNotMember, namingGatedPermission, toGraphError } from './errors';
import type { GraphExecutor } from './executor';
import { build } from './requests';
import { isSuccess, type GraphRequest, type GraphResponse } from './types';
import { flattenUser, toGraphBody } from './userShape';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Sku {
  skuId: string;
  skuPartNumber: string;
}

export interface GraphDirectoryOptions {
  /** Graph root without version, used in `@odata.id` references. */
  readonly graphRoot: string;
  /** Coalesce independent requests into `$batch` and group additions into `members@odata.bind`. */
  readonly batching?: boolean;
  /** Window to collect group additions for one bind (bulk loads). */
  readonly bindWindowMs?: number;
  /**
   * Waits before looking a group name up again when `$filter` finds none: a group whose membership just changed is
   * missing from `$filter` results during replication lag (default 250, 500, 1000, 2000 ms; [] disables).
   */
  readonly groupLagWaitsMs?: readonly number[];
}

function values(response: GraphResponse): Record<string, unknown>[] {
  const body = response.body as { value?: unknown } | undefined;
  return Array.isArray(body?.value) ? (body.value as Record<string, unknown>[]) : [];
}

function toObserved(raw: Record<string, unknown>, deleted: boolean): ObservedUser {
  const attributes = flattenUser(raw);
  return {
    id: String(raw.id),
    deleted,
    ...(typeof raw.deletedDateTime === 'string' ? { deletedDateTime: raw.deletedDateTime } : {}),
    accountEnabled: raw.accountEnabled === true,
    attributes,
  };
}

export class GraphDirectory implements Directory {
  private readonly batcher: RequestBatcher;
  private readonly binder: MemberBinder;
  private skus?: Promise<Sku[]>;
  private readonly groupIds = new Map<string, string>();

  constructor(
    executor: GraphExecutor,
    private readonly options: GraphDirectoryOptions,
  ) {
    this.batcher = new RequestBatcher(executor, options.batching ?? true);
    this.binder = new MemberBinder(this.batcher, executor, options.graphRoot, options.bindWindowMs ?? 0);
  }

  private async call(request: GraphRequest, action: string): Promise<GraphResponse> {
    const response = await this.batcher.submit(request);
    if (!isSuccess(response.status)) throw toGraphError(response, { action });
    return response;
  }

  /** GET with paging (`@odata.nextLink` is absolute; the SDK accepts it as is). */
  private async getAll(request: GraphRequest, action: string): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    let next: GraphRequest | undefined = request;
    while (next) {
      const response = await this.call(next, action);
      out.push(...values(response));
      const link = (response.body as { '@odata.nextLink'?: unknown })['@odata.nextLink'];
      next = typeof link === 'string' ? { method: 'GET', url: link, headers: request.headers } : undefined;
    }
    return out;
  }

  async findUserByEmployeeId(employeeId: string, reads: ExtraReads = []): Promise<ObservedUser | null> {
    const live = await this.getAll(build.usersByEmployeeId(employeeId, reads), 'findUser');
    if (live.length > 0) return toObserved(live[0], false);
    const deleted = await this.getAll(build.deletedUsersByEmployeeId(employeeId, reads), 'findDeletedUser');
    if (deleted.length === 0) return null;
    deleted.sort((a, b) => String(b.deletedDateTime ?? '').localeCompare(String(a.deletedDateTime ?? '')));
    return toObserved(deleted[0], true);
  }

  /** Reads a user by id, tolerating replication lag (a just-created user missing from $filter results). */
  async getUser(id: string, reads: ExtraReads = []): Promise<ObservedUser | null> {
    const response = await this.batcher.submit(build.userById(id, true, reads));
    if (response.status === 404) return null;
    if (!isSuccess(response.status)) throw toGraphError(response, { action: 'getUser' });
    return toObserved(response.body as Record<string, unknown>, false);
  }

  async getUserByPrincipalName(
    userPrincipalName: string,
    reads: ExtraReads = [],
  ): Promise<ObservedUser | null> {
    // No lag tolerance: a 404 here means the name is free, and retrying it would only slow every new hire.
    const response = await this.batcher.submit(build.userById(userPrincipalName, false, reads));
    if (response.status === 404) return null;
    if (!isSuccess(response.status)) throw toGraphError(response, { action: 'getUser' });
    return toObserved(response.body as Record<string, unknown>, false);
  }

  async findUserIdByEmployeeId(employeeId: string): Promise<string | null> {
    const live = await this.getAll(build.usersByEmployeeId(employeeId), 'findManager');
    return live.length > 0 ? String(live[0].id) : null;
  }

  async listGroupIds(userId: string): Promise<string[]> {
    // memberOf also lists directory roles; only groups are the engine's business.
    const all = await this.getAll(build.memberOfGroups(userId), 'listGroups');
    return all
      .filter((o) => o['@odata.type'] === undefined || o['@odata.type'] === '#microsoft.graph.group')
      .map((g) => String(g.id));
  }

  async listLicenseSkuIds(userId: string): Promise<string[]> {
    const response = await this.call(build.licenseDetails(userId), 'listLicenses');
    const licenses = (response.body as { assignedLicenses?: { skuId?: unknown }[] }).assignedLicenses ?? [];
    return licenses.map((l) => String(l.skuId));
  }

  async managerId(userId: string): Promise<string | null> {
    const response = await this.batcher.submit(build.manager(userId));
    if (response.status === 404) return null;
    if (!isSuccess(response.status)) throw toGraphError(response, { action: 'getManager' });
    return String((response.body as { id?: unknown }).id);
  }

  async isNameTaken(attribute: NamingAttribute, value: string, exceptUserId?: string): Promise<boolean> {
    const [live, deleted] = await Promise.all([
      this.getAll(build.usersWithName(attribute, value), 'checkName'),
      this.getAll(build.deletedUsersWithName(attribute, value), 'checkDeletedName'),
    ]);
    return [...live, ...deleted].some((u) => String(u.id) !== exceptUserId);
  }

  async resolveGroup(ref: string): Promise<string | null> {
    // Group ids never change and names rarely do; a group just changed (e.g. a member added) can be missing from
    // $filter results for a while (replication lag), so a resolved name is remembered.
    const known = this.groupIds.get(ref);
    if (known) return known;
    const id = await this.lookupGroup(ref);
    if (id) this.groupIds.set(ref, id);
    return id;
  }

  private async lookupGroup(ref: string): Promise<string | null> {
    if (GUID.test(ref)) {
      const response = await this.batcher.submit(build.groupById(ref));
      if (response.status === 404) return null;
      if (!isSuccess(response.status)) throw toGraphError(response, { action: 'resolveGroup' });
      return ref;
    }
    let found = await this.getAll(build.groupsByName(ref), 'resolveGroup');
    // Not found may be replication lag (this process has not remembered the id yet, e.g. after a restart).
    for (const wait of found.length === 0 ? (this.options.groupLagWaitsMs ?? [250, 500, 1000, 2000]) : []) {
      // Not found is final (terminal for the flow's reference): past the run's deadline, let the queue ask again.
      if (!waitFitsRun(wait, Date.now())) {
        throw new TenureError(
          'TENURE_GRAPH_UNAVAILABLE',
          'Graph resolveGroup: the group is not listed yet (replication lag) and the run may not wait longer.',
          { operationKind: 'resolveGroup', target: ref, retryAfterMs: wait },
          { terminal: false },
        );
      }
      await new Promise((r) => setTimeout(r, wait));
      found = await this.getAll(build.groupsByName(ref), 'resolveGroup');
      if (found.length > 0) break;
    }
    if (found.length > 1) {
      throw new TenureError('TENURE_UNRESOLVED_REFERENCE', 'A group reference names more than one group.', {
        target: ref,
      });
    }
    return found.length === 1 ? String(found[0].id) : null;
  }

  async resolveSku(ref: string): Promise<string | null> {
    this.skus ??= this.getAll(build.subscribedSkus(), 'listSkus').then((list) =>
      list.map((s) => ({ skuId: String(s.skuId), skuPartNumber: String(s.skuPartNumber) })),
    );
    this.skus.catch(() => (this.skus = undefined));
    const skus = await this.skus;
    const hit = skus.find((s) => s.skuId.toLowerCase() === ref.toLowerCase() || s.skuPartNumber === ref);
    return hit?.skuId ?? null;
  }

  async createUser(user: UserCreate, employeeId: string): Promise<{ id: string }> {
    const body = {
      ...toGraphBody(user.attributes),
      employeeId,
      accountEnabled: user.accountEnabled,
      passwordProfile: { forceChangePasswordNextSignIn: true, password: user.password },
    };
    const response = await this.batcher.submit(build.createUser(body));
    if (isSuccess(response.status)) return { id: String((response.body as { id?: unknown }).id) };
    const error = toGraphError(response, { action: 'createUser', workerId: employeeId });
    // A create whose response was lost (crash, timeout, 5xx then retry) shows up as a conflict with our own
    // account, which $filter may not list yet (replication lag): read the holder of the UPN directly.
    if (error.code === 'TENURE_GRAPH_CONFLICT' || error.code === 'TENURE_GRAPH_UNAVAILABLE') {
      const upn = user.attributes.userPrincipalName;
      const holder = typeof upn === 'string' ? await this.getUser(upn) : null;
      if (holder && holder.attributes.employeeId === employeeId) return { id: holder.id };
      const mine = await this.findUserIdByEmployeeId(employeeId);
      if (mine) return { id: mine };
    }
    // Someone else took a name between our check and the create: re-observing picks the next candidate.
    if (error.code === 'TENURE_GRAPH_CONFLICT')
      throw new TenureError(error.code, error.message, error.details, { terminal: false });
    throw namingGatedPermission(error, Object.keys(user.attributes));
  }

  async updateUser(userId: string, changes: Readonly<Record<string, JsonValue>>): Promise<void> {
    const response = await this.batcher.submit(build.updateUser(userId, toGraphBody(changes)));
    if (isSuccess(response.status)) return;
    throw namingGatedPermission(toGraphError(response, { action: 'updateUser' }), Object.keys(changes));
  }

  async restoreUser(deletedId: string): Promise<void> {
    const response = await this.batcher.submit(build.restoreUser(deletedId));
    if (isSuccess(response.status)) return;
    // Already restored by an earlier attempt whose response was lost.
    if (response.status === 404 && (await this.getUser(deletedId))) return;
    throw toGraphError(response, { action: 'restoreUser' });
  }

  async deleteUser(userId: string): Promise<void> {
    const response = await this.batcher.submit({ ...build.deleteUser(userId), tolerateLag: false });
    if (isSuccess(response.status) || response.status === 404) return;
    throw toGraphError(response, { action: 'deleteUser' });
  }

  async revokeSessions(userId: string): Promise<void> {
    await this.call(build.revokeSessions(userId), 'revokeSessions');
  }

  async setManager(userId: string, managerId: string): Promise<void> {
    await this.call(build.setManager(this.options.graphRoot, userId, managerId), 'setManager');
  }

  async removeManager(userId: string): Promise<void> {
    const response = await this.batcher.submit(build.removeManager(userId));
    if (isSuccess(response.status) || response.status === 404) return;
    throw toGraphError(response, { action: 'removeManager' });
  }

  async addGroupMember(groupId: string, userId: string): Promise<void> {
    const response = await this.binder.add(groupId, userId);
    if (isSuccess(response.status) || isAlreadyMember(response)) return;
    throw toGraphError(response, { action: 'addGroupMember' });
  }

  async removeGroupMember(groupId: string, userId: string): Promise<void> {
    const response = await this.batcher.submit(build.removeMember(groupId, userId));
    if (isSuccess(response.status) || isNotMember(response)) return;
    throw toGraphError(response, { action: 'removeGroupMember' });
  }

  async assignLicenses(userId: string, add: readonly string[], remove: readonly string[]): Promise<void> {
    await this.call(
      build.assignLicense(userId, add, remove),
      add.length > 0 ? 'assignLicenses' : 'removeLicenses',
    );
  }

  async createTemporaryAccessPass(userId: string, lifetimeMinutes: number): Promise<{ pass: string }> {
    const response = await this.call(
      build.temporaryAccessPass(userId, lifetimeMinutes),
      'createTemporaryAccessPass',
    );
    const pass = (response.body as { temporaryAccessPass?: unknown }).temporaryAccessPass;
    if (typeof pass !== 'string') {
      throw new TenureError('TENURE_GRAPH_BAD_REQUEST', 'Graph returned no Temporary Access Pass.', {
        operationKind: 'createTemporaryAccessPass',
      });
    }
    return { pass };
  }
}
