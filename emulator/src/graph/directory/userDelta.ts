// GET /v1.0/users/delta (https://learn.microsoft.com/graph/api/user-delta, graph-spec.md §2.5): a round follows
// @odata.nextLink until a page carries @odata.deltaLink; the next round with that link returns users created or
// changed since, soft-deleted users as {"id","@removed":{"reason":"changed"}} and permanently deleted ones as
// "reason":"deleted". $select and the id filter are encoded into the tokens. Objects inside the replication-lag
// window are left for the next round.
import type { EmulatorContext } from '../../context';
import type { EmulatorRequest, Router } from '../../http/router';
import { GraphError, graphErrors } from '../kernel/errors';
import { hiddenByReplicationLag, tenantFaults } from '../kernel/faults';
import { addGraphRoute, header, type GraphCall } from '../kernel/pipeline';
import { FilterSyntaxError, parseFilter, type FilterNode } from '../query/filterParser';
import { selectProperties } from '../query/select';
import { USER_READ } from './permissions';
import { removals } from './removals';
import { userViewFor } from './lifecycleInfo';
import { USER_DEFAULT_SELECT, USER_SELECTABLE } from './userModel';

interface DeltaState {
  /** Changes after this clock time (exclusive); undefined = initial round. */
  since?: number;
  /** Changes up to this clock time (inclusive): the round's snapshot. */
  until: number;
  offset: number;
  select?: string[];
  ids?: string[];
}

const encode = (s: DeltaState): string => Buffer.from(JSON.stringify(s)).toString('base64url');

function decode(token: string): DeltaState {
  try {
    const s = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as DeltaState;
    if (typeof s.until === 'number' && typeof s.offset === 'number') return s;
  } catch {
    // fall through
  }
  throw new GraphError(400, 'Request_BadRequest', 'Invalid delta token.');
}

/** `id eq 'a' or id eq 'b'` (at most 50) is the only filter user-delta supports. */
function idsOf(filter: string): string[] {
  let tree: FilterNode;
  try {
    tree = parseFilter(filter);
  } catch (e) {
    if (e instanceof FilterSyntaxError)
      throw new GraphError(400, 'BadRequest', `Invalid filter clause: ${e.message}`);
    throw e;
  }
  const ids: string[] = [];
  const walk = (n: FilterNode): void => {
    if (n.kind === 'or') {
      walk(n.left);
      walk(n.right);
    } else if (
      n.kind === 'cmp' &&
      n.op === 'eq' &&
      n.path.join('/').toLowerCase() === 'id' &&
      typeof n.value === 'string'
    )
      ids.push(n.value.toLowerCase());
    else throw graphErrors.unsupportedQuery();
  };
  walk(tree);
  if (ids.length > 50) throw graphErrors.unsupportedQuery();
  return ids;
}

function pageSize(req: EmulatorRequest): number {
  const m = /odata\.maxpagesize=(\d+)/i.exec(header(req, 'prefer') ?? '');
  return m ? Math.max(1, Math.min(999, Number(m[1]))) : 100;
}

export function registerUserDeltaRoute(router: Router, ctx: EmulatorContext): void {
  addGraphRoute(router, ctx, 'GET', '/v1.0/users/delta', { permissions: USER_READ }, (req, call) =>
    delta(req, call),
  );
}

function delta(req: EmulatorRequest, call: GraphCall) {
  const { tenant } = call;
  const skip = req.query.get('$skiptoken');
  const deltaToken = req.query.get('$deltatoken');
  const lag = tenantFaults(tenant).replicationLagMs ?? 0;
  const snapshot = call.now - 1 - lag;
  let state: DeltaState;
  if (skip) state = decode(skip);
  else if (deltaToken === 'latest') {
    // "$deltatoken=latest": an empty answer with a deltaLink from now on.
    return respond(call, [], undefined, { since: snapshot, until: snapshot, offset: 0 });
  } else if (deltaToken) {
    const previous = decode(deltaToken);
    state = { ...previous, since: previous.until, until: snapshot, offset: 0 };
  } else {
    const select = req.query
      .get('$select')
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (select) selectProperties({}, select, USER_DEFAULT_SELECT, USER_SELECTABLE, 'microsoft.graph.user');
    const filter = req.query.get('$filter');
    state = { until: snapshot, offset: 0, select, ids: filter ? idsOf(filter) : undefined };
  }
  const inWindow = (t: number): boolean => (state.since === undefined || t > state.since) && t <= state.until;
  const wanted = (id: string): boolean => !state.ids || state.ids.includes(id.toLowerCase());
  const entries: Record<string, unknown>[] = [];
  for (const u of tenant.users.values()) {
    if (!wanted(u.id) || !inWindow(u.changedAt) || hiddenByReplicationLag(tenant, u.changedAt, call.now))
      continue;
    const view = selectProperties(
      userViewFor(call.caller, u),
      state.select,
      USER_DEFAULT_SELECT,
      USER_SELECTABLE,
      'microsoft.graph.user',
    );
    entries.push({ ...view, id: u.id });
  }
  if (state.since !== undefined) {
    const gone = new Set<string>();
    for (const r of removals(tenant))
      if (r.kind === 'user' && wanted(r.id) && inWindow(r.at)) {
        gone.add(r.id);
        entries.push({ id: r.id, '@removed': { reason: 'deleted' } });
      }
    for (const d of tenant.deletedItems.values())
      if (d.user && !gone.has(d.user.id) && wanted(d.user.id) && inWindow(d.deletedAt))
        entries.push({ id: d.user.id, '@removed': { reason: 'changed' } });
  }
  const size = pageSize(req);
  const page = entries.slice(state.offset, state.offset + size);
  const more = state.offset + size < entries.length;
  return respond(call, page, more ? { ...state, offset: state.offset + size } : undefined, state);
}

function respond(
  call: GraphCall,
  value: Record<string, unknown>[],
  next: DeltaState | undefined,
  state: DeltaState,
) {
  const base = `${call.serviceRoot}/users/delta`;
  const body: Record<string, unknown> = {
    '@odata.context': call.odataContext(state.select ? `users(${state.select.join(',')})` : 'users'),
  };
  if (next) body['@odata.nextLink'] = `${base}?$skiptoken=${encode(next)}`;
  else body['@odata.deltaLink'] = `${base}?$deltatoken=${encode({ ...state, since: undefined, offset: 0 })}`;
  body.value = value;
  return call.json(200, body);
}
