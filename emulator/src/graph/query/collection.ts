// Lists a directory collection the way Graph does: $filter with the default-versus-advanced matrix
// (graph-spec.md §1.4), $search, $orderby, $select, $top, $count, @odata.nextLink paging with an opaque
// $skiptoken, and replication lag (recently changed objects are missing from list results).
import type { EmulatorRequest, EmulatorResponse } from '../../http/router';
import { GraphError, graphErrors } from '../kernel/errors';
import { hiddenByReplicationLag } from '../kernel/faults';
import { header, type GraphCall } from '../kernel/pipeline';
import { classifyFilter, type CapabilityTable } from './capabilities';
import { evaluateFilter } from './filterEval';
import { FilterSyntaxError, parseFilter } from './filterParser';
import { selectProperties } from './select';

export interface CollectionSpec<T> {
  /** e.g. 'users' — the @odata.context entity set. */
  entitySet: string;
  /** e.g. 'User' — as Graph names the resource in filter errors. */
  resourceName: string;
  /** e.g. 'microsoft.graph.user' — for $select errors. */
  typeName: string;
  capabilities: CapabilityTable;
  items: T[];
  /** The full Graph representation of an item. */
  view: (item: T) => Record<string, unknown>;
  /** Properties returned without $select. */
  defaultSelect: readonly string[];
  /** Every property $select may name. */
  selectable: readonly string[];
  /** Epoch ms of the item's last change (replication lag); omit for objects that are never lagged. */
  changedAt?: (item: T) => number;
  orderable?: { default: string[]; advanced: string[] };
  searchable?: string[];
  maxTop?: number;
  /**
   * Adds the navigation properties `$expand` asks for to a rendered item; throws GraphError for ones the
   * resource does not have. Without it, any $expand is refused.
   */
  expand?: (item: T, expand: string) => Record<string, unknown>;
  /** Renders an item for the answer instead of $select over `view` (mixed directoryObject collections). */
  render?: (item: T, selected: string[] | undefined) => Record<string, unknown>;
}

const DEFAULT_PAGE = 100;

export function isAdvancedRequest(req: EmulatorRequest): { eventual: boolean; count: boolean } {
  return {
    eventual: (header(req, 'consistencylevel') ?? '').toLowerCase() === 'eventual',
    count: (req.query.get('$count') ?? '').toLowerCase() === 'true',
  };
}

interface Prepared<T> {
  matched: T[];
  countRequested: boolean;
}

/** Applies filter/search/order rules; throws GraphError for queries Graph refuses. */
function prepare<T>(
  req: EmulatorRequest,
  call: GraphCall,
  spec: CollectionSpec<T>,
  forCount: boolean,
): Prepared<T> {
  const { eventual, count } = isAdvancedRequest(req);
  const advancedOk = eventual && (count || forCount);
  const filterText = req.query.get('$filter');
  const search = req.query.get('$search');
  const orderby = req.query.get('$orderby');
  let needsAdvanced = false;
  let items = spec.items;
  if (spec.changedAt) {
    const changedAt = spec.changedAt;
    items = items.filter((i) => !hiddenByReplicationLag(call.tenant, changedAt(i), call.now));
  }
  let views = items.map((i) => ({ item: i, view: spec.view(i) }));

  if (filterText !== null) {
    let tree;
    try {
      tree = parseFilter(filterText);
    } catch (e) {
      if (e instanceof FilterSyntaxError)
        throw new GraphError(400, 'BadRequest', `Invalid filter clause: ${e.message}`);
      throw e;
    }
    const cls = classifyFilter(tree, spec.capabilities);
    if (cls.kind === 'unsupportedProperty' || cls.kind === 'unsupportedOperator')
      throw graphErrors.unsupportedQuery(
        `Unsupported or invalid query filter clause specified for property '${cls.property}' of resource '${spec.resourceName}'.`,
      );
    if (cls.kind === 'advanced') needsAdvanced = true;
    views = views.filter((v) => evaluateFilter(tree, v.view));
  }
  if (search !== null) {
    // $search needs only the header (aad-advanced-queries).
    if (!eventual)
      throw graphErrors.unsupportedQuery(
        "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
      );
    const terms = parseSearch(search, spec.searchable ?? ['displayName']);
    views = views.filter((v) => terms.some((t) => matchesSearch(v.view[t.property], t.term)));
  }
  if (orderby !== null) {
    const parts = orderby.split(',').map((p) => p.trim().split(/\s+/));
    for (const [prop, dir] of parts) {
      const name = prop ?? '';
      const allowedDefault = spec.orderable?.default.some((p) => p.toLowerCase() === name.toLowerCase());
      const allowedAdvanced = spec.orderable?.advanced.some((p) => p.toLowerCase() === name.toLowerCase());
      if (!allowedDefault && !allowedAdvanced)
        throw graphErrors.unsupportedQuery('Sorting not supported for current query.');
      if (!allowedDefault || filterText !== null || search !== null) needsAdvanced = true;
      if (dir && !/^(asc|desc)$/i.test(dir))
        throw graphErrors.badRequest(`Invalid $orderby direction '${dir}'.`);
    }
    views = [...views].sort((a, b) => {
      for (const [prop, dir] of parts) {
        const c = compareValues(a.view[prop!], b.view[prop!]);
        if (c !== 0) return dir?.toLowerCase() === 'desc' ? -c : c;
      }
      return 0;
    });
  }
  if (needsAdvanced && !advancedOk) throw graphErrors.unsupportedQuery();
  if (req.query.has('$expand') && advancedOk && (needsAdvanced || search !== null))
    throw graphErrors.unsupportedQuery();
  return { matched: views.map((v) => v.item), countRequested: advancedOk && count };
}

function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === undefined || a === null) return 1;
  if (b === undefined || b === null) return -1;
  const sa = String(a).toLowerCase();
  const sb = String(b).toLowerCase();
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

function parseSearch(search: string, searchable: string[]): { property: string; term: string }[] {
  const out: { property: string; term: string }[] = [];
  const re = /"([^":]+):([^"]*)"/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(search))) {
    const prop = searchable.find((p) => p.toLowerCase() === m![1]!.trim().toLowerCase());
    if (!prop) throw graphErrors.badRequest(`Invalid search property '${m[1]}'.`);
    out.push({ property: prop, term: m[2]!.toLowerCase() });
  }
  if (out.length === 0)
    throw graphErrors.badRequest('Syntax error: invalid $search clause. Use "property:value".');
  return out;
}

/** Graph's $search tokenises on spaces and punctuation and matches token prefixes. */
function matchesSearch(value: unknown, term: string): boolean {
  if (typeof value !== 'string') return false;
  const v = value.toLowerCase();
  return v.startsWith(term) || v.split(/[\s._@-]+/).some((t) => t.startsWith(term));
}

function pageSize(req: EmulatorRequest, max: number): number {
  const top = req.query.get('$top');
  if (top === null) return DEFAULT_PAGE;
  const n = Number(top);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw graphErrors.badRequest(
      `Invalid page size specified: '${top}'. Must be between 1 and ${max} inclusive.`,
    );
  return n;
}

function decodeSkipToken(token: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(token.replace(/^RFNwdAIA/, ''), 'base64url').toString('utf8')) as {
      o?: unknown;
    };
    if (typeof parsed.o === 'number' && Number.isInteger(parsed.o) && parsed.o >= 0) return parsed.o;
  } catch {
    // fall through
  }
  throw new GraphError(400, 'Request_BadRequest', 'Invalid paging token.');
}

function encodeSkipToken(offset: number): string {
  // Opaque to callers, as Graph's are; the prefix mimics Graph's directory tokens.
  return (
    'RFNwdAIA' +
    Buffer.from(JSON.stringify({ o: offset, r: Math.floor(Math.random() * 1e6) })).toString('base64url')
  );
}

export function listCollection<T>(
  req: EmulatorRequest,
  call: GraphCall,
  spec: CollectionSpec<T>,
): EmulatorResponse {
  const { matched, countRequested } = prepare(req, call, spec, false);
  const select = req.query.get('$select');
  const size = pageSize(req, spec.maxTop ?? 999);
  const token = req.query.get('$skiptoken');
  const offset = token ? decodeSkipToken(token) : 0;
  const page = matched.slice(offset, offset + size);
  const selected = select
    ? select
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;
  const expand = req.query.get('$expand');
  if (expand !== null && !spec.expand) throw expandNotSupported(expand, spec.typeName);
  const value = page.map((i) => {
    const rendered = spec.render
      ? spec.render(i, selected)
      : selectProperties(spec.view(i), selected, spec.defaultSelect, spec.selectable, spec.typeName);
    return expand !== null && spec.expand ? { ...rendered, ...spec.expand(i, expand) } : rendered;
  });
  const body: Record<string, unknown> = {
    '@odata.context': call.odataContext(
      selected ? `${spec.entitySet}(${selected.join(',')})` : spec.entitySet,
    ),
  };
  if (countRequested) body['@odata.count'] = matched.length;
  if (offset + size < matched.length) {
    // Graph's nextLinks keep the $ of system query options literal.
    const q = [...req.query.entries()].filter(([k]) => k !== '$skiptoken');
    q.push(['$skiptoken', encodeSkipToken(offset + size)]);
    const qs = q
      .map(([k, v]) => `${encodeURIComponent(k).replace(/^%24/, '$')}=${encodeURIComponent(v)}`)
      .join('&');
    body['@odata.nextLink'] = `${call.serviceRoot}${req.path.replace(/^\/(v1\.0|beta)/i, '')}?${qs}`;
  }
  body.value = value;
  return call.json(200, body);
}

/** `GET /{collection}/$count`: needs ConsistencyLevel: eventual (aad-advanced-queries). Answers text/plain. */
export function countCollection<T>(
  req: EmulatorRequest,
  call: GraphCall,
  spec: CollectionSpec<T>,
): EmulatorResponse {
  if (!isAdvancedRequest(req).eventual) throw graphErrors.badRequest('$count is not currently supported.');
  const { matched } = prepare(req, call, spec, true);
  return {
    status: 200,
    headers: {
      'Content-Type': 'text/plain',
      'request-id': call.requestId,
      'client-request-id': call.clientRequestId,
    },
    body: String(matched.length),
  };
}

export function expandNotSupported(expand: string, typeName: string): GraphError {
  const name = expand.split(/[,(]/)[0]!.trim();
  return new GraphError(
    400,
    'BadRequest',
    `Parsing OData Select and Expand failed: Could not find a property named '${name}' on type '${typeName}'.`,
  );
}
